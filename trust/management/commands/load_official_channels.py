"""Add the authority profile's official channels that the registry lacks (safe to run again)."""

from django.core.management.base import BaseCommand

from trust.services import official_channels_load_from_profile


class Command(BaseCommand):
    help = "Seed the official-channel registry from the authority profile; existing rows are kept."

    def handle(self, *args, **options):
        added = official_channels_load_from_profile()
        self.stdout.write(f"{added} channel(s) added.")

"""Find every conversation by its correspondent's hash under the new SECRET_KEY (after its rotation)."""

from django.core.management.base import BaseCommand

from securemail.access import correspondents_rehash


class Command(BaseCommand):
    help = (
        "Re-store every Securemail conversation's correspondent hash under the current SECRET_KEY "
        "(from the sealed address), so that correspondents still find their conversations once "
        "the old key leaves SECRET_KEY_FALLBACKS. Safe to run again."
    )

    def handle(self, *args, **options):
        changed = correspondents_rehash()
        self.stdout.write(f"Re-hashed the correspondent of {changed} conversations.")

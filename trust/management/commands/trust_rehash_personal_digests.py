"""Remember the people of every report under the new SECRET_KEY too (after its rotation)."""

from django.core.management.base import BaseCommand

from trust.services.rotation import scam_reports_rehash_personal_digests


class Command(BaseCommand):
    help = (
        "Add to every scam report's personal digests those under the current SECRET_KEY, "
        "recomputed from its sealed content, so that people's addresses stay withheld from "
        "warnings once the old key leaves SECRET_KEY_FALLBACKS. Safe to run again."
    )

    def handle(self, *args, **options):
        changed = scam_reports_rehash_personal_digests()
        self.stdout.write(f"Re-hashed the personal digests of {changed} reports.")

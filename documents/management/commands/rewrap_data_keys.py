"""Move every data key and sealed value under the active key-encryption key (after a rotation)."""

from django.core.management.base import BaseCommand, CommandError

from core.crypto import DecryptionError, keyring
from core.sealed_fields import sealed_values_not_under_active_key
from documents.models import Document
from documents.services import document_rewrap_all


class Command(BaseCommand):
    help = (
        "Re-wrap documents' data keys and every sealed field of every model under the first key in "
        "KEY_ENCRYPTION_KEYS, then check that nothing is left under another key. Contents are not "
        "re-encrypted. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        try:
            changed = document_rewrap_all(batch_size=batch_size)
        except DecryptionError as error:
            raise CommandError(
                f"Stopped: {error}. Add the missing key to KEY_ENCRYPTION_KEYS and run again."
            ) from error
        active_key_id = keyring().active_key_id
        self.stdout.write(f"Re-wrapped {changed} keys under {active_key_id!r}.")
        # Something sealed meanwhile by a process still running with the old key list (not yet
        # restarted) would be lost with the old key: count what is left, after the rewrap.
        remaining = (
            Document.objects.exclude(key_id=active_key_id).count()
            + sealed_values_not_under_active_key()
        )
        if remaining:
            raise CommandError(
                f"{remaining} values are still under another key than {active_key_id!r}: keep the "
                "old key, restart every process with the new KEY_ENCRYPTION_KEYS and run again."
            )
        self.stdout.write("Nothing is left under another key: the old key can be dropped.")

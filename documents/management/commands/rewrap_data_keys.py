"""Move every data key and sealed value under the active key-encryption key (after a rotation)."""

from django.core.management.base import BaseCommand, CommandError

from core.crypto import DecryptionError, keyring
from documents.services import document_rewrap_all


class Command(BaseCommand):
    help = (
        "Re-wrap documents' data keys and every registered sealed field under the first key in "
        "KEY_ENCRYPTION_KEYS. Contents are not re-encrypted. Safe to run again."
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
        self.stdout.write(f"Re-wrapped {changed} keys under {keyring().active_key_id!r}.")

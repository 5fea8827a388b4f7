"""Delete encrypted blobs that no document row points at (left by rolled-back transactions)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from documents.services import document_purge_orphan_blobs


class Command(BaseCommand):
    help = "Delete encrypted blobs older than --hours that no document row points at."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=6)

    def handle(self, *args, hours, **options):
        deleted = document_purge_orphan_blobs(older_than=timedelta(hours=hours))
        self.stdout.write(f"Deleted {deleted} orphan blobs.")

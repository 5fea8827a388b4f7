"""List the emails and text messages that failed for good, for an operator; no personal data."""

from django.core.management.base import BaseCommand

from notifications.models import OutboundEmail, OutboundEmailStatus, OutboundSMS


class Command(BaseCommand):
    help = (
        "List outbound emails and text messages that failed for good (newest first): id, kind, "
        "attempts, last error and times. Neither addresses nor contents are stored or shown."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="rows per channel (100)")

    def handle(self, *args, limit, **options):
        columns = ("id", "kind", "attempts", "last_error", "created_at", "last_attempt_at")
        total = 0
        for channel, model in (("email", OutboundEmail), ("sms", OutboundSMS)):
            rows = model.objects.filter(status=OutboundEmailStatus.FAILED).values_list(*columns)
            for row_id, kind, attempts, last_error, created_at, last_attempt_at in rows[:limit]:
                last = last_attempt_at.isoformat() if last_attempt_at else "-"
                self.stdout.write(
                    f"{channel}\t{row_id}\t{kind}\t{attempts}\t{last_error or '-'}\t"
                    f"{created_at.isoformat()}\t{last}"
                )
                total += 1
        self.stdout.write(f"{total} failed")

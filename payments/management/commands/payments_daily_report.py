"""The daily CSV of payments for accounting (payments.reports): yesterday by default."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.services import audit_record
from payments.reports import daily_report_csv


class Command(BaseCommand):
    help = "Write the CSV report of payments and refunds of one day (default: yesterday)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day, YYYY-MM-DD (Helsinki time).")
        parser.add_argument("--output", help="A file to write; default: standard output.")

    def handle(self, *args, date=None, output=None, **options):
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError("--date must be YYYY-MM-DD") from error
        else:
            day = timezone.localdate() - datetime.timedelta(days=1)
        text = daily_report_csv(day=day)
        audit_record(
            action="payments.report_written",
            object_type="payments.report",
            object_id=day.isoformat(),
            details={"channel": "command"},
        )
        if output:
            Path(output).write_text(text, encoding="utf-8", newline="")
            self.stderr.write(f"Wrote the payments of {day.isoformat()} to {output}")
        else:
            self.stdout.write(text, ending="")

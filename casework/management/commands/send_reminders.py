"""Send reminders of requests for supplementary information whose deadline is near (run by cron)."""

from django.core.management.base import BaseCommand

from casework.tasks import send_deadline_reminders_now


class Command(BaseCommand):
    help = "Remind applicants of requests for supplementary information before the deadline."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Run as a background task instead of now."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from casework.tasks import send_deadline_reminders

            send_deadline_reminders.enqueue()
            self.stdout.write("Reminder task enqueued.")
            return
        sent = send_deadline_reminders_now()
        self.stdout.write(f"Reminders sent: {sent}")

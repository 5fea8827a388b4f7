"""Enqueue the periodic background tasks once; run it from cron every few minutes."""

from django.core.management.base import BaseCommand

from core.periodic import enqueue_periodic_tasks


class Command(BaseCommand):
    help = "Enqueue every periodic task (reminders, pruning) once. Safe to run often."

    def handle(self, *args, **options):
        for path in enqueue_periodic_tasks():
            self.stdout.write(f"enqueued {path}")

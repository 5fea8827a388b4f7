"""Work that must run on a schedule (reminders, pruning), enqueued as ordinary background tasks.

The task queue has no scheduler of its own: operators run `manage.py enqueue_periodic_tasks` from
cron (every few minutes), and `manage.py serve` does the same in development. Every periodic task
is idempotent, so enqueuing it early or twice does no harm.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

# Dotted paths of @task() functions that take no arguments.
PERIODIC_TASKS: tuple[str, ...] = ("trust.tasks.rate_limit_counters_prune",)


def enqueue_periodic_tasks() -> list[str]:
    enqueued = []
    for path in PERIODIC_TASKS:
        import_string(path).enqueue()
        enqueued.append(path)
    return enqueued

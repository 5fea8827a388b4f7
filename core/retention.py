"""Helpers of the retention services: the cut-off of a period and work done in batches.

Every app that keeps personal data has `<app>/retention.py` with one service per kind of record
(`<entity>_delete_expired` or `<entity>_anonymise_expired`, keyword-only `now` and `batch_size`),
a `@periodic` task in `<app>/tasks.py` that calls it, declared in the app's `apps.py`, and a
`RETENTION_*` setting in config/settings.py documented in the README's retention table.
Each service is idempotent: a second run finds nothing left to do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def retention_cutoff(*, now: datetime | None = None, **period: float) -> datetime:
    """The moment before which records of a period (`days=...` or `hours=...`) have expired."""
    return (now or timezone.now()) - timedelta(**period)


def _batches(queryset: models.QuerySet, batch_size: int | None):
    """Primary keys of the queryset's rows, a batch at a time, never the whole table at once."""
    size = batch_size or settings.RETENTION_BATCH_SIZE
    pks = queryset.order_by("pk").values_list("pk", flat=True)
    while batch := list(pks[:size]):
        yield batch


def delete_in_batches(queryset: models.QuerySet, *, batch_size: int | None = None) -> int:
    """Delete the queryset's rows (with what cascades from them); how many of its rows went.

    Each batch is one transaction: a run stopped halfway has deleted whole batches, and the
    next run carries on from there.
    """
    deleted = 0
    model = queryset.model
    for batch in _batches(queryset, batch_size):
        with transaction.atomic():
            _total, per_model = model.objects.filter(pk__in=batch).delete()
        deleted += per_model.get(model._meta.label, 0)
    return deleted


def update_in_batches(
    queryset: models.QuerySet, *, batch_size: int | None = None, **changes
) -> int:
    """Apply `changes` to the queryset's rows in batches. The queryset must stop matching a row
    once it is changed (e.g. `ip_address__isnull=False` with `ip_address=None`), or this never ends.
    """
    updated = 0
    model = queryset.model
    for batch in _batches(queryset, batch_size):
        updated += model.objects.filter(pk__in=batch).update(**changes)
    return updated


def task_results_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Finished background task results (django-tasks-db's table) older than
    RETENTION_TASK_RESULT_DAYS: every periodic run adds rows, and arguments are ids, but the table
    would otherwise grow for ever. Queued and running tasks are never touched."""
    cutoff = retention_cutoff(now=now, days=settings.RETENTION_TASK_RESULT_DAYS)
    finished = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    return delete_in_batches(finished, batch_size=batch_size)

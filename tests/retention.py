"""Shared by the retention tests of every app: rows made in the past, and the periodic schedule."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

from core.periodic import declared_periodic_tasks


@contextmanager
def made_at(moment: datetime):
    """Rows saved inside get `moment` from their auto_now_add fields. A stand-in for the clock
    (a mock of timezone.now, named as such): an append-only table cannot be backdated afterwards."""
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def assert_scheduled(task_path: str) -> None:
    """The retention task is declared by its app, so the cron command and `make run` run it."""
    assert task_path in declared_periodic_tasks()

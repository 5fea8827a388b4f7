"""Retention of the core's tables: rate-limit counters and finished background task results."""

import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import RateLimitCounter
from core.retention import delete_in_batches, task_results_delete_expired
from core.tasks import rate_limit_counters_prune
from core.tasks import task_results_delete_expired as task_results_task
from tests.retention import assert_scheduled, days_ago

pytestmark = pytest.mark.django_db


def _counter(window_start: int) -> RateLimitCounter:
    return RateLimitCounter.objects.create(
        scope="test", key_digest=uuid.uuid4().hex, window_start=window_start, count=1
    )


def test_only_counters_older_than_the_period_are_pruned(settings):
    settings.RETENTION_RATE_LIMIT_COUNTER_HOURS = 24
    now = int(time.time())
    old = [_counter(now - 25 * 3600), _counter(now - 30 * 3600)]
    recent = [_counter(now - 23 * 3600), _counter(now - 60)]

    rate_limit_counters_prune.enqueue()  # the test settings run tasks at once

    left = set(RateLimitCounter.objects.values_list("pk", flat=True))
    assert left == {counter.pk for counter in recent}
    assert not left & {counter.pk for counter in old}
    assert_scheduled("core.tasks.rate_limit_counters_prune")


def test_the_counter_period_is_the_setting(settings):
    now = int(time.time())
    _counter(now - 3 * 3600)
    settings.RETENTION_RATE_LIMIT_COUNTER_HOURS = 4
    rate_limit_counters_prune.enqueue()
    assert RateLimitCounter.objects.count() == 1
    settings.RETENTION_RATE_LIMIT_COUNTER_HOURS = 2
    rate_limit_counters_prune.enqueue()
    assert RateLimitCounter.objects.count() == 0


def _task_result(status: str, finished_days_ago: float | None) -> DBTaskResult:
    finished_at = None if finished_days_ago is None else days_ago(finished_days_ago)
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.tasks.rate_limit_counters_prune",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=finished_at,
    )


def test_only_finished_task_results_older_than_the_period_are_deleted(settings):
    settings.RETENTION_TASK_RESULT_DAYS = 14
    old_success = _task_result("SUCCESSFUL", 15)
    old_failure = _task_result("FAILED", 20)
    recent = _task_result("SUCCESSFUL", 13)
    waiting = _task_result("READY", None)
    running = _task_result("RUNNING", None)

    task_results_task.enqueue()

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent.pk, waiting.pk, running.pk}
    assert old_success.pk not in left and old_failure.pk not in left
    assert task_results_delete_expired() == 0  # idempotent
    assert_scheduled("core.tasks.task_results_delete_expired")


def test_deleting_in_batches_goes_through_a_backlog_larger_than_one_batch():
    now = int(time.time())
    for offset in range(7):
        _counter(now - 10 * 86400 - offset)
    _counter(now)
    old = RateLimitCounter.objects.filter(window_start__lt=now - 86400)

    with CaptureQueriesContext(connection) as queries:
        assert delete_in_batches(old, batch_size=2) == 7

    # Seven rows in batches of two: four DELETE statements, never the whole table at once.
    deletes = [query for query in queries.captured_queries if query["sql"].startswith("DELETE")]
    assert len(deletes) == 4
    assert RateLimitCounter.objects.count() == 1

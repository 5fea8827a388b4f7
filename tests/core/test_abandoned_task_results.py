"""The task queue's own rows of tasks whose worker died: left *running* for ever without the sweep
(the queue never looks at them again, retention keeps running rows). The killed-worker version of
this, with real processes, is in tests/e2e/test_crash_recovery.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.retention import task_results_delete_expired
from core.stalled_work import ABANDONED_TASK_ERROR, task_results_fail_abandoned
from core.tasks import task_results_fail_abandoned as fail_abandoned_task
from tests.retention import assert_scheduled

pytestmark = pytest.mark.django_db


def _task_result(status: str, started_seconds_ago: float | None) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="documents.tasks.scan_document",
        queue_name="default",
        backend_name="default",
        run_after=now,
        started_at=None
        if started_seconds_ago is None
        else now - timedelta(seconds=started_seconds_ago),
        finished_at=now if status in {"SUCCESSFUL", "FAILED"} else None,
    )


def test_only_rows_running_longer_than_the_timeout_become_failed(settings):
    settings.TASK_ABANDONED_AFTER_SECONDS = 3600
    abandoned = _task_result("RUNNING", 3601)
    running = _task_result("RUNNING", 3500)
    waiting = _task_result("READY", None)
    done = _task_result("SUCCESSFUL", 7200)

    fail_abandoned_task.enqueue()  # the test settings run tasks at once

    abandoned.refresh_from_db()
    assert abandoned.status == "FAILED"
    assert abandoned.finished_at is not None
    assert abandoned.exception_class_path == ABANDONED_TASK_ERROR
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[running.pk] == "RUNNING"
    assert statuses[waiting.pk] == "READY"
    assert statuses[done.pk] == "SUCCESSFUL"
    assert task_results_fail_abandoned() == 0  # idempotent
    assert_scheduled("core.tasks.task_results_fail_abandoned")


def test_the_timeout_is_the_setting(settings):
    row = _task_result("RUNNING", 120)
    settings.TASK_ABANDONED_AFTER_SECONDS = 300
    assert task_results_fail_abandoned() == 0
    settings.TASK_ABANDONED_AFTER_SECONDS = 60
    assert task_results_fail_abandoned() == 1
    row.refresh_from_db()
    assert row.status == "FAILED"


def test_a_failed_abandoned_row_goes_with_the_other_finished_results(settings):
    """Running rows are never deleted; once failed, retention takes them after its period."""
    settings.TASK_ABANDONED_AFTER_SECONDS = 60
    settings.RETENTION_TASK_RESULT_DAYS = 14
    _task_result("RUNNING", 120)
    task_results_fail_abandoned(now=timezone.now() - timedelta(days=15))
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1  # not abandoned 15 days ago
    task_results_fail_abandoned()
    assert task_results_delete_expired(now=timezone.now() + timedelta(days=15)) == 1
    assert not DBTaskResult.objects.exists()

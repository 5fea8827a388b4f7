"""Liveness and readiness (core.health): liveness touches nothing; readiness checks the real
database, the documents storage on disk and the task queue with real enqueued tasks."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from core.health import forget_readiness


@pytest.fixture(autouse=True)
def _fresh_answer():
    forget_readiness()
    yield
    forget_readiness()


@pytest.fixture
def database_tasks(settings):
    """Tasks go to django-tasks-db's table, as in production (the test mode runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _documents_folder(settings):
    return settings.STORAGES["documents"]["OPTIONS"]["location"]


def _break_storage(settings, tmp_path):
    """The documents folder is a plain file: nothing can be written under it."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker)},
        },
    }
    storages._storages.pop("documents", None)
    return blocker


def _enqueue_waiting_tasks(count: int, *, waited_seconds: int):
    from django_tasks_db.models import DBTaskResult

    from core.tasks import rate_limit_counters_prune

    ids = [rate_limit_counters_prune.enqueue().id for _ in range(count)]
    enqueued_at = timezone.now() - datetime.timedelta(seconds=waited_seconds)
    DBTaskResult.objects.filter(pk__in=ids).update(enqueued_at=enqueued_at)
    return ids


def test_liveness_answers_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_is_ok_with_database_storage_and_an_empty_queue(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "task_queue": "ok"},
    }
    # The probe object was written and deleted again.
    probes = storages["documents"].listdir("health")
    assert probes == ([], [])
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_storage_that_cannot_be_written_makes_the_process_not_ready(client, settings, tmp_path):
    blocker = _break_storage(settings, tmp_path)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "storage": "unavailable", "task_queue": "ok"},
    }
    body = response.content.decode()
    assert str(blocker) not in body and "Error" not in body


@pytest.mark.django_db
def test_tasks_waiting_past_the_limit_degrade_readiness_without_failing_it(
    client, settings, database_tasks
):
    settings.HEALTH_TASK_BACKLOG_LIMIT = 2
    settings.HEALTH_TASK_WAIT_SECONDS = 60
    _enqueue_waiting_tasks(2, waited_seconds=120)
    assert client.get("/healthz").json()["checks"]["task_queue"] == "ok"

    forget_readiness()
    _enqueue_waiting_tasks(1, waited_seconds=120)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "storage": "ok", "task_queue": "backlogged"},
    }


@pytest.mark.django_db
def test_recent_tasks_and_retries_scheduled_for_later_are_no_backlog(
    client, settings, database_tasks
):
    from django_tasks_db.models import DBTaskResult

    settings.HEALTH_TASK_BACKLOG_LIMIT = 0
    settings.HEALTH_TASK_WAIT_SECONDS = 60
    _enqueue_waiting_tasks(3, waited_seconds=5)
    # A retry enqueued long ago but scheduled to run only in a minute is not late.
    (retry_id,) = _enqueue_waiting_tasks(1, waited_seconds=600)
    DBTaskResult.objects.filter(pk=retry_id).update(
        run_after=timezone.now() + datetime.timedelta(seconds=60)
    )
    assert client.get("/healthz").json()["checks"]["task_queue"] == "ok"

    forget_readiness()
    # The same retry, once its time has come and gone, waits like any other task.
    DBTaskResult.objects.filter(pk=retry_id).update(
        run_after=timezone.now() - datetime.timedelta(seconds=120)
    )
    assert client.get("/healthz").json()["checks"]["task_queue"] == "backlogged"


@pytest.mark.django_db
def test_finished_and_running_tasks_are_no_backlog(client, settings, database_tasks):
    from django_tasks_db.models import DBTaskResult

    settings.HEALTH_TASK_BACKLOG_LIMIT = 0
    ids = _enqueue_waiting_tasks(2, waited_seconds=600)
    DBTaskResult.objects.filter(pk=ids[0]).update(status="RUNNING")
    DBTaskResult.objects.filter(pk=ids[1]).update(status="SUCCESSFUL")
    assert client.get("/healthz").json()["checks"]["task_queue"] == "ok"


@pytest.mark.django_db
def test_a_flood_of_probes_checks_once_per_interval(
    client, settings, tmp_path, django_assert_num_queries
):
    settings.HEALTH_CACHE_SECONDS = 60
    assert client.get("/healthz").status_code == 200
    # Within the interval the kept answer is served: no query, and a storage broken meanwhile is
    # not probed again.
    _break_storage(settings, tmp_path)
    with django_assert_num_queries(0):
        for _ in range(20):
            assert client.get("/healthz").status_code == 200

    forget_readiness()
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_the_answer_expires_after_the_interval(client, settings, tmp_path):
    settings.HEALTH_CACHE_SECONDS = 0
    assert client.get("/healthz").status_code == 200
    _break_storage(settings, tmp_path)
    assert client.get("/healthz").status_code == 503

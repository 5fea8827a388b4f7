"""Every task marked @periodic anywhere is declared by its app, collected, and run by the cron
command (`manage.py enqueue_periodic_tasks`, which `make run` also runs through `serve`)."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_tasks.signals import task_finished

from core.periodic import declared_periodic_tasks, marked_periodic_tasks

EXPECTED_AT_LEAST = {
    "core.tasks.rate_limit_counters_prune",
    "casework.tasks.send_deadline_reminders",
    "documents.tasks.purge_orphan_blobs",
    "documents.tasks.scans_requeue_stalled",
    "notifications.tasks.outbound_requeue_stalled",
    # Retention (each app's retention.py; the periods are the RETENTION_* settings)
    "core.tasks.task_results_delete_expired",
    "accounts.tasks.sessions_delete_expired",
    "accounts.tasks.one_time_codes_delete_expired",
    "accounts.tasks.form_submissions_delete_expired",
    "audit.tasks.audit_client_addresses_anonymise_expired",
    "notifications.tasks.outbound_messages_delete_expired",
    "notifications.tasks.verification_codes_delete_expired",
    "trust.tasks.scam_reports_delete_expired",
    "accounts.tasks.sign_in_attempts_delete_expired",
    "securemail.tasks.conversations_delete_expired",
    "securemail.tasks.access_codes_delete_expired",
    # Payments left open are settled by asking the provider.
    "payments.tasks.reconcile_payments",
}


def _import_every_project_module():
    """Import every module of the project's own apps, so every @periodic marker has run."""
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.parent != Path(settings.BASE_DIR):
            continue  # Django's and third-party apps (the virtual environment may be in BASE_DIR)
        for module in pkgutil.walk_packages([str(path)], prefix=f"{config.name}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)


def test_every_task_marked_periodic_anywhere_is_declared_by_its_app():
    _import_every_project_module()
    marked = marked_periodic_tasks()
    declared = declared_periodic_tasks()

    assert marked >= EXPECTED_AT_LEAST
    assert set(declared) == marked
    assert len(declared) == len(set(declared))
    for path in declared:
        app_label = path.split(".")[0]
        assert path in getattr(apps.get_app_config(app_label), "periodic_tasks", ()), path


def test_a_declared_task_that_is_not_marked_periodic_fails_the_system_check(monkeypatch):
    config = apps.get_app_config("trust")
    monkeypatch.setattr(
        config,
        "periodic_tasks",
        ("trust.tasks.scam_reports_regroup", "trust.tasks.nothing"),
        raising=False,
    )
    errors = checks.run_checks()
    ids = {error.id for error in errors}
    assert {"core.E110", "core.E111"} <= ids


def test_the_system_check_passes_for_the_shipped_declarations():
    assert not [error for error in checks.run_checks() if error.id.startswith("core.E11")]


@pytest.mark.django_db
def test_the_cron_command_enqueues_and_runs_every_periodic_task(capsys):
    _import_every_project_module()
    finished = []

    def record(sender, task_result, **kwargs):
        finished.append((task_result.task.module_path, task_result.status))

    task_finished.connect(record)
    try:
        call_command("enqueue_periodic_tasks")  # the test settings run tasks immediately
    finally:
        task_finished.disconnect(record)

    printed = capsys.readouterr().out
    for path in marked_periodic_tasks():
        assert f"enqueued {path}" in printed
        assert (path, "SUCCESSFUL") in finished, path
        import_string(path)  # importable by its declared name, as the worker imports it


@pytest.mark.django_db
def test_make_runs_serve_enqueues_every_periodic_task_as_soon_as_it_starts():
    """`make run` runs `serve`, whose scheduler thread does what cron does, first at start."""
    import threading

    from core.management.commands.serve import Command

    finished = []

    def record(sender, task_result, **kwargs):
        finished.append(task_result.task.module_path)

    stopped = threading.Event()
    stopped.set()  # one round, then the loop returns
    task_finished.connect(record)
    try:
        Command()._enqueue_periodically(stopped)
    finally:
        task_finished.disconnect(record)

    assert sorted(finished) == sorted(declared_periodic_tasks())

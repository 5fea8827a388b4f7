"""Processes killed with SIGKILL in the middle of an upload, a decision (its PDF stored), a virus
scan and a notification send lose nothing and duplicate nothing, once restarted and once the
periodic tasks have run: real `runserver` and `db_worker` processes, a real SMTP server, the
suite's database engine (SQLite file or PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.crash_processes import Processes, Visitor, crash_database, wait_for

SEVEN_HOURS = 7 * 60 * 60


@pytest.fixture
def crash_world(tmp_path, smtp_server):
    """The crash database with the demo data, the processes' environment, and what was built."""
    database = crash_database(tmp_path)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PERMITSAFE_", "DATABASE_", "PYTEST_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="tests.e2e.crash_settings",
        PERMITSAFE_MODE="development",
        PERMITSAFE_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=database.url,
        DOCUMENTS_ROOT=str(tmp_path / "documents"),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        SMS_BACKEND="console",
        CLAMD_SOCKET="",  # the development scanner
        DEBUG="false",
        LOG_LEVEL="WARNING",
        CRASH_TEST_MARKER_FILE=str(tmp_path / "checkpoint-reached"),
        # The sweepers' timeouts, short so that the test need not wait a quarter of an hour. Only
        # the cron command reads them, and it runs while no worker is alive.
        NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS="1",
        DOCUMENTS_SCAN_STALL_SECONDS="1",
        TASK_ABANDONED_AFTER_SECONDS="1",
    )
    processes = Processes(directory=tmp_path, environment=environment)
    built = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.e2e.crash_world"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [line] = [line for line in built.stdout.splitlines() if line.startswith("CRASH-WORLD ")]
    world = json.loads(line.removeprefix("CRASH-WORLD "))
    # What the demo data queued (scans, notifications) goes out before the crashes begin.
    processes.run("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload")
    smtp_server.clear()
    try:
        yield processes, database, world, tmp_path / "documents"
    finally:
        processes.stop_all()
        database.drop()


def _blobs(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.glob("*/*.psdoc")}


def _age_every_blob(root: Path) -> None:
    """As if hours had passed: the purge spares blobs younger than its margin."""
    old = time.time() - SEVEN_HOURS
    for path in root.glob("*/*.psdoc"):
        os.utime(path, (old, old))


def test_killed_processes_lose_nothing_and_duplicate_nothing(crash_world, smtp_server, real_pdfs):
    processes, database, world, documents_root = crash_world
    cookie_name = world["session_cookie_name"]
    case_id, draft_id, kind = world["case_id"], world["draft_id"], world["upload_kind"]
    decide_path = f"/casework/{case_id}/decide/"
    decision = {
        "outcome": "positive",
        "reasoning": "The requirements are met.",
        "decision_maker_name": "Aino Virtanen",
        "step": "send",  # the confirmation of the decision page's second step
    }
    upload_path = f"/applications/{draft_id}/attachments/"
    upload = {"upload_kind": kind}
    pdf = real_pdfs["passport_copy"]

    def upload_files():
        return {f"{kind}-file": ("passport.pdf", pdf, "application/pdf")}

    def attachments():
        return database.scalar(
            f"SELECT COUNT(*) FROM applications_attachment "  # noqa: S608 (integers)
            f"WHERE application_id = {int(draft_id)} AND kind = '{kind}'"
        )

    def decisions():
        return database.scalar(
            f"SELECT COUNT(*) FROM casework_decision WHERE application_id = {int(case_id)}"  # noqa: S608
        )

    last_email = database.scalar("SELECT COALESCE(MAX(id), 0) FROM notifications_outboundemail")
    last_sms = database.scalar("SELECT COALESCE(MAX(id), 0) FROM notifications_outboundsms")
    attachments_before = attachments()
    blobs_before = _blobs(documents_root)

    # 1. The web process dies deciding the case, after the PDF was stored, before the commit.
    web = processes.web(pause_at="casework.decide")
    caseworker = Visitor(processes, session_cookie=(cookie_name, world["caseworker_session"]))
    thread, outcome = caseworker.post_form_in_background(decide_path, decision)
    processes.wait_for_checkpoint(web, "casework.decide")
    processes.kill(web)
    thread.join(timeout=30)
    assert "error" in outcome  # the caseworker saw the request fail
    assert decisions() == 0  # nothing half-written: no decision, no notification, case unchanged
    status = database.scalar(f"SELECT status FROM applications_application WHERE id = {case_id}")  # noqa: S608
    assert status == "in_processing"
    assert (
        database.scalar(
            f"SELECT COUNT(*) FROM notifications_outboundemail WHERE id > {last_email}"  # noqa: S608
        )
        == 0
    )
    assert len(_blobs(documents_root) - blobs_before) == 1  # the PDF's blob, now an orphan

    # 2. The web process dies storing an upload, after the blob was written, before the commit.
    web = processes.web(pause_at="documents.store")
    applicant = Visitor(processes, session_cookie=(cookie_name, world["applicant_session"]))
    thread, outcome = applicant.post_form_in_background(upload_path, upload, upload_files())
    processes.wait_for_checkpoint(web, "documents.store")
    processes.kill(web)
    thread.join(timeout=30)
    assert "error" in outcome
    assert attachments() == attachments_before
    assert len(_blobs(documents_root) - blobs_before) == 2

    # Restarted, the same two forms sent again (what the people do after an error) succeed once.
    processes.web()
    assert caseworker.post_form(decide_path, decision).status_code == 302
    assert applicant.post_form(upload_path, upload, upload_files()).status_code == 302
    assert decisions() == 1
    assert attachments() == attachments_before + 1

    # 3. A worker dies in the middle of a virus scan: the decision PDF's, the first task queued
    # (the queue runs tasks in the order they were queued; the notifications were queued after).
    worker = processes.worker(pause_at="documents.scan")
    processes.wait_for_checkpoint(worker, "documents.scan")
    processes.kill(worker)
    [(stalled_document, attempts)] = database.rows(
        "SELECT id, scan_attempts FROM documents_document WHERE scan_status = 'pending' "
        "AND scan_attempts > 0"
    )
    assert attempts == 1

    # 4. A worker dies in the middle of sending the decision's email, another in the middle of
    # sending its text message (whichever comes first; other tasks may run before).
    sends = ("notifications.email.send", "notifications.sms.send")
    reached = set()
    for _send in sends:
        worker = processes.worker(pause_at=",".join(sends))
        reached.add(processes.wait_for_checkpoint(worker, *sends))
        processes.kill(worker)
    assert reached == set(sends)
    [(stalled_email, email_status)] = database.rows(
        f"SELECT id, status FROM notifications_outboundemail WHERE id > {last_email}"  # noqa: S608
    )
    [(stalled_sms, sms_status)] = database.rows(
        f"SELECT id, status FROM notifications_outboundsms WHERE id > {last_sms}"  # noqa: S608
    )
    # Claimed by dead workers: without the sweeper, lost for ever.
    assert (email_status, sms_status) == ("queued", "queued")
    # The queue's own rows of the three killed tasks stay running until their sweep.
    assert (
        database.scalar(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        )
        == 3
    )

    # 5. Cron runs the periodic tasks (the sweepers re-queue what the dead workers held; the purge
    # is queued), hours later as far as the blobs know; then a worker runs everything.
    _age_every_blob(documents_root)
    time.sleep(1.1)  # past the sweepers' (shortened) timeouts
    cron = processes.run("enqueue_periodic_tasks")
    assert "enqueued documents.tasks.purge_orphan_blobs" in cron
    worker = processes.worker()

    def settled():
        queued = database.scalar(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
        )
        pending = database.scalar(
            "SELECT COUNT(*) FROM documents_document WHERE scan_status = 'pending'"
        )
        unsent = database.scalar(
            "SELECT (SELECT COUNT(*) FROM notifications_outboundemail WHERE status = 'queued')"
            " + (SELECT COUNT(*) FROM notifications_outboundsms WHERE status = 'queued')"
        )
        return queued == 0 and pending == 0 and unsent == 0

    wait_for(settled, timeout=60, what="the queue to empty")
    time.sleep(0.5)  # the worker records the last task's result after its work
    processes.kill(worker)

    # Every item ended exactly once.
    assert decisions() == 1
    assert attachments() == attachments_before + 1
    assert database.rows(
        f"SELECT scan_status, scan_attempts FROM documents_document WHERE id = '{stalled_document}'"  # noqa: S608
    ) == [("clean", 2)]
    assert database.rows(
        f"SELECT status, attempts FROM notifications_outboundemail WHERE id = {stalled_email}"  # noqa: S608
    ) == [("sent", 2)]
    [mail] = smtp_server.outbox  # one email, though its first sender died holding it
    assert mail.envelope_to == ["applicant@demo.invalid"]
    assert database.rows(
        f"SELECT status, attempts FROM notifications_outboundsms WHERE id = {stalled_sms}"  # noqa: S608
    ) == [("sent", 2)]
    assert processes.logs("worker").count("SMS from ") == 1  # one text, though its sender died
    # No orphan blob and no missing one: the storage holds exactly the rows' blobs.
    stored = {
        name
        for (name,) in database.rows(
            "SELECT storage_name FROM documents_document WHERE storage_name <> ''"
        )
    }
    assert _blobs(documents_root) == stored
    # The queue's rows of the killed tasks are failed, visibly, and none is left running.
    assert database.rows(
        "SELECT task_path, exception_class_path FROM django_tasks_database_dbtaskresult"
        " WHERE status = 'RUNNING' OR exception_class_path = 'core.stalled_work.WorkerLost'"
        " ORDER BY task_path"
    ) == [
        ("documents.tasks.scan_document", "core.stalled_work.WorkerLost"),
        ("notifications.sms.tasks.send_sms", "core.stalled_work.WorkerLost"),
        ("notifications.tasks.send_email", "core.stalled_work.WorkerLost"),
    ]

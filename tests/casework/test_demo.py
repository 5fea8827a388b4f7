"""The casework demo data: units, the demo caseworker's scope, cases in each state; idempotent."""

from __future__ import annotations

import pytest

from applications.models import Application, Status
from casework.demo import load_casework_demo
from casework.selectors import cases_for_caseworker

pytestmark = pytest.mark.django_db


def test_the_demo_puts_cases_in_each_state_and_runs_twice_without_change(
    django_capture_on_commit_callbacks,
):
    from accounts.models import User
    from applications.demo import load_demo_data

    with django_capture_on_commit_callbacks(execute=True):
        load_demo_data()
        assert load_casework_demo() == 3
    assert load_casework_demo() == 0

    statuses = set(Application.objects.values_list("status", flat=True))
    assert {Status.WAITING_FOR_SUPPLEMENT, Status.IN_PROCESSING, Status.DECIDED} <= statuses
    caseworker = User.objects.get(email="caseworker@demo.invalid")
    # Three moved on by the back-office demo, and one left submitted for the queue.
    assert cases_for_caseworker(caseworker).count() == 4


def _audited(action: str, actor_email: str) -> int:
    from audit.models import AuditEvent

    return AuditEvent.objects.filter(action=action, actor__email=actor_email).count()


def test_the_demo_data_is_audited_like_the_pages_that_make_the_same_changes(
    django_capture_on_commit_callbacks,
):
    from applications.demo import load_demo_data
    from audit.models import AuditEvent

    with django_capture_on_commit_callbacks(execute=True):
        load_demo_data()
        load_casework_demo()

    applicant, second = "applicant@demo.invalid", "applicant2@demo.invalid"
    caseworker = "caseworker@demo.invalid"
    # Four applications of the first applicant, two of them sent; three of the second, two sent.
    assert _audited("application.created", applicant) == 4
    assert _audited("application.submitted", applicant) == 2
    assert _audited("application.submitted", second) == 2
    assert _audited("application.changed", applicant) > 0
    assert _audited("application.attachment_added", applicant) > 0
    assert _audited("casework.case_taken", caseworker) == 3
    assert _audited("casework.supplement_requested", caseworker) == 1
    assert _audited("casework.note_added", caseworker) == 1
    assert _audited("casework.decided", caseworker) == 1
    # Nothing was a page: no client address, no request id.
    assert not AuditEvent.objects.exclude(ip_address=None).exists()
    assert not AuditEvent.objects.exclude(request_id="").exists()


def test_a_second_demo_run_changes_nothing_and_so_records_nothing(
    django_capture_on_commit_callbacks,
):
    from applications.demo import load_demo_data
    from audit.models import AuditEvent

    with django_capture_on_commit_callbacks(execute=True):
        load_demo_data()
        load_casework_demo()
    recorded = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_data()
        load_casework_demo()
    assert AuditEvent.objects.count() == recorded

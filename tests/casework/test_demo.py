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

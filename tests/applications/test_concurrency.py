"""Submissions racing each other on PostgreSQL: no duplicate case numbers, no double submit."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from applications.models import Application, CaseEvent, Status
from applications.services import AlreadySubmitted, application_submit
from tests.applications.conftest import attach_required, fill_sections

pytestmark = pytest.mark.django_db(transaction=True)


def _race(targets) -> list:
    """Run each target in its own thread (own database connection), started together."""
    barrier = threading.Barrier(len(targets))
    outcomes: list = [None] * len(targets)

    def run(index, target):
        try:
            barrier.wait()
            outcomes[index] = target()
        except Exception as error:  # the outcome, success or refusal, is what the test checks
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this tests; SQLite serialises every write transaction")


def _submitter(application):
    return lambda: application_submit(application=application, declaration_confirmed=True)


def test_concurrent_submissions_get_distinct_sequential_case_numbers(start_draft, make_user):
    drafts = [attach_required(fill_sections(start_draft(make_user()))) for _index in range(6)]
    outcomes = _race([_submitter(draft) for draft in drafts])
    assert all(isinstance(outcome, Application) for outcome in outcomes), outcomes
    numbers = sorted(outcome.case_number for outcome in outcomes)
    assert [number[-6:] for number in numbers] == [f"{n:06d}" for n in range(1, 7)]


def test_a_double_submit_racing_itself_submits_once(complete_draft):
    outcomes = _race([_submitter(complete_draft), _submitter(complete_draft)])
    submitted = [outcome for outcome in outcomes if isinstance(outcome, Application)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, AlreadySubmitted)]
    assert len(submitted) == 1 and len(refused) == 1, outcomes
    assert refused[0].case_number == submitted[0].case_number
    assert Application.objects.get(pk=complete_draft.pk).status == Status.SUBMITTED
    assert CaseEvent.objects.filter(kind="submitted").count() == 1

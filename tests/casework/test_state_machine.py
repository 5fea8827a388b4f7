"""Every allowed transition of the table works and writes an event; every other one is refused
and changes nothing."""

from __future__ import annotations

import itertools

import pytest

from applications.models import Application, CaseEvent, Status
from casework.models import CaseFile
from casework.state_machine import TRANSITIONS, TransitionRefused, find_transition, transition

pytestmark = pytest.mark.django_db

ACTORS = ("caseworker", "applicant", "system")
# The applications app submits drafts itself; every other step goes through `transition`.
MOVABLE = [item for item in TRANSITIONS if item.source != Status.DRAFT]
FORBIDDEN = [
    (source, target, by)
    for source, target, by in itertools.product(Status.values, Status.values, ACTORS)
    if find_transition(source, target, by) is None
]


def _in_status(application, status):
    # Test setup only: put the row in the source state directly.
    case_number = None if status == Status.DRAFT else application.case_number
    Application.objects.filter(pk=application.pk).update(status=status, case_number=case_number)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    "step", MOVABLE, ids=[f"{item.source}-to-{item.target}-by-{item.by}" for item in MOVABLE]
)
def test_an_allowed_transition_changes_the_status_and_writes_its_event(step, submitted, caseworker):
    application = _in_status(submitted, step.source)
    events_before = CaseEvent.objects.filter(application=application).count()

    moved, case_file = transition(application, step.target, actor=caseworker, by=step.by)

    assert moved.status == step.target
    assert Application.objects.get(pk=application.pk).status == step.target
    event = CaseEvent.objects.filter(application=application).latest("id")
    assert event.kind == step.event_kind
    assert event.details["from"] == step.source and event.details["to"] == step.target
    assert CaseEvent.objects.filter(application=application).count() == events_before + 1


@pytest.mark.parametrize("source", Status.values)
def test_every_transition_outside_the_table_is_refused_and_nothing_changes(
    source, submitted, caseworker
):
    application = _in_status(submitted, source)
    events_before = CaseEvent.objects.filter(application=application).count()
    forbidden = [(target, by) for (origin, target, by) in FORBIDDEN if origin == source]
    assert forbidden

    for target, by in forbidden:
        with pytest.raises(TransitionRefused) as refused:
            transition(application, target, actor=caseworker, by=by)
        assert "cannot be done now" in refused.value.messages[0]

    assert Application.objects.get(pk=application.pk).status == source
    assert CaseEvent.objects.filter(application=application).count() == events_before


def test_the_table_lists_the_whole_life_of_a_case():
    pairs = {(item.source, item.target) for item in TRANSITIONS}
    assert pairs == {
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.IN_PROCESSING),
        (Status.IN_PROCESSING, Status.WAITING_FOR_SUPPLEMENT),
        (Status.WAITING_FOR_SUPPLEMENT, Status.IN_PROCESSING),
        (Status.IN_PROCESSING, Status.DECIDED),
        (Status.DECIDED, Status.CLOSED),
        (Status.SUBMITTED, Status.WITHDRAWN),
        (Status.IN_PROCESSING, Status.WITHDRAWN),
        (Status.WAITING_FOR_SUPPLEMENT, Status.WITHDRAWN),
    }


def test_the_clock_pauses_while_waiting_and_resumes_with_the_answer(submitted, caseworker):
    from datetime import timedelta

    from django.utils import timezone

    application, _ = transition(submitted, Status.IN_PROCESSING, actor=caseworker, by="caseworker")
    application, case_file = transition(
        application, Status.WAITING_FOR_SUPPLEMENT, actor=caseworker, by="caseworker"
    )
    assert case_file.paused_since is not None
    # Ten days pass while the case waits for the applicant.
    CaseFile.objects.filter(pk=case_file.pk).update(
        paused_since=case_file.paused_since - timedelta(days=10)
    )
    Application.objects.filter(pk=application.pk).update(
        submitted_at=application.submitted_at - timedelta(days=12)
    )

    application, case_file = transition(
        application, Status.IN_PROCESSING, actor=application.applicant, by="applicant"
    )

    case_file.refresh_from_db()
    assert case_file.paused_since is None
    assert timedelta(days=10) <= case_file.paused_total < timedelta(days=10, minutes=1)
    assert case_file.time_used(timezone.now()).days == 2
    assert case_file.is_in_processing_again


def test_the_clock_stops_at_the_decision(submitted, caseworker):
    application, _ = transition(submitted, Status.IN_PROCESSING, actor=caseworker, by="caseworker")
    application, case_file = transition(
        application, Status.DECIDED, actor=caseworker, by="caseworker"
    )
    assert case_file.clock_stopped_at is not None

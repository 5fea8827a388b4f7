"""The life of a case as an explicit table of allowed transitions, and the one function that moves
a case: it locks the row, checks the table, runs the clock, writes the status and a timeline event.

"In processing again" is IN_PROCESSING entered from WAITING_FOR_SUPPLEMENT; the case file counts the
processing rounds, so the status choices of the applications app stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, CaseEvent, CaseEventKind, Status
from casework.models import CaseFile


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    event_kind: str
    # Who may take it: "caseworker", "applicant" or "system" (the applications app's own submit).
    by: str


TRANSITIONS: tuple[Transition, ...] = (
    # Done by applications.services.application_submit; listed so the table is the whole life.
    Transition(Status.DRAFT, Status.SUBMITTED, CaseEventKind.SUBMITTED, "system"),
    Transition(
        Status.SUBMITTED, Status.IN_PROCESSING, CaseEventKind.PROCESSING_STARTED, "caseworker"
    ),
    Transition(
        Status.IN_PROCESSING,
        Status.WAITING_FOR_SUPPLEMENT,
        CaseEventKind.SUPPLEMENT_REQUESTED,
        "caseworker",
    ),
    # The applicant's answer brings the case back: "in processing again".
    Transition(
        Status.WAITING_FOR_SUPPLEMENT,
        Status.IN_PROCESSING,
        CaseEventKind.SUPPLEMENT_RECEIVED,
        "applicant",
    ),
    # The caseworker may go on without an answer (the deadline passed); the request is closed.
    Transition(
        Status.WAITING_FOR_SUPPLEMENT,
        Status.IN_PROCESSING,
        CaseEventKind.PROCESSING_STARTED,
        "caseworker",
    ),
    Transition(Status.IN_PROCESSING, Status.DECIDED, CaseEventKind.DECIDED, "caseworker"),
    Transition(Status.DECIDED, Status.CLOSED, CaseEventKind.CLOSED, "caseworker"),
    Transition(Status.SUBMITTED, Status.WITHDRAWN, CaseEventKind.WITHDRAWN, "applicant"),
    Transition(Status.IN_PROCESSING, Status.WITHDRAWN, CaseEventKind.WITHDRAWN, "applicant"),
    Transition(
        Status.WAITING_FOR_SUPPLEMENT, Status.WITHDRAWN, CaseEventKind.WITHDRAWN, "applicant"
    ),
)

# Statuses in which the processing clock stands still.
CLOCK_PAUSED = {Status.WAITING_FOR_SUPPLEMENT}
CLOCK_STOPPED = {Status.DECIDED, Status.CLOSED, Status.WITHDRAWN}


class TransitionRefused(ValidationError):
    """The case is not in a state from which this step is allowed (a second tab, a stale page)."""

    def __init__(self, source: str, target: str):
        self.source = source
        self.target = target
        super().__init__(
            _(
                "This cannot be done now: the case is “%(source)s”. "
                "Reload the case to see its current state."
            ),
            code="transition_refused",
            params={"source": Status(source).label},
        )


def find_transition(source: str, target: str, by: str) -> Transition | None:
    for item in TRANSITIONS:
        if (item.source, item.target, item.by) == (source, target, by):
            return item
    return None


def lock_case(application: Application) -> tuple[Application, CaseFile]:
    """Lock the application row and return it fresh with its case file (created when missing)."""
    # of=("self",): lock the case only, not its permit type, which every case of the type shares.
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("permit_type")
        .get(pk=application.pk)
    )
    case_file, _created = CaseFile.objects.get_or_create(application=locked)
    case_file.application = locked
    return locked, case_file


def _run_clock(case_file: CaseFile, source: str, target: str, now) -> None:
    if source in CLOCK_PAUSED and case_file.paused_since is not None:
        case_file.paused_total += now - case_file.paused_since
        case_file.paused_since = None
    if target in CLOCK_PAUSED:
        case_file.paused_since = now
    if target in CLOCK_STOPPED and case_file.clock_stopped_at is None:
        case_file.clock_stopped_at = now
    if target == Status.IN_PROCESSING:
        case_file.processing_rounds += 1


@transaction.atomic
def transition(
    application: Application,
    to: str,
    *,
    actor,
    by: str,
    details: dict[str, Any] | None = None,
) -> tuple[Application, CaseFile]:
    """Move the case to `to`, or raise TransitionRefused; returns the locked, updated rows.

    Call inside the service's own transaction, so that everything else the step writes commits or
    rolls back with the status."""
    application, case_file = lock_case(application)
    step = find_transition(application.status, to, by)
    if step is None:
        raise TransitionRefused(application.status, to)
    now = timezone.now()
    _run_clock(case_file, application.status, to, now)
    case_file.full_clean()
    case_file.save()
    application.status = to
    application.full_clean()
    application.save(update_fields=["status", "updated_at"])
    event = CaseEvent(
        application=application,
        kind=step.event_kind,
        actor=actor,
        at=now,
        details={"from": step.source, "to": step.target, **(details or {})},
    )
    event.full_clean()
    event.save()
    return application, case_file

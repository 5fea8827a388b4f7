"""Demo data of the back office: units, the demo caseworker's scope, and cases in processing,
waiting for supplementary information and decided. Run after applications.demo.load_demo_data;
idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.models import Application, PermitType, Status
from casework.models import CaseworkerScope, Unit
from casework.services import case_decide, case_take, internal_note_add, supplement_request_create
from securemail.demo import load_securemail_demo

UNITS = {
    "residence-permits": (
        "Residence permits",
        ["work-employed", "studies", "family-ties", "extended-permit"],
    ),
    "citizenship": ("Citizenship", ["citizenship"]),
}
DEMO_CASEWORKER = "caseworker@demo.invalid"


def _ensure_units() -> list[Unit]:
    units = []
    for code, (name, permit_codes) in UNITS.items():
        unit, _created = Unit.objects.get_or_create(code=code, defaults={"name": name})
        unit.permit_types.add(*PermitType.objects.filter(code__in=permit_codes))
        units.append(unit)
    return units


def _submitted_case(email: str, permit_code: str) -> Application | None:
    return Application.objects.filter(
        applicant__email=email, permit_type__code=permit_code, status=Status.SUBMITTED
    ).first()


@transaction.atomic
def load_casework_demo() -> int:
    """Returns how many demo cases were moved on (0 when already done or no demo data)."""
    units = _ensure_units()
    load_securemail_demo(unit_ids_by_code={unit.code: unit.pk for unit in units})
    caseworker = User.objects.filter(email=DEMO_CASEWORKER).first()
    if caseworker is None:
        return 0
    for unit in units:
        CaseworkerScope.objects.get_or_create(caseworker=caseworker, unit=unit)
    moved = 0
    waiting = _submitted_case("applicant@demo.invalid", "work-employed")
    if waiting is not None:
        case_take(application=waiting, actor=caseworker)
        supplement_request_create(
            application=waiting,
            actor=caseworker,
            message="Please send the employment contract signed by both you and the employer.",
            requested_kinds=["employment_contract"],
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )
        moved += 1
    processing = _submitted_case("applicant@demo.invalid", "studies")
    if processing is not None:
        case_take(application=processing, actor=caseworker)
        internal_note_add(
            application=processing,
            author=caseworker,
            text="Acceptance letter checked with the university's admissions office.",
        )
        moved += 1
    decided = _submitted_case("applicant2@demo.invalid", "citizenship")
    if decided is not None:
        case_take(application=decided, actor=caseworker)
        case_decide(
            application=decided,
            actor=caseworker,
            outcome="positive",
            reasoning="The residence, language skill and integrity requirements are met.",
            decision_maker_name="Aino Virtanen",
            decision_maker_title="Senior Inspector",
        )
        moved += 1
    return moved

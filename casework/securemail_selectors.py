"""Casework's reads for Securemail: which units a caseworker answers for, who can be assigned a
conversation, which case a conversation may be linked to. Securemail gets only unit ids."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from applications.models import Application
from casework.models import CaseworkerScope, Unit
from casework.selectors import cases_for_caseworker, related_or_none, unit_ids_of_caseworker
from securemail.selectors import CaseMailOfUnits

# The secure mail of a case in the caseworker's units, for the case page (reader_id: the
# caseworker's id; the units read at each request, as CaseworkerReach.unit_ids).
CASE_MAIL_OF_CASEWORKER = CaseMailOfUnits(unit_ids_of_caseworker)


def caseworker_units(user) -> QuerySet[Unit]:
    """The units the caseworker belongs to (a scope of a whole unit); a scope of one permit type
    gives no inbox: a unit's secure messages are not about one permit type."""
    if not user.is_authenticated or user.role != Role.CASEWORKER:
        return Unit.objects.none()
    return Unit.objects.filter(
        pk__in=CaseworkerScope.objects.filter(caseworker=user, unit__isnull=False).values("unit_id")
    ).order_by("name")


def caseworker_unit_ids(user) -> list[int]:
    return list(caseworker_units(user).values_list("pk", flat=True))


def caseworkers_of_unit(*, unit_id: int) -> QuerySet[User]:
    """Active caseworkers of the unit: the only people a conversation can be assigned to."""
    return (
        User.objects.filter(
            role=Role.CASEWORKER,
            is_active=True,
            casework_scopes__unit_id=unit_id,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def case_by_number_for_caseworker(*, user, case_number: str) -> Application | None:
    """A case the caseworker can see, by its exact case number; None for any other number."""
    case_number = (case_number or "").strip()
    if not case_number:
        return None
    return cases_for_caseworker(user).filter(case_number__iexact=case_number).first()


def unit_ids_for_case(application: Application) -> list[int]:
    """The units that handle a case: its case file's unit and the units of its permit type."""
    case_file = related_or_none(application, "case_file")
    condition = Q(permit_types=application.permit_type_id)
    if case_file is not None and case_file.unit_id:
        condition |= Q(pk=case_file.unit_id)
    return list(Unit.objects.filter(condition).distinct().values_list("pk", flat=True))

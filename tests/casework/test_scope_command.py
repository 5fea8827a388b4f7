"""The operators' command that defines units and grants caseworkers their scope."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import CaseworkerScope, Unit
from casework.selectors import cases_for_caseworker

pytestmark = pytest.mark.django_db


def test_a_unit_is_defined_and_a_caseworker_granted_it_sees_its_cases(
    make_user, submitted, permit_types
):
    user = make_user(role="caseworker")
    assert not cases_for_caseworker(user).exists()

    call_command("casework_scope", "unit", "work2", "Work permits", "work-employed")
    call_command("casework_scope", "grant", user.email, "--unit", "work2")

    assert list(Unit.objects.get(code="work2").permit_types.values_list("code", flat=True)) == [
        "work-employed"
    ]
    assert list(cases_for_caseworker(user)) == [submitted]


def test_an_applicant_cannot_be_given_a_scope_and_unknown_types_are_refused(
    make_user, permit_types
):
    applicant = make_user(role="applicant")
    with pytest.raises(CommandError):
        call_command("casework_scope", "grant", applicant.email, "--permit-type", "studies")
    with pytest.raises(CommandError):
        call_command("casework_scope", "unit", "x", "X", "no-such-type")
    assert not CaseworkerScope.objects.filter(caseworker=applicant).exists()

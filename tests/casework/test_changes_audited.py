"""Every change to a case is audited by its service, whoever calls it (a page, a command, a task):
the services are called here directly, with no request, and the record names who acted."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import AuditEvent
from casework import applicant_services, services

pytestmark = pytest.mark.django_db


def _recorded(application, action: str):
    return AuditEvent.objects.filter(
        action=action, object_type="applications.application", object_id=str(application.pk)
    )


def test_the_caseworkers_changes_are_audited_as_the_caseworker(
    in_processing, caseworker, colleague
):
    assert _recorded(in_processing, "casework.case_taken").get().actor_id == caseworker.pk
    services.internal_note_add(application=in_processing, author=caseworker, text="Checked.")
    services.case_assign(application=in_processing, assignee=colleague, actor=caseworker)
    services.case_decide(
        application=in_processing,
        actor=colleague,
        outcome="positive",
        reasoning="All met.",
        decision_maker_name="Aino Virtanen",
        valid_until=date(2099, 12, 31),
    )
    services.case_close(application=in_processing, actor=colleague)
    for action, actor in [
        ("casework.note_added", caseworker),
        ("casework.decided", colleague),
        ("casework.case_assigned", caseworker),
        ("casework.case_closed", colleague),
    ]:
        assert _recorded(in_processing, action).get().actor_id == actor.pk, action
    assert _recorded(in_processing, "casework.decided").get().details == {"outcome": "positive"}


def test_a_refused_change_is_not_audited(in_processing, colleague):
    # The colleague is not the assignee: the service refuses, and nothing is recorded.
    with pytest.raises(Exception, match="assign"):
        services.case_close(application=in_processing, actor=colleague)
    assert not _recorded(in_processing, "casework.case_closed").exists()


def test_the_applicants_changes_are_audited_as_the_applicant(waiting, applicant, caseworker):
    assert _recorded(waiting, "casework.supplement_requested").get().actor_id == caseworker.pk
    supplement = applicant_services.supplement_answer(
        application=waiting, applicant=applicant, text="The contract is on its way."
    )
    applicant_services.additional_information_add(
        application=waiting, applicant=applicant, text="One more thing."
    )
    applicant_services.application_withdraw(application=waiting, applicant=applicant)
    answered = _recorded(waiting, "application.supplement_answered").get()
    assert (answered.actor_id, answered.details) == (
        applicant.pk,
        {"request": supplement.pk, "late": False},
    )
    for action in ("application.information_added", "application.withdrawn"):
        assert _recorded(waiting, action).get().actor_id == applicant.pk, action

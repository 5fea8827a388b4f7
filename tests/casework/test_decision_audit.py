"""The decision PDF is stored by the caseworker who decided: the audit log names them."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import AuditEvent
from casework import services

pytestmark = pytest.mark.django_db


def test_the_stored_decision_is_audited_as_the_caseworkers_act(
    submit_case, applicant, caseworker, django_capture_on_commit_callbacks
):
    application = submit_case(applicant)
    services.case_take(application=application, actor=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.case_decide(
            application=application,
            actor=caseworker,
            outcome="positive",
            reasoning="Met.",
            decision_maker_name="Aino Virtanen",
            valid_until=date(2099, 12, 31),
        )
    stored = AuditEvent.objects.get(action="document.stored", object_id=str(decision.document_id))
    assert stored.actor == caseworker
    assert stored.actor_role == "caseworker"
    assert stored.details == {"purpose": "decision"}
    # The document still belongs to the applicant: only who acted changed.
    assert decision.document.owner == applicant

"""audit_record_bound: the record of a view written with the page's reads
(core.prepared_queries.all_together) is the row audit_record writes, field for field."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, audit_record_bound
from core.prepared_queries import PreparedQuery, all_together

pytestmark = pytest.mark.django_db

ACTIONS = PreparedQuery(lambda: AuditEvent.objects.values("action").order_by("id"))


def _request(user, address: str | None):
    request = RequestFactory().get("/cases/7/", REMOTE_ADDR=address or "")
    request.user = user
    request.request_id = "c" * 32
    return request


def _row(pk) -> dict:
    row = AuditEvent.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


@pytest.mark.parametrize(
    "arguments",
    [
        {"action": "application.viewed", "details": {"page": "case"}, "target": True},
        {"action": "application.listed"},
        {"action": "casework.queue_viewed", "details": {"page": 2, "all": False, "of": None}},
        {"action": "application.viewed", "object_type": "case", "object_id": 7, "actor": None},
        {"action": "audit.viewed", "request": False, "object_id": "x"},
    ],
)
@pytest.mark.parametrize("address", ["203.0.113.9", "2001:db8::7", None])
@pytest.mark.parametrize("signed_in", [True, False])
def test_a_record_written_with_reads_is_the_one_audit_record_writes(
    applicant, arguments, address, signed_in
):
    arguments = dict(arguments)
    request = _request(applicant if signed_in else AnonymousUser(), address)
    if arguments.pop("request", True):
        arguments["request"] = request
    if arguments.pop("target", False):
        arguments["target"] = applicant
    if "actor" in arguments and not signed_in:
        arguments["actor"] = applicant

    started = timezone.now()
    alone = audit_record(**arguments)
    bound = audit_record_bound(**arguments)
    before, (together,), after = all_together(ACTIONS.bound(), bound, ACTIONS.bound())

    assert together is bound.instance
    assert not together._state.adding and together.pk > alone.pk
    assert len(after) == len(before) + 1  # written in its place among the reads
    written, expected = _row(together.pk), _row(alone.pk)
    assert started <= expected.pop("at") <= written.pop("at") <= timezone.now()
    assert written == expected
    assert written["ip_address"] == (address if "request" in arguments else None)


def test_a_bound_record_refuses_free_text_as_audit_record_does(applicant):
    with pytest.raises(ValueError):
        audit_record_bound(action="x", actor=applicant, details={"note": "free text " * 10})
    assert not AuditEvent.objects.exists()

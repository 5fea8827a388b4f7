"""Retention of the audit log: events stay; their client address is cleared after the period."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from audit.models import AuditEvent
from audit.retention import audit_client_addresses_anonymise_expired
from audit.services import audit_record
from audit.tasks import audit_client_addresses_anonymise_expired as anonymise_task
from tests.retention import assert_scheduled, days_ago, made_at


def _event(applicant, address: str, *, age_days: float) -> AuditEvent:
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = applicant
    with made_at(days_ago(age_days)):
        return audit_record(action="case.viewed", request=request, object_type="case", object_id=7)


@pytest.mark.django_db(transaction=True)  # the PostgreSQL trigger sees what a worker does
def test_only_addresses_older_than_the_period_are_cleared_and_the_events_stay(settings, applicant):
    settings.RETENTION_AUDIT_CLIENT_ADDRESS_DAYS = 180
    old = [
        _event(applicant, "192.0.2.10", age_days=181),
        _event(applicant, "2001:db8::1", age_days=400),
    ]
    recent = _event(applicant, "198.51.100.7", age_days=179)

    anonymise_task.enqueue()  # the test settings run tasks at once

    assert AuditEvent.objects.count() == 3
    for event in old:
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.ip_address is None
        assert (stored.actor_id, stored.action, stored.object_id, stored.at) == (
            applicant.pk,
            "case.viewed",
            "7",
            event.at,
        )
    assert AuditEvent.objects.get(pk=recent.pk).ip_address == "198.51.100.7"
    assert audit_client_addresses_anonymise_expired() == 0  # idempotent
    assert_scheduled("audit.tasks.audit_client_addresses_anonymise_expired")


@pytest.mark.django_db(transaction=True)
def test_postgresql_still_refuses_every_other_change_to_the_log(applicant):
    if connection.vendor != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL only; SQLite relies on the model")
    event = _event(applicant, "192.0.2.10", age_days=1)
    attempts = [
        {"action": "tampered"},
        {"ip_address": None, "action": "tampered"},  # clearing the address hides no other change
        {"ip_address": "203.0.113.1"},  # an address may be cleared, never replaced
        {"at": days_ago(5)},
    ]
    for changes in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(**changes)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.ip_address) == ("case.viewed", "192.0.2.10")

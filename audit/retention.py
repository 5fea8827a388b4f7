"""Retention of the audit log: the events are kept; the client's address in them is cleared after
RETENTION_AUDIT_CLIENT_ADDRESS_DAYS (see core/retention.py for the pattern)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from audit.models import AuditEvent
from core.retention import retention_cutoff, update_in_batches


def audit_client_addresses_anonymise_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Clear the client address of events older than the period; who did what to which record,
    and when, stays. The PostgreSQL trigger allows this one change (audit migration 0003)."""
    cutoff = retention_cutoff(now=now, days=settings.RETENTION_AUDIT_CLIENT_ADDRESS_DAYS)
    expired = AuditEvent.objects.filter(at__lt=cutoff, ip_address__isnull=False)
    return update_in_batches(expired, batch_size=batch_size, ip_address=None)

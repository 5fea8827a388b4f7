"""Reading the audit log for administrators."""

from __future__ import annotations

from datetime import datetime

from audit.models import AuditEvent


def audit_event_list(
    *,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_id=None,
    since: datetime | None = None,
    before: datetime | None = None,
):
    """Events, newest first, with their actors in the same query (the page's query count stays
    the same however many rows it shows)."""
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if since:
        events = events.filter(at__gte=since)
    if before:
        events = events.filter(at__lt=before)
    return events

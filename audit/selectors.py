"""Reading the audit log for administrators."""

from audit.models import AuditEvent


def audit_event_list(
    *, action: str = "", object_type: str = "", object_id: str = "", actor_id=None
):
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    return events

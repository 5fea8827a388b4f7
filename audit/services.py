"""Writing to the audit log. The service that changes personal data records the change (so that
commands, tasks and demo data are audited too); a view records what it showed. Details hold ids and
codes only."""

from __future__ import annotations

from typing import Any

from django.db import models

from audit.models import AuditEvent
from core.prepared_queries import BoundInsert, insert_row

_ALLOWED_DETAIL_TYPES = (int, float, bool, type(None))


def _client_address(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client. Behind a reverse proxy,
    # core.middleware.TrustedProxyMiddleware puts the client's address here (TRUSTED_PROXIES).
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def audit_record(
    *,
    action: str,
    request=None,
    actor=None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` defaults to the request's signed-in user."""
    event = _event(action, request, actor, target, object_type, object_id, details)
    # Every view of personal data writes one: the statement is compiled once per process.
    insert_row(event)
    return event


def audit_record_bound(
    *,
    action: str,
    request=None,
    actor=None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> BoundInsert:
    """audit_record's event, written by core.prepared_queries.all_together where it stands
        among a page's reads: on PostgreSQL in the same execute (the round trip of its own that the
        record of a view would cost), elsewhere as its own statement in turn. The row is the one
        audit_record writes, its time (auto_now_add) taken as all_together prepares the statements,
    just before their execute."""
    return BoundInsert(_event(action, request, actor, target, object_type, object_id, details))


def _event(action, request, actor, target, object_type, object_id, details) -> AuditEvent:
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    for key, value in (details or {}).items():
        # Strings are allowed only as short codes (ids, statuses); free text could carry personal data.
        if not isinstance(value, _ALLOWED_DETAIL_TYPES) and not (
            isinstance(value, str) and len(value) <= 64
        ):
            raise ValueError(f"audit detail {key!r} must be an id or a short code")
    return AuditEvent(
        actor=actor,
        actor_role=getattr(actor, "role", "") if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        ip_address=_client_address(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        details=details or {},
    )

"""The audit log, for administrators."""

from django.core.paginator import Paginator
from django.shortcuts import render

from audit.selectors import audit_event_list
from audit.services import audit_record
from core.permissions import role_required
from core.roles import Role


@role_required(Role.ADMINISTRATOR)
def audit_log(request):
    # Recorded first, so that the page's count and its rows are read from the same state.
    audit_record(action="audit.viewed", request=request)
    events = audit_event_list(
        action=request.GET.get("action", "")[:64],
        object_type=request.GET.get("object_type", "")[:64],
        object_id=request.GET.get("object_id", "")[:64],
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})

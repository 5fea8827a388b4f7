"""The audit log, for administrators."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.models import Role
from audit.selectors import audit_event_list
from audit.services import audit_record
from core.permissions import role_required


@role_required(Role.ADMINISTRATOR)
def audit_log(request):
    events = audit_event_list(
        action=request.GET.get("action", "")[:64],
        object_type=request.GET.get("object_type", "")[:64],
        object_id=request.GET.get("object_id", "")[:64],
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit_record(action="audit.viewed", request=request, details={"page": page.number})
    return render(request, "audit/log.html", {"page": page})

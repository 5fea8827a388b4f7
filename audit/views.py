"""The audit log, for administrators (the security team)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from audit.forms import AuditLogFilterForm
from audit.selectors import audit_event_list
from audit.services import audit_record
from core.permissions import role_required
from core.roles import Role

PAGE_SIZE = 50


@role_required(Role.ADMINISTRATOR)
def audit_log(request):
    # Recorded first, so that the page's count and its rows are read from the same state.
    audit_record(action="audit.viewed", request=request)
    form = AuditLogFilterForm(request.GET or None)
    # A wrong field shows its error; the valid ones still filter (cleaned_data holds only those).
    if form.is_bound:
        form.is_valid()
    filters = form.filters() if form.is_bound else {}
    page = Paginator(audit_event_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/log.html", {"page": page, "form": form}, status=400 if form.errors else 200
    )

"""Reporting a suspicious message: the report page, the reporter's result, and the evidence file."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from accounts.submissions import accepted_once
from audit.services import audit_record
from core.ratelimit import rate_limited
from documents.forms import upload_too_large
from documents.upload_handlers import upload_limit
from trust.forms import REPORT_FORMS, submitted_form
from trust.models import ReportSource, ScamReport
from trust.selectors import public_warning_of, report_address
from trust.services import scam_report_evidence, scam_report_result, scam_report_submit
from trust.views.common import (
    CheckFailed,
    presented,
    rate_limited_page,
    result_from_dict,
    run_check_safely,
)

REPORT_LIMIT = (20, 60 * 60)
SESSION_REPORTS = "trust_reports"
SESSION_EVIDENCE = "trust_evidence"
EVIDENCE_SALT = "trust.report.evidence"


def evidence_link_seconds() -> int:
    return settings.TRUST_EVIDENCE_LINK_SECONDS


def _remember_report(request, report: ScamReport) -> None:
    # Only the browser that reported sees the result; the last few reports are enough.
    reports = [*request.session.get(SESSION_REPORTS, []), str(report.public_id)][-10:]
    request.session[SESSION_REPORTS] = reports


def _own_report(request, public_id) -> ScamReport:
    if str(public_id) not in request.session.get(SESSION_REPORTS, []):
        raise Http404
    return get_object_or_404(ScamReport.objects.select_related("campaign"), public_id=public_id)


@upload_limit("TRUST_MAX_MESSAGE_BYTES")
@require_http_methods(["GET", "POST"])
@rate_limited(
    "trust.report",
    limit=REPORT_LIMIT[0],
    window_seconds=REPORT_LIMIT[1],
    on_limited=rate_limited_page,
)
@accepted_once
def report_page(request):
    form = submitted_form(
        REPORT_FORMS,
        request.POST or None,
        request.FILES or None,
        upload_stopped=upload_too_large(request),
    )
    if form is not None and form.is_valid():
        channel, content_kind, content = form.content()
        try:
            result = run_check_safely(
                channel=channel,
                content_kind=content_kind,
                content=content,
                sender=form.cleaned_data.get("sender", ""),
                recipient=form.cleaned_data.get("recipient", ""),
            )
        except CheckFailed as error:
            form.add_error(None, str(error))
        else:
            report = scam_report_submit(
                source=ReportSource.CHECK if request.POST.get("from_check") else ReportSource.WEB,
                channel=channel,
                content_kind=content_kind,
                content=content,
                reporter_address=form.cleaned_data.get("reporter_address", ""),
                recipient=form.cleaned_data.get("recipient", ""),
                language=(get_language() or "")[:2],
                result=result,
                request=request,
            )
            _remember_report(request, report)
            return redirect("trust:report_result", public_id=report.public_id)
    context = {
        "form": form,
        "error_forms": [form] if form is not None else [],
        "report_address": report_address(),
    }
    return render(request, "trust/report.html", context, status=400 if form is not None else 200)


@require_GET
def report_result(request, public_id):
    report = _own_report(request, public_id)
    audit_record(action="trust.report.viewed", request=request, target=report)
    result = result_from_dict(scam_report_result(report))
    nonce = secrets.token_urlsafe(16)
    request.session[SESSION_EVIDENCE] = {
        **request.session.get(SESSION_EVIDENCE, {}),
        str(report.public_id): nonce,
    }
    token = signing.dumps({"r": str(report.public_id), "n": nonce}, salt=EVIDENCE_SALT)
    context = {
        **presented(result),
        "report": report,
        # The published snapshot (its title and the campaign's public id), not the working copy.
        "campaign": public_warning_of(report.campaign),
        "evidence_token": token,
        "evidence_minutes": evidence_link_seconds() // 60,
    }
    return render(request, "trust/report_result.html", context)


@require_GET
def report_evidence(request, public_id):
    """The reported message as a file, once, shortly after reporting, in the reporter's browser."""
    report = _own_report(request, public_id)
    try:
        payload = signing.loads(
            request.GET.get("token", ""), salt=EVIDENCE_SALT, max_age=evidence_link_seconds()
        )
    except signing.BadSignature:
        raise Http404 from None
    issued = request.session.get(SESSION_EVIDENCE, {})
    if payload.get("r") != str(report.public_id) or issued.get(
        str(report.public_id)
    ) != payload.get("n"):
        raise Http404
    issued.pop(str(report.public_id))
    request.session[SESSION_EVIDENCE] = issued
    return evidence_response(*scam_report_evidence(report=report, request=request, by="reporter"))


def evidence_response(filename: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response

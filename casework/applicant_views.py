"""The applicant's pages of a submitted case: the request and its answer, additional information,
withdrawal, the decision and the processing estimate. Scoped to the applicant's own cases."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.submissions import accepted_once
from applications.display import answer_sections
from applications.selectors import attachments_of_read, case_events_of_read
from audit.services import audit_record, audit_record_bound
from casework import applicant_services
from casework.applicant_selectors import (
    case_of_applicant,
    open_request_of_case,
    open_request_of_case_read,
)
from casework.clock import processing_time
from casework.forms import AdditionalInformationForm, SupplementAnswerForm, WithdrawForm
from casework.selectors import related_or_none
from casework.services import attachment_kind_labels
from casework.timeline import case_timeline
from core.permissions import role_required
from core.prepared_queries import all_together
from documents.selectors import servable
from payments.selectors import application_receipts_read
from securemail.selectors_backoffice import conversations_of_user_about_case_read

applicant_required = role_required(Role.APPLICANT)


def _answer_kind_labels(application, request) -> dict[str, str]:
    """The requested kinds first, then the other kinds the case knows."""
    labels = attachment_kind_labels(application)
    requested = {code: labels[code] for code in request.requested_kinds if code in labels}
    return {**requested, **labels}


@applicant_required
@require_GET
def detail(request, application_id: int):
    """The one page of the applicant's case: what they must do next (or the decision) at the top,
    then the processing time, payments, timeline, answers, attachments and other actions."""
    application = case_of_applicant(user=request.user, application_id=application_id)
    # The view's audit record, then the case's lists, sent together (one execute on PostgreSQL);
    # the case is read alone first, so another user's id answers 404 and writes no record.
    _viewed, open_requests, conversations, events, attachments, receipts = all_together(
        audit_record_bound(
            action="application.viewed",
            request=request,
            target=application,
            details={"page": "case"},
        ),
        open_request_of_case_read(application),
        conversations_of_user_about_case_read(user=request.user, case_id=application.pk),
        case_events_of_read(application),
        attachments_of_read(application),
        application_receipts_read(application_id=application.pk),
    )
    open_request = open_requests[0] if open_requests else None
    labels = attachment_kind_labels(application)
    decision = related_or_none(application, "decision")
    schema = application.schema
    return render(
        request,
        "casework/applicant/detail.html",
        {
            "application": application,
            "time": processing_time(application),
            "open_request": open_request,
            "requested_labels": [labels.get(code, code) for code in open_request.requested_kinds]
            if open_request
            else [],
            "decision": decision,
            "decision_ready": decision is not None and servable(decision.document),
            "can_add": application.status in applicant_services.OPEN_FOR_ADDITIONS,
            "secure_conversations": conversations,
            # Just sent: the review page sends the applicant here with ?sent=1.
            "just_sent": request.GET.get("sent") == "1",
            # The case's events only: the applicant reads their secure messages in Securemail.
            "timeline": case_timeline(events=events, secure_messages=()),
            "answer_sections": answer_sections(schema, application.submitted_answers),
            "attachments": attachments,
            "kind_labels": labels,
            "receipts": receipts,
        },
    )


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def answer(request, application_id: int):
    application = case_of_applicant(user=request.user, application_id=application_id)
    open_request = open_request_of_case(application)
    if open_request is None:
        messages.info(request, _("There is no open request to answer."))
        return redirect("cases:detail", application_id=application.pk)
    form = SupplementAnswerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        kind_labels=_answer_kind_labels(application, open_request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            applicant_services.supplement_answer(
                application=application,
                applicant=request.user,
                text=form.cleaned_data["text"],
                uploads=form.uploads(),
                request=request,
            )
        except applicant_services.AlreadyAnswered as error:
            messages.info(request, error.messages[0])
            return redirect("cases:detail", application_id=application.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer has been sent. Thank you."))
            return redirect("cases:detail", application_id=application.pk)
    # Shown again after a refused POST too: every showing of the page is audited.
    audit_record(
        action="application.viewed",
        request=request,
        target=application,
        details={"page": "answer"},
    )
    return render(
        request,
        "casework/applicant/answer.html",
        {"application": application, "open_request": open_request, "form": form},
    )


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def add_information(request, application_id: int):
    application = case_of_applicant(user=request.user, application_id=application_id)
    form = AdditionalInformationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        kind_labels=attachment_kind_labels(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            applicant_services.additional_information_add(
                application=application,
                applicant=request.user,
                text=form.cleaned_data["text"],
                uploads=form.uploads(),
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your additional information has been sent."))
            return redirect("cases:detail", application_id=application.pk)
    # Shown again after a refused POST too: every showing of the page is audited.
    audit_record(
        action="application.viewed",
        request=request,
        target=application,
        details={"page": "add_information"},
    )
    return render(
        request,
        "casework/applicant/add_information.html",
        {"application": application, "form": form},
    )


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def withdraw(request, application_id: int):
    application = case_of_applicant(user=request.user, application_id=application_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant_services.application_withdraw(
                application=application, applicant=request.user, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your application has been withdrawn."))
            return redirect("cases:detail", application_id=application.pk)
    return render(
        request, "casework/applicant/withdraw.html", {"application": application, "form": form}
    )

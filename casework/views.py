"""The caseworkers' pages: the queue, the case page and its actions. Every view is audited, and
every case is looked up through the caseworker's scope (a case outside it answers 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.submissions import accepted_once
from applications.display import answer_sections
from audit.services import audit_record, audit_record_bound
from casework import services
from casework.clock import processing_time
from casework.forms import (
    AssignForm,
    DecisionForm,
    NoteForm,
    QueueFilterForm,
    SupplementRequestForm,
)
from casework.queue_rows import queue_rows
from casework.securemail_selectors import CASE_MAIL_OF_CASEWORKER
from casework.selectors import (
    QUEUE_PAGE_SIZE,
    attachments_of_case,
    case_for_caseworker,
    case_queue,
    colleagues_for_case,
    colleagues_listed_read,
    permit_types_and_queue_as_opened,
    permit_types_in_order,
    queue_as_opened,
    related_or_none,
    with_case_lists,
)
from casework.timeline import case_timeline
from core.pagination import page_of
from core.permissions import role_required
from core.prepared_queries import sends_together
from documents.selectors import servable
from documents.services import document_open_stream
from documents.validation import ACCEPTED_TYPES

caseworker_required = role_required(Role.CASEWORKER)


@caseworker_required
@require_GET
def queue(request):
    as_opened = None
    # The queue as it opens (no filter, the first page), read with the filter's permit types,
    # its audit record (of page 1: the page it shows) written in the same execute after them.
    recorded = not request.GET
    if recorded:
        viewed = audit_record_bound(
            action="casework.queue_viewed", request=request, details={"page": 1}
        )
        permit_types, as_opened = permit_types_and_queue_as_opened(
            user=request.user, also=(viewed,)
        )
    else:
        permit_types = permit_types_in_order()
    form = QueueFilterForm(request.GET or None, permit_types=permit_types)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {
        "status": filters.get("status", ""),
        "permit_type_code": filters.get("permit_type", ""),
        "older_than_days": filters.get("older_than_days"),
        "case_number": filters.get("case_number", ""),
        "mine": filters.get("assigned") == "mine",
        "unassigned": filters.get("assigned") == "unassigned",
    }
    page = None
    if (
        as_opened is None
        and not any(chosen.values())
        and str(request.GET.get("page") or "1") == "1"
    ):
        as_opened = queue_as_opened(user=request.user)
    if as_opened is not None:
        page = _whole_first_page(as_opened)
    if page is None:
        cases = case_queue(user=request.user, **chosen)
        page = page_of(cases, QUEUE_PAGE_SIZE, request.GET.get("page"))
    rows = queue_rows(page.object_list, timezone.now())
    if not recorded:
        audit_record(action="casework.queue_viewed", request=request, details={"page": page.number})
    return render(request, "casework/queue.html", {"form": form, "page": page, "rows": rows})


def _whole_first_page(rows: list) -> Page | None:
    """The queue's one page when the rows read (a page and one more) all fit on it, as page_of
    gives it; None when there are more (the paginator then counts them)."""
    if len(rows) > QUEUE_PAGE_SIZE:
        return None
    return Page(rows, 1, Paginator(rows, QUEUE_PAGE_SIZE))


def _case_page(request, application, *, status: int = 200, **forms):
    """The case page, audited as a view: on GET, and again after a POST whose form has errors."""
    # The case's lists, its secure messages and the colleagues to assign it to (unless the
    # refused assign form is shown again), read together (one execute on PostgreSQL).
    mail = {"case_id": application.pk, "reader_id": request.user.pk}
    also = [CASE_MAIL_OF_CASEWORKER.messages_read(**mail)]
    if "assign_form" not in forms:
        also.append(colleagues_listed_read(application=application))
    # A conversation starts with its first message in one transaction
    # (securemail.services.conversation_start) and is deleted whole, so no message means no
    # conversation: where the statements are not sent together, the heavier query of the
    # conversations (a count of the unread per conversation) is left out on the many cases
    # without any; where they are, it costs no statement of its own.
    if sends_together():
        also.append(CASE_MAIL_OF_CASEWORKER.conversations_read(**mail))
    # The view's audit record, written after the reads in the same execute (PostgreSQL).
    also.append(
        audit_record_bound(action="casework.case_viewed", request=request, target=application)
    )
    secure_messages, *others, _viewed = with_case_lists(application, *also)
    colleagues = others.pop(0) if "assign_form" not in forms else None
    if not secure_messages:
        secure_conversations = []
    elif others:
        secure_conversations = others[0]
    else:
        secure_conversations = CASE_MAIL_OF_CASEWORKER.conversations(**mail)
    context = _case_context(
        request,
        application,
        secure_messages=secure_messages,
        secure_conversations=secure_conversations,
        colleagues=colleagues,
        **forms,
    )
    return render(request, "casework/case.html", context, status=status)


def _case_context(
    request, application, *, secure_messages, secure_conversations, colleagues, **forms
) -> dict:
    kind_labels = services.attachment_kind_labels(application)
    case_file = related_or_none(application, "case_file")
    return {
        "application": application,
        "case_file": case_file,
        # None rather than an exception for the template to swallow on every undecided case.
        "decision": related_or_none(application, "decision"),
        "time": processing_time(application),
        "answer_sections": answer_sections(application.schema, application.submitted_answers),
        # Each file with its kind's label and whether it is offered for download (only files
        # scanned clean are).
        "attachments": [
            (
                attachment,
                kind_labels.get(attachment.kind, ""),
                servable(attachment.document),
            )
            for attachment in application.attachment_list
        ],
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm.listed(
            initial={"assignee": getattr(case_file, "assignee_id", None)}, colleagues=colleagues
        ),
        "is_assignee": case_file is not None and case_file.assignee_id == request.user.pk,
        "secure_conversations": secure_conversations,
        "timeline": case_timeline(events=application.timeline, secure_messages=secure_messages),
    }


@caseworker_required
@require_GET
def case(request, application_id: int):
    application = case_for_caseworker(user=request.user, application_id=application_id)
    return _case_page(request, application)


def _act(request, application_id: int, call, success: str):
    """Run one POST action on a scoped case, then back to the case page (post/redirect/get): a
    refused step shows its error there. Only the case is read, not the lists its page shows."""
    application = case_for_caseworker(user=request.user, application_id=application_id)
    try:
        call(application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("casework:case", application_id=application_id)


@caseworker_required
@accepted_once
@require_POST
def take(request, application_id: int):
    return _act(
        request,
        application_id,
        lambda application: services.case_take(
            application=application, actor=request.user, request=request
        ),
        _("The case is now assigned to you."),
    )


@caseworker_required
@accepted_once
@require_POST
def assign(request, application_id: int):
    application = case_for_caseworker(user=request.user, application_id=application_id)
    form = AssignForm(request.POST, colleagues=colleagues_for_case(application=application))
    if not form.is_valid():
        return _case_page(request, application, status=400, assign_form=form)
    try:
        services.case_assign(
            application=application,
            assignee=form.cleaned_data["assignee"],
            actor=request.user,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case has been assigned."))
    return redirect("casework:case", application_id=application_id)


@caseworker_required
@accepted_once
@require_POST
def add_note(request, application_id: int):
    application = case_for_caseworker(user=request.user, application_id=application_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.internal_note_add(
                application=application,
                author=request.user,
                text=form.cleaned_data["text"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("The note has been saved."))
            return redirect("casework:case", application_id=application_id)
    return _case_page(request, application, status=400, note_form=form)


@caseworker_required
@accepted_once
@require_POST
def resume(request, application_id: int):
    return _act(
        request,
        application_id,
        lambda item: services.case_resume_processing(
            application=item, actor=request.user, request=request
        ),
        _("Processing has resumed."),
    )


@caseworker_required
@accepted_once
@require_POST
def mark_seen(request, application_id: int):
    return _act(
        request,
        application_id,
        lambda item: services.case_mark_seen(application=item, actor=request.user, request=request),
        _("The new information is marked as read."),
    )


@caseworker_required
@accepted_once
@require_POST
def close(request, application_id: int):
    return _act(
        request,
        application_id,
        lambda item: services.case_close(application=item, actor=request.user, request=request),
        _("The case has been closed."),
    )


def _form_page(request, application, form, *, page: str, template: str, perform):
    """A page with one form that acts on the case: `perform(cleaned_data)` calls the service (which
    audits the change) and returns the success message. A refusal shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            success = perform(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect("casework:case", application_id=application.pk)
    else:
        audit_record(
            action="casework.case_viewed",
            request=request,
            target=application,
            details={"page": page},
        )
    return render(request, template, {"application": application, "form": form})


@caseworker_required
@accepted_once
@require_http_methods(["GET", "POST"])
def request_supplement(request, application_id: int):
    application = case_for_caseworker(user=request.user, application_id=application_id)
    form = SupplementRequestForm(
        request.POST if request.method == "POST" else None,
        kind_labels=services.attachment_kind_labels(application),
    )

    def perform(cleaned):
        services.supplement_request_create(
            application=application,
            actor=request.user,
            message=cleaned["message"],
            requested_kinds=cleaned["requested_kinds"],
            deadline=cleaned["deadline"],
            request=request,
        )
        return _("The request has been sent to the applicant.")

    return _form_page(
        request,
        application,
        form,
        page="request_supplement",
        template="casework/request_supplement.html",
        perform=perform,
    )


# The steps of the decision page: the form, what will be sent, and sending it.
DECISION_STEP_PREVIEW = "preview"
DECISION_STEP_EDIT = "edit"
DECISION_STEP_SEND = "send"


@caseworker_required
@accepted_once
@require_http_methods(["GET", "POST"])
def decide(request, application_id: int):
    """Decide in two steps without JavaScript: the form, then a page that shows what will be sent
    (the draft travels in hidden fields, nothing is saved) with "Confirm and send" and "Back to
    edit". Only the confirmation, carrying a submission token, decides."""
    application = case_for_caseworker(user=request.user, application_id=application_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    step = request.POST.get("step", DECISION_STEP_PREVIEW)
    if request.method == "POST" and step == DECISION_STEP_EDIT:
        # Back to the form with what was typed; a valid draft shows no errors.
        form.is_valid()
        return render(request, "casework/decide.html", {"application": application, "form": form})
    if request.method == "POST" and step != DECISION_STEP_SEND and form.is_valid():
        preview = services.decision_preview(application=application, **form.cleaned_data)
        audit_record(
            action="casework.case_viewed",
            request=request,
            target=application,
            details={"page": "decide_confirm"},
        )
        return render(
            request,
            "casework/decide_confirm.html",
            {"application": application, "form": form, "preview": preview},
        )

    def perform(cleaned):
        services.case_decide(
            application=application, actor=request.user, **cleaned, request=request
        )
        return _("The decision has been made and sent to the applicant.")

    return _form_page(
        request, application, form, page="decide", template="casework/decide.html", perform=perform
    )


def _case_documents(application) -> dict:
    documents = {
        str(item.document_id): item.document for item in attachments_of_case(application.pk)
    }
    decision = related_or_none(application, "decision")
    if decision is not None:
        documents[str(decision.document_id)] = decision.document
    return documents


@caseworker_required
@require_GET
def document(request, application_id: int, document_id):
    """A document of a case in the caseworker's scope: an attachment or the decision."""
    application = case_for_caseworker(user=request.user, application_id=application_id)
    found = _case_documents(application).get(str(document_id))
    if found is None:
        raise Http404
    if not servable(found):
        return render(request, "documents/unavailable.html", {"document": found}, status=409)
    chunks = document_open_stream(document=found)
    audit_record(
        action="casework.document_downloaded",
        request=request,
        target=found,
        details={"application": application.pk},
    )
    accepted = ACCEPTED_TYPES.get(found.content_type)
    filename = (
        f"{application.case_number}-{str(found.pk)[:8]}.{accepted.extension if accepted else 'bin'}"
    )
    response = StreamingHttpResponse(chunks, content_type=found.content_type)
    response["Content-Length"] = str(found.size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

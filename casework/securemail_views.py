"""The back office's secure inbox: a unit's conversations (unread first), one conversation with its
read receipts, reply with attachments, assign, link to a case, close and reopen.

Every conversation is looked up through the caseworker's units (another unit's id answers 404);
the opens of messages and attachments are audited by Securemail's services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.submissions import accepted_once
from audit.services import audit_record
from casework.securemail_forms import (
    ConversationAssignForm,
    InboxFilterForm,
    LinkCaseForm,
    ReplyForm,
)
from casework.securemail_selectors import (
    case_by_number_for_caseworker,
    caseworker_unit_ids,
    caseworker_units,
    caseworkers_of_unit,
)
from casework.views import caseworker_required
from core.pagination import page_of
from documents.services import DocumentUnavailable
from documents.upload_handlers import stores_documents, upload_limit
from documents.views import download_filename
from securemail.selectors import attachment_in_conversation
from securemail.selectors_backoffice import conversation_for_back_office, inbox_for_units
from securemail.services import (
    ConversationClosed,
    MessageRefused,
    attachment_open,
    conversation_assign,
    conversation_close,
    conversation_link_case,
    conversation_open_for_authority,
    conversation_reopen,
    message_send_from_authority,
)

INBOX_PAGE_SIZE = 50
_TEXT_ERRORS = {"subject_missing", "subject_too_long", "body_missing", "body_too_long"}


def _scoped(request, conversation_id):
    return conversation_for_back_office(
        conversation_id=conversation_id, unit_ids=caseworker_unit_ids(request.user)
    )


@caseworker_required
@require_GET
def inbox(request):
    units = list(caseworker_units(request.user))
    form = InboxFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    unit_ids = [unit.pk for unit in units]
    if filters.get("unit"):
        unit_ids = [int(filters["unit"])]
    conversations = inbox_for_units(
        unit_ids=unit_ids,
        status=filters.get("status", ""),
        assignee=request.user if filters.get("assigned") == "mine" else None,
        unassigned=filters.get("assigned") == "unassigned",
    )
    page = page_of(conversations, INBOX_PAGE_SIZE, request.GET.get("page"))
    audit_record(
        action="casework.securemail_inbox_viewed", request=request, details={"page": page.number}
    )
    return render(
        request,
        "casework/securemail/inbox.html",
        {"form": form, "page": page, "has_units": bool(units)},
    )


def _conversation_page(request, conversation, *, status=200, **forms):
    opened = conversation_open_for_authority(
        conversation=conversation, actor=request.user, request=request
    )
    context = {
        "conversation": conversation,
        "messages_opened": opened,
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "assign_form": forms.get("assign_form")
        or ConversationAssignForm(
            initial={"assignee": conversation.assignee_id},
            caseworkers=caseworkers_of_unit(unit_id=conversation.unit_id),
        ),
        "link_form": forms.get("link_form")
        or LinkCaseForm(initial={"case_number": conversation.case_number or ""}),
    }
    return render(request, "casework/securemail/conversation.html", context, status=status)


@stores_documents
@upload_limit("SECUREMAIL_UPLOAD_MAX_BYTES", per_file_setting="SECUREMAIL_ATTACHMENT_MAX_BYTES")
@caseworker_required
@accepted_once
@require_http_methods(["GET", "POST"])
def conversation(request, conversation_id):
    """One conversation (every message opened is audited; the sender's are marked read) and the
    reply form; a reply notifies the sender without content and without a link."""
    found = _scoped(request, conversation_id)
    if request.method != "POST":
        return _conversation_page(request, found)
    form = ReplyForm(request.POST, request.FILES, request=request)
    if form.is_valid():
        try:
            message_send_from_authority(
                conversation=found,
                author=request.user,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except MessageRefused as error:
            field = None if error.code in _TEXT_ERRORS else "attachments"
            form.add_error(field, error.messages[0])
        except ConversationClosed:
            form.add_error(None, _("This conversation is closed. Reopen it to reply."))
        else:
            messages.success(request, _("Your reply has been sent securely."))
            return redirect("casework:securemail_conversation", conversation_id=found.pk)
    return _conversation_page(request, found, status=400, reply_form=form)


@caseworker_required
@accepted_once
@require_POST
def assign(request, conversation_id):
    found = _scoped(request, conversation_id)
    form = ConversationAssignForm(
        request.POST, caseworkers=caseworkers_of_unit(unit_id=found.unit_id)
    )
    if not form.is_valid():
        return _conversation_page(request, found, status=400, assign_form=form)
    conversation_assign(
        conversation=found, assignee=form.cleaned_data["assignee"], actor=request.user
    )
    messages.success(request, _("The conversation has been assigned."))
    return redirect("casework:securemail_conversation", conversation_id=found.pk)


@caseworker_required
@accepted_once
@require_POST
def link_case(request, conversation_id):
    """Link to a case the caseworker can see (by its number); an empty number removes the link."""
    found = _scoped(request, conversation_id)
    form = LinkCaseForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["case_number"]
        case = case_by_number_for_caseworker(user=request.user, case_number=number)
        if number and case is None:
            form.add_error(
                "case_number", _("No case with this number is among the cases you can see.")
            )
        else:
            try:
                conversation_link_case(
                    conversation=found, case_id=case.pk if case else None, actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                success = (
                    _("The conversation is now linked to the case.")
                    if case
                    else _("The link to the case has been removed.")
                )
                messages.success(request, success)
                return redirect("casework:securemail_conversation", conversation_id=found.pk)
    return _conversation_page(request, found, status=400, link_form=form)


@caseworker_required
@accepted_once
@require_POST
def close(request, conversation_id):
    found = _scoped(request, conversation_id)
    conversation_close(conversation=found, actor=request.user)
    messages.success(request, _("The conversation has been closed."))
    return redirect("casework:securemail_conversation", conversation_id=found.pk)


@caseworker_required
@accepted_once
@require_POST
def reopen(request, conversation_id):
    found = _scoped(request, conversation_id)
    conversation_reopen(conversation=found, actor=request.user)
    messages.success(request, _("The conversation has been reopened."))
    return redirect("casework:securemail_conversation", conversation_id=found.pk)


@caseworker_required
@require_GET
def attachment(request, conversation_id, attachment_id):
    """A file of a conversation in the caseworker's units; only a file scanned clean is served,
    and each download is audited by Securemail's service."""
    found = _scoped(request, conversation_id)
    item = attachment_in_conversation(attachment_id=attachment_id, conversation=found)
    document = item.document
    try:
        chunks = attachment_open(
            attachment=item, side="authority", actor=request.user, request=request
        )
    except DocumentUnavailable:
        return render(request, "documents/unavailable.html", {"document": document}, status=409)
    response = StreamingHttpResponse(chunks, content_type=document.content_type)
    response["Content-Length"] = str(document.size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=download_filename(document)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

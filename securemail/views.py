"""The public's Securemail pages: ask for a one-time code, type it, read and write conversations.

No account is needed: a session verified by a code sees the conversations of that address only.
Views parse the request and call one service or selector; every rule lives in the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from accounts.submissions import accepted_once
from core.permissions import verified_login_required
from core.ratelimit import client_address, too_many_requests_page
from documents.services import DocumentUnavailable
from documents.upload_handlers import stores_documents, upload_limit
from documents.views import download_filename
from securemail.access import (
    AccessCodeRefused,
    RateLimited,
    access_code_request,
    access_code_verify,
    access_end,
    official_address,
    session_binding,
    verified_access,
)
from securemail.forms import CodeForm, EmailForm, MessageForm, NewConversationForm
from securemail.selectors import (
    attachment_in_conversation,
    conversation_for_correspondent,
    conversations_for_correspondent,
)
from securemail.services import (
    ConversationClosed,
    Correspondent,
    MessageRefused,
    attachment_open,
    conversation_open_for_correspondent,
    conversation_start,
    message_send_from_public,
)


def _access(request):
    return verified_access(binding=request.session.get("securemail_binding"))


def _limited(request, error: RateLimited):
    return too_many_requests_page(request, error.result)


@require_http_methods(["GET", "POST"])
@accepted_once
def start(request):
    """The official address: type your email address to get a one-time code."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_code_request(
                email=form.cleaned_data["email"],
                binding=session_binding(request.session),
                client_key=client_address(request),
                language=translation.get_language() or "",
            )
        except RateLimited as error:
            return _limited(request, error)
        return redirect("securemail:code")
    return render(
        request,
        "securemail/start.html",
        {"form": form, "official_address": official_address(), "access": _access(request)},
    )


@require_http_methods(["GET", "POST"])
@accepted_once
def code(request):
    """Type the code from the email; a refusal says why and what to do next."""
    form = CodeForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            access_code_verify(
                binding=session_binding(request.session),
                code=form.cleaned_data["code"],
                client_key=client_address(request),
            )
        except RateLimited as error:
            return _limited(request, error)
        except AccessCodeRefused as error:
            refusal = error.reason
        else:
            return redirect("securemail:inbox")
    # A refused code and a form that does not validate (empty, too long) are both bad input.
    status = 400 if refusal or form.errors else 200
    return render(
        request, "securemail/code.html", {"form": form, "refusal": refusal}, status=status
    )


@dataclass(frozen=True)
class Viewer:
    """Whose conversations a request may see: a signed-in user's, or a verified address's."""

    email: str
    email_hash: str | None = None
    user: object | None = None

    @property
    def scope(self) -> dict:
        return {"email_hash": self.email_hash, "user": self.user}

    @property
    def correspondent(self) -> Correspondent:
        return Correspondent(email=self.email, user=self.user)


def _require_access(view):
    """A signed-in user (with their second factor) sees the conversations they started; anyone
    else needs a session verified by a one-time code, or starts at the official address."""

    @wraps(view)
    def signed_in(request, *args, **kwargs):
        return view(request, Viewer(email=request.user.email, user=request.user), *args, **kwargs)

    signed_in_verified = verified_login_required(signed_in)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return signed_in_verified(request, *args, **kwargs)
        access = _access(request)
        if access is None:
            return redirect("securemail:start")
        viewer = Viewer(email=access.email, email_hash=access.email_hash)
        return view(request, viewer, *args, **kwargs)

    return wrapped


@require_http_methods(["GET"])
@_require_access
def inbox(request, viewer):
    conversations = conversations_for_correspondent(**viewer.scope)
    return render(request, "securemail/inbox.html", {"conversations": conversations})


@stores_documents
@upload_limit("SECUREMAIL_UPLOAD_MAX_BYTES", per_file_setting="SECUREMAIL_ATTACHMENT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
@_require_access
@accepted_once
def new(request, viewer):
    form = NewConversationForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = conversation_start(
                correspondent=viewer.correspondent,
                topic=form.cleaned_data["topic"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
                language=translation.get_language() or "",
            )
        except MessageRefused as error:
            form.add_error("attachments" if _is_file_error(error) else None, error.messages[0])
        else:
            return redirect("securemail:sent", conversation_id=conversation.pk)
    return render(
        request, "securemail/new.html", {"form": form}, status=400 if form.errors else 200
    )


def _is_file_error(error: MessageRefused) -> bool:
    return error.code not in {
        "subject_missing",
        "subject_too_long",
        "body_missing",
        "body_too_long",
    }


@require_http_methods(["GET"])
@_require_access
def sent(request, viewer, conversation_id):
    """The receipt: what the authority accepts and when to expect an answer."""
    conversation = conversation_for_correspondent(conversation_id=conversation_id, **viewer.scope)
    return render(
        request,
        "securemail/sent.html",
        {
            "conversation": conversation,
            "answer_within_days": settings.SECUREMAIL_ANSWER_WITHIN_DAYS,
        },
    )


@stores_documents
@upload_limit("SECUREMAIL_UPLOAD_MAX_BYTES", per_file_setting="SECUREMAIL_ATTACHMENT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
@_require_access
@accepted_once
def conversation(request, viewer, conversation_id):
    """One conversation: its messages (each open audited, receipts set) and the answer form."""
    found = conversation_for_correspondent(conversation_id=conversation_id, **viewer.scope)
    form = MessageForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            message_send_from_public(
                conversation=found,
                correspondent=viewer.correspondent,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except MessageRefused as error:
            form.add_error("attachments" if _is_file_error(error) else None, error.messages[0])
        except ConversationClosed:
            form.add_error(None, _closed_message())
        else:
            return redirect("securemail:conversation", conversation_id=found.pk)
    # Not "messages": that name is the messages framework's in base.html, which would print them.
    opened = conversation_open_for_correspondent(conversation=found, request=request)
    return render(
        request,
        "securemail/conversation.html",
        {"conversation": found, "opened_messages": opened, "form": form},
        status=400 if form.errors else 200,
    )


def _closed_message() -> str:
    return translation.gettext("This conversation is closed. Start a new message instead.")


@require_http_methods(["GET"])
@_require_access
def attachment(request, viewer, conversation_id, attachment_id):
    found = conversation_for_correspondent(conversation_id=conversation_id, **viewer.scope)
    item = attachment_in_conversation(attachment_id=attachment_id, conversation=found)
    document = item.document
    try:
        chunks = attachment_open(attachment=item, side="correspondent", request=request)
    except DocumentUnavailable:
        return render(request, "documents/unavailable.html", {"document": document}, status=409)
    response = StreamingHttpResponse(chunks, content_type=document.content_type)
    response["Content-Length"] = str(document.size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=download_filename(document)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@accepted_once
def sign_out(request):
    access_end(binding=request.session.get("securemail_binding"))
    request.session.pop("securemail_binding", None)
    return redirect("securemail:start")

"""A signed-in applicant's secure message about one of their own cases.

The message is a Securemail conversation linked to the case (so the caseworker sees it on the
case's page) and routed to a topic of a unit that handles the case. Reading and answering happen
on Securemail's own pages, which serve a signed-in user by their account.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from accounts.submissions import accepted_once
from casework.applicant_views import applicant_required
from casework.securemail_forms import CaseMessageForm
from casework.securemail_selectors import unit_ids_for_case
from casework.selectors import case_for_applicant
from core.ratelimit import rate_limited
from documents.upload_handlers import stores_documents, upload_limit
from securemail.selectors_backoffice import topics_for_units
from securemail.services import Correspondent, MessageRefused, conversation_start

_TEXT_ERRORS = {"subject_missing", "subject_too_long", "body_missing", "body_too_long"}


def _user_key(request) -> str:
    return f"user:{request.user.pk}"


@stores_documents
@upload_limit("SECUREMAIL_UPLOAD_MAX_BYTES")
@applicant_required
@accepted_once
@rate_limited("securemail_case_message", limit=20, window_seconds=60 * 60, key=_user_key)
@require_http_methods(["GET", "POST"])
def new_message(request, application_id: int):
    application = case_for_applicant(user=request.user, application_id=application_id)
    topics = list(topics_for_units(unit_ids=unit_ids_for_case(application)))
    form = CaseMessageForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        request=request,
        topics=topics,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = conversation_start(
                correspondent=Correspondent(email=request.user.email, user=request.user),
                topic=form.cleaned_data["topic"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
                language=translation.get_language() or "",
                case_id=application.pk,
            )
        except MessageRefused as error:
            field = None if error.code in _TEXT_ERRORS else "attachments"
            form.add_error(field, error.messages[0])
        else:
            return redirect("securemail:sent", conversation_id=conversation.pk)
    return render(
        request,
        "casework/applicant/secure_message.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )

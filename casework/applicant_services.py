"""The applicant's writes on a submitted case: answer a request for supplementary information, add
information on their own initiative, withdraw. Nothing is half-saved: every file is checked before
any is stored, and each step is one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import (
    AddedDuring,
    Application,
    Attachment,
    CaseEvent,
    CaseEventKind,
    Status,
)
from audit.services import audit_record
from casework.models import AdditionalInformation, SupplementRequest
from casework.services import MAX_TEXT_LENGTH, attachment_kind_labels, close_open_requests
from casework.state_machine import TransitionRefused, lock_case, transition
from core.sealed_fields import seal_field_text
from documents.services import DocumentRejected, document_store
from documents.validation import validate_upload

OTHER_KIND = "other"
# Before the decision, the applicant may add information to the case.
OPEN_FOR_ADDITIONS = (Status.SUBMITTED, Status.IN_PROCESSING, Status.WAITING_FOR_SUPPLEMENT)


class AlreadyAnswered(ValidationError):
    """A second answer to the same request (a double click, a second tab)."""

    def __init__(self):
        super().__init__(
            _("This request has already been answered. Your first answer was saved."),
            code="already_answered",
        )


@dataclass(frozen=True)
class UploadedAttachment:
    kind: str
    file: object  # an UploadedFile


def _require_own(application: Application, applicant) -> None:
    if application.applicant_id != applicant.pk:
        raise ValidationError(_("This case belongs to another user."), code="not_own")


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            _("The text is too long: at most %(limit)s characters."),
            code="too_long",
            params={"limit": MAX_TEXT_LENGTH},
        )
    return text


def _check_uploads(application: Application, uploads: list[UploadedAttachment]) -> None:
    """Refuse the whole submission before storing anything when one file or kind is wrong."""
    kinds = set(attachment_kind_labels(application)) | {OTHER_KIND}
    for upload in uploads:
        if upload.kind not in kinds:
            raise ValidationError(_("Choose the kind of attachment from the list."), code="kind")
        try:
            validate_upload(upload.file)
        except ValidationError as error:
            raise DocumentRejected(error.messages[0], code=error.code) from error


def _store_attachments(application, uploads, added_during: str) -> list[Attachment]:
    attachments = []
    for upload in uploads:
        document = document_store(
            owner=application.applicant, uploaded_file=upload.file, purpose="application_attachment"
        )
        attachment = Attachment(
            application=application, document=document, kind=upload.kind, added_during=added_during
        )
        attachment.full_clean()
        attachment.save()
        attachments.append(attachment)
    return attachments


@transaction.atomic
def supplement_answer(
    *,
    application: Application,
    applicant,
    text: str,
    uploads: list[UploadedAttachment] = (),
    request=None,
) -> SupplementRequest:
    """Answer the open request; the case returns to the caseworker, marked as answered, and the
    clock resumes. An answer after the deadline is accepted and marked late."""
    _require_own(application, applicant)
    application, case_file = lock_case(application)
    supplement = (
        SupplementRequest.objects.select_for_update()
        .filter(application=application, closed_at__isnull=True)
        .first()
    )
    if supplement is None:
        if application.supplement_requests.filter(answered_at__isnull=False).exists():
            raise AlreadyAnswered()
        raise TransitionRefused(application.status, Status.IN_PROCESSING)
    text = _clean_text(text)
    uploads = list(uploads)
    if not text and not uploads:
        raise ValidationError(_("Write an answer or attach a file."), code="empty_answer")
    _check_uploads(application, uploads)
    now = timezone.now()
    late = timezone.localdate(now) > supplement.deadline
    application, case_file = transition(
        application,
        Status.IN_PROCESSING,
        actor=applicant,
        by="applicant",
        details={"request": supplement.pk, "late": late, "files": len(uploads)},
    )
    _store_attachments(application, uploads, AddedDuring.SUPPLEMENT)
    seal_field_text(supplement, "answer_sealed", text)
    supplement.answered_at = now
    supplement.closed_at = now
    supplement.answered_late = late
    supplement.full_clean()
    supplement.save()
    case_file.supplement_answered = True
    case_file.save(update_fields=["supplement_answered"])
    audit_record(
        action="application.supplement_answered",
        request=request,
        actor=applicant,
        target=application,
        details={"request": supplement.pk, "late": late},
    )
    return supplement


@transaction.atomic
def additional_information_add(
    *,
    application: Application,
    applicant,
    text: str,
    uploads: list[UploadedAttachment] = (),
    request=None,
) -> AdditionalInformation | None:
    """Add text and files to a case before its decision; shown to the caseworker as new."""
    _require_own(application, applicant)
    application, case_file = lock_case(application)
    if application.status not in OPEN_FOR_ADDITIONS:
        raise ValidationError(
            _("Information can no longer be added: the case has been decided or closed."),
            code="closed_for_additions",
        )
    text = _clean_text(text)
    uploads = list(uploads)
    if not text and not uploads:
        raise ValidationError(_("Write something or attach a file."), code="empty")
    _check_uploads(application, uploads)
    information = None
    if text:
        information = AdditionalInformation(application=application)
        information.full_clean()
        information.save()
        seal_field_text(information, "text_sealed", text)
        information.save(update_fields=["text_sealed"])
    _store_attachments(application, uploads, AddedDuring.ADDITIONAL)
    event = CaseEvent(
        application=application,
        kind=CaseEventKind.ADDITIONAL_INFORMATION_RECEIVED,
        actor=applicant,
        details={"text": bool(text), "files": len(uploads)},
    )
    event.full_clean()
    event.save()
    case_file.new_information = True
    case_file.save(update_fields=["new_information"])
    audit_record(
        action="application.information_added",
        request=request,
        actor=applicant,
        target=application,
    )
    return information


@transaction.atomic
def application_withdraw(*, application: Application, applicant, request=None) -> Application:
    """Withdraw the application before its decision; an open request is closed."""
    _require_own(application, applicant)
    application, _case_file = transition(
        application, Status.WITHDRAWN, actor=applicant, by="applicant"
    )
    close_open_requests(application)
    audit_record(
        action="application.withdrawn", request=request, actor=applicant, target=application
    )
    return application

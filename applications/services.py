"""Every change to an application: start, save a section, attach, submit, delete a draft."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.case_numbers import case_number_next
from applications.forms import SectionForm, to_form_value
from applications.models import (
    AddedDuring,
    Application,
    Attachment,
    CaseEvent,
    CaseEventKind,
    PermitType,
    Status,
)
from applications.schema import (
    attachment_kinds,
    condition_holds,
    iter_fields,
    localized,
    section_by_key,
    sections,
    visible_fields,
)
from applications.selectors import ATTACHMENT_REMOVED, DRAFT_DELETED
from audit.services import audit_record
from core.sealed_fields import seal_field_json
from documents.models import ScanStatus
from documents.services import document_delete, document_store


class SectionInvalid(ValidationError):
    """The section's answers did not pass its schema; `form` holds what was typed and the errors."""

    def __init__(self, form: SectionForm):
        self.form = form
        super().__init__(form.errors.as_data())


class AlreadySubmitted(ValidationError):
    """A second submission of the same application (a double click, a second tab)."""

    def __init__(self, case_number: str | None):
        self.case_number = case_number
        super().__init__(
            gettext_lazy("This application has already been sent. Its case number is %(number)s."),
            code="already_submitted",
            params={"number": case_number},
        )


@dataclass(frozen=True)
class SectionSaved:
    application: Application
    # Fields of this section that the saved answers revealed (conditional fields), to show next.
    revealed_fields: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MissingItem:
    kind: str  # "field" (not answered), "invalid" (answer no longer valid) or "attachment"
    code: str  # the field key or the attachment kind
    label: str
    section_key: str = ""
    section_title: str = ""
    count_missing: int = 0


def _not_a_draft() -> ValidationError:
    return ValidationError(
        _("This application has been sent and can no longer be changed."), code="not_draft"
    )


def _locked_draft(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update().select_related("permit_type").get(pk=application.pk)
    )
    if locked.status != Status.DRAFT:
        raise _not_a_draft()
    return locked


def _event(application: Application, kind: str, actor=None, **details: Any) -> CaseEvent:
    event = CaseEvent(application=application, kind=kind, actor=actor, details=details)
    event.full_clean()
    event.save()
    return event


def _without_hidden_answers(schema: dict, answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to fields whose condition no longer holds; conditions refer only to earlier
    fields, so one pass in order also drops the answers that depended on a dropped one."""
    kept = dict(answers)
    for _section, schema_field in iter_fields(schema):
        if not condition_holds(schema_field, kept):
            kept.pop(schema_field["key"], None)
    return kept


@transaction.atomic
def application_start(*, applicant, permit_type: PermitType, request=None) -> Application:
    if not permit_type.active:
        raise ValidationError(
            _("Applications of this type cannot be started at the moment."), code="inactive"
        )
    application = Application(applicant=applicant, permit_type=permit_type)
    application.full_clean()
    application.save()
    application.set_answers({})
    application.save(update_fields=["answers_sealed"])
    _event(application, CaseEventKind.CREATED, actor=applicant)
    audit_record(action="application.created", request=request, actor=applicant, target=application)
    return application


@transaction.atomic
def application_save_section(
    *, application: Application, section_key: str, data, files=None, request=None
) -> SectionSaved:
    """Validate one section's input against the schema and save it; on any error raise
    SectionInvalid and save nothing of the section."""
    application = _locked_draft(application)
    schema = application.permit_type.schema
    section = section_by_key(schema, section_key)
    if section is None:
        raise ValidationError(_("This part of the application does not exist."), code="no_section")
    answers = application.answers
    form = SectionForm(data, files, section=section, answers=answers)
    if not form.is_valid():
        raise SectionInvalid(form)
    updated = dict(answers)
    for key, value in form.stored_values().items():
        if value is None:
            updated.pop(key, None)
        else:
            updated[key] = value
    updated = _without_hidden_answers(schema, updated)
    displayed = set(form.displayed_keys)
    revealed = [
        item["key"] for item in visible_fields(section, updated) if item["key"] not in displayed
    ]
    application.set_answers(updated)
    application.full_clean()
    application.save(update_fields=["answers_sealed", "updated_at"])
    audit_record(
        action="application.changed",
        request=request,
        actor=application.applicant,
        target=application,
        details={"section": section_key},
    )
    return SectionSaved(application=application, revealed_fields=revealed)


def _section_problems(section: dict, answers: dict[str, Any]) -> dict[str, str]:
    """Field key -> "field" or "invalid", for the section's answers as saved."""
    data = {}
    for schema_field in visible_fields(section, answers):
        value = to_form_value(schema_field, answers.get(schema_field["key"]))
        if value is not None:
            data[schema_field["key"]] = value
    form = SectionForm(data, section=section, answers=answers)
    form.is_valid()
    return {key: ("invalid" if key in data else "field") for key in form.errors}


def _counted_attachments(application: Application) -> dict[str, int]:
    counts: dict[str, int] = {}
    # An infected or failed file does not fulfil a requirement; a pending scan may still pass.
    usable = application.attachments.exclude(
        document__scan_status__in=[ScanStatus.INFECTED, ScanStatus.FAILED]
    )
    for kind in usable.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def application_missing_items(*, application: Application) -> list[MissingItem]:
    """What still stops the application from being sent, in the order of the pages."""
    schema = application.schema
    answers = application.answers
    items: list[MissingItem] = []
    for section in sections(schema):
        problems = _section_problems(section, answers)
        for schema_field in section["fields"]:
            kind = problems.get(schema_field["key"])
            if kind:
                items.append(
                    MissingItem(
                        kind=kind,
                        code=schema_field["key"],
                        label=localized(schema_field["label"]),
                        section_key=section["key"],
                        section_title=localized(section["title"]),
                    )
                )
    counts = _counted_attachments(application)
    for attachment_kind in attachment_kinds(schema, answers):
        missing = attachment_kind.get("min_count", 0) - counts.get(attachment_kind["code"], 0)
        if missing > 0:
            items.append(
                MissingItem(
                    kind="attachment",
                    code=attachment_kind["code"],
                    label=localized(attachment_kind["label"]),
                    count_missing=missing,
                )
            )
    return items


@transaction.atomic
def application_attach_document(
    *, application: Application, kind: str, uploaded_file, actor=None, request=None
) -> Attachment:
    """Store the file encrypted (documents.services checks type, size and viruses) and attach it.
    Raises documents.services.DocumentRejected, a ValidationError with a translated message."""
    application = _locked_draft(application)
    kinds = {item["code"] for item in attachment_kinds(application.schema, application.answers)}
    if kind not in kinds:
        raise ValidationError(_("Choose the kind of attachment from the list."), code="kind")
    document = document_store(
        owner=application.applicant, uploaded_file=uploaded_file, purpose="application_attachment"
    )
    attachment = Attachment(
        application=application, document=document, kind=kind, added_during=AddedDuring.DRAFT
    )
    attachment.full_clean()
    attachment.save()
    audit_record(
        action="application.attachment_added",
        request=request,
        actor=actor or application.applicant,
        target=application,
        details={"kind": kind, "attachment": attachment.pk},
    )
    return attachment


@transaction.atomic
def application_remove_attachment(
    *, application: Application, attachment: Attachment, request=None
) -> bool:
    """Remove the attachment; False when it was already removed (a second click, a second tab)."""
    application = _locked_draft(application)
    if attachment.application_id != application.pk:
        raise ValidationError(_("The attachment belongs to another application."), code="other")
    # Read again under the draft's lock: a request that removed it first has committed by now.
    current = (
        Attachment.objects.filter(pk=attachment.pk, application=application)
        .select_related("document")
        .first()
    )
    if current is None:
        return False
    document = current.document
    current.delete()
    document_delete(document=document)
    # Also what recognises a second click on "Remove" (applications.selectors).
    audit_record(
        action=ATTACHMENT_REMOVED,
        request=request,
        actor=application.applicant,
        target=application,
        details={"attachment": attachment.pk},
    )
    return True


@transaction.atomic
def application_submit(
    *,
    application: Application,
    declaration_confirmed: bool,
    actor=None,
    language: str = "",
    request=None,
) -> Application:
    """Send the application: it becomes a case with a number, its answers and schema frozen.

    The row lock makes a double submit safe: the second waits for the first, then finds the case
    already sent and raises AlreadySubmitted with its number."""
    application = (
        Application.objects.select_for_update().select_related("permit_type").get(pk=application.pk)
    )
    if application.status != Status.DRAFT:
        raise AlreadySubmitted(application.case_number)
    if not declaration_confirmed:
        raise ValidationError(
            _("Confirm the declaration to send the application."), code="declaration"
        )
    if application_missing_items(application=application):
        raise ValidationError(
            _("The application is not complete yet. See the list of what is still missing."),
            code="incomplete",
        )
    now = timezone.now()
    permit_type = application.permit_type
    seal_field_json(application, "submitted_answers_sealed", application.answers)
    application.submitted_schema = copy.deepcopy(permit_type.schema)
    application.submitted_schema_version = permit_type.version
    application.submitted_language = language[:5]
    application.case_number = case_number_next(at=now)
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.declaration_confirmed_at = now
    application.full_clean()
    application.save()
    _event(
        application,
        CaseEventKind.SUBMITTED,
        actor=actor,
        case_number=application.case_number,
        schema_version=permit_type.version,
    )
    audit_record(
        action="application.submitted",
        request=request,
        actor=actor or application.applicant,
        target=application,
        details={"case_number": application.case_number},
    )
    # The applicant hears that the case arrived; the message goes out only if this commits.
    from notifications.case_notifications import notify_case_received

    notify_case_received(application=application)
    return application


@transaction.atomic
def application_delete_draft(*, application: Application, request=None) -> bool:
    """Delete the draft and its files; False when it was already deleted (a second click)."""
    try:
        application = _locked_draft(application)
    except Application.DoesNotExist:
        # Deleted by a request that held the lock first.
        return False
    documents = [attachment.document for attachment in application.attachments.all()]
    application_id = application.pk
    application.delete()
    for document in documents:
        document_delete(document=document)
    # Also what recognises a second click on "Delete" (applications.selectors).
    audit_record(
        action=DRAFT_DELETED,
        request=request,
        actor=application.applicant,
        object_type="applications.application",
        object_id=application_id,
    )
    return True

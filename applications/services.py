"""Every change to an application: start, save a section, attach, submit, delete a draft."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
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
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.hooks import PaymentConfirmation
from payments.models import Channel, Payment
from payments.selectors import FeeInForce


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


class PaymentRequired(ValidationError):
    """The permit type has a fee in force and the application has no confirmed payment."""

    def __init__(self):
        super().__init__(
            gettext_lazy("Pay the processing fee to send the application."),
            code="payment_required",
        )


def application_fee(*, application: Application, on_date=None) -> FeeInForce | None:
    """The fee the applicant pays today for this application (the fee table, electronic
    channel); None or an exempt fee means nothing to pay."""
    return payment_selectors.fee_in_force(
        permit_type=application.permit_type_id,
        channel=Channel.ELECTRONIC,
        on_date=on_date or timezone.localdate(),
        applicant_is_minor=_applicant_is_minor(application),
    )


def _applicant_is_minor(application: Application) -> bool:
    born = application.answers.get("date_of_birth") if application.is_draft else None
    try:
        born = datetime.date.fromisoformat(str(born)) if born else None
    except ValueError:
        return False
    if born is None:
        return False
    today = timezone.localdate()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age < 18


def _check_ready(application: Application, *, declaration_confirmed: bool) -> None:
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


def _submit_locked(
    application: Application,
    *,
    actor,
    language: str,
    declared_at=None,
    request=None,
    **event_details: Any,
) -> Application:
    now = timezone.now()
    permit_type = application.permit_type
    seal_field_json(application, "submitted_answers_sealed", application.answers)
    application.submitted_schema = copy.deepcopy(permit_type.schema)
    application.submitted_schema_version = permit_type.version
    application.submitted_language = language[:5]
    application.case_number = case_number_next(at=now)
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.declaration_confirmed_at = declared_at or now
    application.full_clean()
    application.save()
    _event(
        application,
        CaseEventKind.SUBMITTED,
        actor=actor,
        case_number=application.case_number,
        schema_version=permit_type.version,
        **event_details,
    )
    audit_record(
        action="application.submitted",
        request=request,
        actor=actor or application.applicant,
        target=application,
        details={"case_number": application.case_number, **event_details},
    )
    # The applicant hears that the case arrived; the message goes out only if this commits.
    from notifications.case_notifications import notify_case_received

    notify_case_received(application=application)
    return application


@transaction.atomic
def application_submit(
    *,
    application: Application,
    declaration_confirmed: bool,
    actor=None,
    language: str = "",
    request=None,
) -> Application:
    """Send an application that has nothing to pay (no fee, an exemption, or already paid): it
    becomes a case with a number, its answers and schema frozen. With a fee to pay, raises
    PaymentRequired: application_pay starts the payment and its confirmation submits.

    The row lock makes a double submit safe: the second waits for the first, then finds the case
    already sent and raises AlreadySubmitted with its number."""
    application = (
        Application.objects.select_for_update().select_related("permit_type").get(pk=application.pk)
    )
    _check_ready(application, declaration_confirmed=declaration_confirmed)
    fee = application_fee(application=application)
    paid = payment_selectors.application_paid_payment(application_id=application.pk)
    if fee is not None and not fee.is_exempt and paid is None:
        raise PaymentRequired
    details = {"payment": str(paid.public_id)} if paid is not None else {}
    return _submit_locked(application, actor=actor, language=language, request=request, **details)


def application_pay(
    *,
    application: Application,
    declaration_confirmed: bool,
    actor,
    language: str,
    request=None,
    provider_name: str | None = None,
) -> Payment:
    """Check that the application is ready to send, then start a payment of the fee in force at
    the configured provider (the browser goes to `payment.provider_url`). The application stays
    a draft until the payment is confirmed (application_submit_paid). Every call is a new attempt
    with a new stamp: an abandoned, failed or cancelled one never blocks paying again.

    Raises AlreadySubmitted, ValidationError (not ready), payments' NothingToPay, AlreadyPaid
    and ProviderUnavailable."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("permit_type")
            .get(pk=application.pk)
        )
        _check_ready(locked, declaration_confirmed=declaration_confirmed)
        if locked.applicant_id != actor.pk:
            raise ValidationError(_("Only the applicant can pay for the application."))
        fee = application_fee(application=locked)
        # The declaration is given now; the submission that follows the payment relies on it.
        locked.declaration_confirmed_at = timezone.now()
        locked.save(update_fields=["declaration_confirmed_at", "updated_at"])
    # Outside the row lock: the provider is asked over the network.
    return payment_services.payment_start(
        application_id=application.pk,
        payer=actor,
        fee=fee,
        language=language or "fi",
        provider_name=provider_name,
        request=request,
    )


def application_submit_paid(confirmation: PaymentConfirmation) -> None:
    """The paid handler (registered in ApplicationsConfig.ready): the confirmed payment sends
    the application. Runs in the payment's hand-over task (payments.services.hand_over), inside
    the transaction that records the hand-over, only once per payment. The completeness was checked when the payment started; the money is taken, so the
    application is sent as it is now (the back office can ask for more)."""
    application = (
        Application.objects.select_for_update()
        .select_related("permit_type")
        .filter(pk=confirmation.application_id)
        .first()
    )
    if application is None or application.status != Status.DRAFT:
        # Sent already (another way): the payment is kept; nothing is sent twice.
        return
    payer = get_user_model().objects.get(pk=confirmation.payer_id)
    # The payment is paid (the hand-over runs only for a paid one): this is the confirmed one.
    payment = payment_selectors.application_paid_payment(application_id=application.pk)
    language = payment.language if payment is not None else ""
    application = _submit_locked(
        application,
        actor=payer,
        language=language,
        # Given on the review page when the payment started.
        declared_at=application.declaration_confirmed_at,
        payment=str(confirmation.public_id),
    )


@transaction.atomic
def application_delete_draft(*, application: Application, request=None) -> bool:
    """Delete the draft and its files; False when it was already deleted (a second click)."""
    try:
        application = _locked_draft(application)
    except Application.DoesNotExist:
        # Deleted by a request that held the lock first.
        return False
    if payment_selectors.application_payments(application_id=application.pk).exists():
        # Payment attempts are accounting records and keep their application.
        raise ValidationError(
            _("A draft with a payment cannot be deleted. You can leave it unsent."),
            code="has_payments",
        )
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

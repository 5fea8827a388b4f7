"""Every write of the back office: take and assign cases, notes, requests for supplementary
information, resuming, deciding and closing. Each step that changes the status goes through
casework.state_machine.transition, inside the step's own transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from applications.models import Application, PermitType, Status
from applications.schema import localized
from audit.services import audit_record
from casework.models import (
    CaseworkerScope,
    Decision,
    InternalNote,
    Outcome,
    SupplementRequest,
    Unit,
)
from casework.pdf import decision_pdf
from casework.selectors import can_see_case
from casework.state_machine import lock_case, transition
from core.checkpoints import checkpoint
from core.sealed_fields import seal_field_text
from documents.services import document_store
from notifications.case_notifications import (
    notify_decision_made,
    notify_supplement_requested,
    recipient_language,
    render_email,
)

MAX_TEXT_LENGTH = 10_000


class NotAssigned(ValidationError):
    """A caseworker acting on a case that is not assigned to them."""

    def __init__(self):
        super().__init__(
            _("This case is not assigned to you. Take it or ask its assignee to hand it over."),
            code="not_assigned",
        )


def _require_caseworker_in_scope(user, application: Application) -> None:
    if user.role != Role.CASEWORKER or not can_see_case(user=user, application=application):
        raise ValidationError(_("This caseworker cannot handle this case."), code="out_of_scope")


def _require_assignee(case_file, actor) -> None:
    if case_file.assignee_id != actor.pk:
        raise NotAssigned()


def _clean_text(text: str, *, required: bool, message) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(message, code="required")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            _("The text is too long: at most %(limit)s characters."),
            code="too_long",
            params={"limit": MAX_TEXT_LENGTH},
        )
    return text


def attachment_kind_labels(application: Application) -> dict[str, str]:
    """The kinds of attachment the case's schema knows, code -> label in the active language."""
    return {
        kind["code"]: localized(kind["label"])
        for kind in (application.schema or {}).get("attachments", [])
    }


def _require_open(application: Application) -> None:
    """Only an open case changes hands; a decided, closed or withdrawn one stays as it was."""
    if application.status not in (
        Status.SUBMITTED,
        Status.IN_PROCESSING,
        Status.WAITING_FOR_SUPPLEMENT,
    ):
        raise ValidationError(_("This case is no longer open."), code="not_open")


@transaction.atomic
def case_take(*, application: Application, actor, request=None) -> Application:
    """Assign the case to oneself; a submitted case starts processing."""
    _require_caseworker_in_scope(actor, application)
    application, case_file = lock_case(application)
    _require_open(application)
    case_file.assignee = actor
    case_file.assigned_at = timezone.now()
    case_file.full_clean()
    case_file.save(update_fields=["assignee", "assigned_at"])
    if application.status == Status.SUBMITTED:
        application, case_file = transition(
            application, Status.IN_PROCESSING, actor=actor, by="caseworker"
        )
    audit_record(action="casework.case_taken", request=request, actor=actor, target=application)
    return application


@transaction.atomic
def case_assign(*, application: Application, assignee, actor, request=None) -> Application:
    """Hand the case to a colleague (or oneself) who may see it; None returns it to the queue."""
    _require_caseworker_in_scope(actor, application)
    if assignee is not None:
        _require_caseworker_in_scope(assignee, application)
    application, case_file = lock_case(application)
    _require_open(application)
    case_file.assignee = assignee
    case_file.assigned_at = timezone.now() if assignee is not None else None
    case_file.full_clean()
    case_file.save(update_fields=["assignee", "assigned_at"])
    audit_record(
        action="casework.case_assigned",
        request=request,
        actor=actor,
        target=application,
        details={"assignee": assignee.pk if assignee is not None else None},
    )
    return application


@transaction.atomic
def internal_note_add(*, application: Application, author, text: str, request=None) -> InternalNote:
    _require_caseworker_in_scope(author, application)
    text = _clean_text(text, required=True, message=_("Write the note."))
    note = InternalNote(application=application, author=author)
    note.full_clean()
    note.save()
    # Sealed once the row has its id, which the ciphertext is bound to.
    seal_field_text(note, "text_sealed", text)
    note.save(update_fields=["text_sealed"])
    audit_record(action="casework.note_added", request=request, actor=author, target=application)
    return note


@transaction.atomic
def supplement_request_create(
    *,
    application: Application,
    actor,
    message: str,
    requested_kinds: list[str],
    deadline: date,
    request=None,
) -> SupplementRequest:
    """Ask the applicant for what is missing by a deadline; the clock pauses; they are notified."""
    application, case_file = lock_case(application)
    _require_assignee(case_file, actor)
    message = _clean_text(message, required=True, message=_("Describe what is missing."))
    known = attachment_kind_labels(application)
    unknown = [kind for kind in requested_kinds if kind not in known]
    if unknown:
        raise ValidationError(_("Choose the kinds of attachment from the list."), code="kind")
    if deadline <= timezone.localdate():
        raise ValidationError(_("The deadline must be a day in the future."), code="deadline")
    application, case_file = transition(
        application, Status.WAITING_FOR_SUPPLEMENT, actor=actor, by="caseworker"
    )
    supplement = SupplementRequest(
        application=application,
        requested_by=actor,
        requested_kinds=list(dict.fromkeys(requested_kinds)),
        deadline=deadline,
    )
    supplement.full_clean()
    supplement.save()
    seal_field_text(supplement, "message_sealed", message)
    supplement.save(update_fields=["message_sealed"])
    case_file.supplement_answered = False
    case_file.save(update_fields=["supplement_answered"])
    audit_record(
        action="casework.supplement_requested",
        request=request,
        actor=actor,
        target=application,
        details={"request": supplement.pk},
    )
    notify_supplement_requested(application=application)
    return supplement


def close_open_requests(application: Application, *, now=None) -> int:
    return SupplementRequest.objects.filter(application=application, closed_at__isnull=True).update(
        closed_at=now or timezone.now()
    )


@transaction.atomic
def case_resume_processing(*, application: Application, actor, request=None) -> Application:
    """Go on without waiting for an answer (the deadline passed); the open request is closed."""
    application, case_file = lock_case(application)
    _require_assignee(case_file, actor)
    application, case_file = transition(
        application, Status.IN_PROCESSING, actor=actor, by="caseworker", details={"resumed": True}
    )
    close_open_requests(application)
    audit_record(
        action="casework.processing_resumed", request=request, actor=actor, target=application
    )
    return application


@transaction.atomic
def case_mark_seen(*, application: Application, actor, request=None) -> Application:
    """The assignee has read the answer or the new information: the queue stops flagging it."""
    application, case_file = lock_case(application)
    _require_assignee(case_file, actor)
    case_file.supplement_answered = False
    case_file.new_information = False
    case_file.save(update_fields=["supplement_answered", "new_information"])
    audit_record(
        action="casework.case_marked_seen", request=request, actor=actor, target=application
    )
    return application


def decision_preview(
    *,
    application: Application,
    outcome: str,
    reasoning: str,
    decision_maker_name: str,
    decision_maker_title: str = "",
    valid_until=None,
) -> dict:
    """What deciding would send, shown to the caseworker before they confirm: the decision in the
    applicant's language and the notification they get. Reads only; nothing is saved."""
    outcome, valid_until = decision_check(outcome=outcome, valid_until=valid_until)
    language = recipient_language(application)
    # The real code is issued only when the message is sent.
    subject, text_body, _html = render_email(kind="decision_made", code="••••••", language=language)
    return {
        "outcome": outcome,
        "granted": outcome == Outcome.POSITIVE,
        "reasoning": reasoning,
        "valid_until": valid_until,
        "decision_maker_name": decision_maker_name,
        "decision_maker_title": decision_maker_title,
        "language": language,
        "notification_subject": subject,
        "notification_text": text_body,
    }


def decision_check(*, outcome: str, valid_until):
    """The outcome and validity a decision may carry: a granted permit with a term has its last
    valid day in the future (a permit without one, such as citizenship, has none); a refusal has
    none."""
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose the outcome of the decision."), code="outcome")
    if outcome != Outcome.POSITIVE:
        return outcome, None
    if valid_until is not None and valid_until <= timezone.localdate():
        raise ValidationError(_("The permit must be valid after today."), code="valid_until_past")
    return outcome, valid_until


@transaction.atomic
def case_decide(
    *,
    application: Application,
    actor,
    outcome: str,
    reasoning: str,
    decision_maker_name: str,
    decision_maker_title: str = "",
    valid_until=None,
    request=None,
) -> Decision:
    """Decide the case: the PDF (the decision with its appeal instructions) is rendered in the
    applicant's language, stored encrypted as their document, and they are notified."""
    application, case_file = lock_case(application)
    _require_assignee(case_file, actor)
    outcome, valid_until = decision_check(outcome=outcome, valid_until=valid_until)
    reasoning = _clean_text(reasoning, required=True, message=_("Write the reasons."))
    decision_maker_name = _clean_text(
        decision_maker_name, required=True, message=_("Write the decision-maker's name.")
    )[:200]
    decision_maker_title = _clean_text(decision_maker_title, required=False, message="")[:200]
    application, case_file = transition(
        application, Status.DECIDED, actor=actor, by="caseworker", details={"outcome": outcome}
    )
    language = recipient_language(application)
    now = timezone.now()
    pdf = decision_pdf(
        application=application,
        outcome=outcome,
        reasoning=reasoning,
        language=language,
        decided_at=now,
        decision_maker_name=decision_maker_name,
        decision_maker_title=decision_maker_title,
        valid_until=valid_until,
    )
    document = document_store(
        owner=application.applicant,
        uploaded_file=ContentFile(pdf, name=f"decision-{application.case_number}.pdf"),
        purpose="decision",
        actor=actor,
    )
    decision = Decision(
        application=application,
        outcome=outcome,
        document=document,
        language=language,
        decided_by=actor,
        decided_at=now,
        decision_maker_name=decision_maker_name,
        decision_maker_title=decision_maker_title,
        valid_until=valid_until,
    )
    seal_field_text(decision, "reasoning_sealed", reasoning)
    decision.full_clean()
    decision.save()
    # A process killed here (PDF stored, rows written, not committed) leaves no decision: the
    # transaction rolls back and the stored blob is an orphan that the periodic purge removes.
    checkpoint("casework.decide")
    case_file.supplement_answered = False
    case_file.new_information = False
    case_file.save(update_fields=["supplement_answered", "new_information"])
    audit_record(
        action="casework.decided",
        request=request,
        actor=actor,
        target=application,
        details={"outcome": outcome},
    )
    notify_decision_made(application=application)
    return decision


@transaction.atomic
def case_close(*, application: Application, actor, request=None) -> Application:
    application, case_file = lock_case(application)
    _require_assignee(case_file, actor)
    application, _case_file = transition(application, Status.CLOSED, actor=actor, by="caseworker")
    audit_record(action="casework.case_closed", request=request, actor=actor, target=application)
    return application


@transaction.atomic
def unit_save(*, code: str, name: str, permit_type_codes: list[str]) -> Unit:
    """Create or update a unit and the permit types it handles."""
    permit_types = list(PermitType.objects.filter(code__in=permit_type_codes))
    missing = set(permit_type_codes) - {permit_type.code for permit_type in permit_types}
    if missing:
        raise ValidationError(
            _("Unknown permit type: %(codes)s."), params={"codes": ", ".join(sorted(missing))}
        )
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    unit.name = name
    unit.full_clean()
    unit.save()
    unit.permit_types.set(permit_types)
    return unit


@transaction.atomic
def caseworker_scope_add(
    *, caseworker, unit: Unit | None = None, permit_type=None
) -> CaseworkerScope:
    """Let a caseworker see a unit's cases or one permit type's cases."""
    if caseworker.role != Role.CASEWORKER:
        raise ValidationError(_("Only caseworkers handle cases."), code="not_caseworker")
    scope, created = CaseworkerScope.objects.get_or_create(
        caseworker=caseworker, unit=unit, permit_type=permit_type
    )
    if created:
        audit_record(action="casework.scope_added", target=caseworker, details={"scope": scope.pk})
    return scope

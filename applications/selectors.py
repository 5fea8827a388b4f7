"""Reads of applications, scoped by the user, with query counts that do not grow with rows."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from applications.models import Application, Attachment, CaseEvent, PermitType, Status
from audit.selectors import audit_event_list

# The audit actions that remember what an applicant removed, so that a second click is recognised.
DRAFT_DELETED = "application.draft_deleted"
ATTACHMENT_REMOVED = "application.attachment_removed"


def permit_types_available() -> QuerySet[PermitType]:
    return PermitType.objects.filter(active=True).defer("schema")


def applications_for_applicant(user) -> QuerySet[Application]:
    """The user's own applications with their permit type and timeline (two queries in all)."""
    return (
        Application.objects.filter(applicant=user)
        # The case file (back office) says whether a case is "in processing again".
        .select_related("permit_type", "case_file")
        .defer(
            "permit_type__schema",
            "answers_sealed",
            "submitted_answers_sealed",
            "submitted_schema",
        )
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id"), to_attr="timeline")
        )
    )


def application_queryset_for_applicant(user) -> QuerySet[Application]:
    """For pages about one application: look it up by id in this queryset (another user's: 404)."""
    return Application.objects.filter(applicant=user).select_related("permit_type", "case_file")


def attachments_of(application: Application) -> QuerySet[Attachment]:
    return application.attachments.select_related("document").order_by("added_at", "id")


def case_events_of(application: Application) -> QuerySet[CaseEvent]:
    return application.events.order_by("at", "id")


def draft_deleted_by(*, user, application_id: int) -> bool:
    """Whether this user deleted their own draft with this id (a second click on "Delete")."""
    if application_queryset_for_applicant(user).filter(pk=application_id).exists():
        return False
    return audit_event_list(
        action=DRAFT_DELETED,
        object_type="applications.application",
        object_id=str(application_id),
        actor_id=user.pk,
    ).exists()


def attachment_removed_by(*, user, application: Application, attachment_id: int) -> bool:
    """Whether this user removed this attachment of their application (a second click on
    "Remove"); any other id, such as another user's attachment, is not "already removed"."""
    return (
        audit_event_list(
            action=ATTACHMENT_REMOVED,
            object_type="applications.application",
            object_id=str(application.pk),
            actor_id=user.pk,
        )
        .filter(details__attachment=attachment_id)
        .exists()
    )


def application_sent_page(application_id: int) -> str | None:
    """The case page with its confirmation panel (case number, what happens next, the estimate,
    the fee paid) once the application is sent; None while it is not (the payment's page then)."""
    sent = (
        Application.objects.filter(pk=application_id)
        .exclude(status=Status.DRAFT)
        .exclude(case_number__isnull=True)
        .exclude(case_number="")
        .exists()
    )
    return reverse("cases:detail", args=[application_id]) + "?sent=1" if sent else None

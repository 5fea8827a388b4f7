"""Reads of applications, scoped by the user, with query counts that do not grow with rows."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from applications.models import Application, Attachment, CaseEvent, PermitType, Status
from audit.selectors import audit_event_list
from core.prepared_queries import BoundInsert, BoundQuery, PreparedQuery, all_together

# The audit actions that remember what an applicant removed, so that a second click is recognised.
DRAFT_DELETED = "application.draft_deleted"
ATTACHMENT_REMOVED = "application.attachment_removed"


def permit_types_available() -> QuerySet[PermitType]:
    return PermitType.objects.filter(active=True).defer("schema")


# The home page's two reads, compiled once per process (core.prepared_queries): the user's
# applications with their permit type and case file, then every event of those applications.
_APPLICATIONS_OF_APPLICANT = PreparedQuery(
    lambda applicant_id: (
        Application.objects.filter(applicant_id=applicant_id)
        # The case file (back office) says whether a case is "in processing again".
        .select_related("permit_type", "case_file")
        .defer(
            "permit_type__schema",
            "permit_type__description",
            "answers_sealed",
            "submitted_answers_sealed",
            "submitted_schema",
        )
    ),
    applicant_id=int,
)
# A timeline shows each event's time and kind: not its details (JSON decoded per row) nor actor.
_TIMELINE_FIELDS = ("application_id", "kind", "at")
_EVENTS_OF_APPLICANT = PreparedQuery(
    lambda applicant_id: (
        CaseEvent.objects.filter(application__applicant_id=applicant_id)
        .only(*_TIMELINE_FIELDS)
        .order_by("at", "id")
    ),
    applicant_id=int,
)
_APPLICATION_OF_APPLICANT = PreparedQuery(
    lambda applicant_id, application_id: Application.objects.filter(
        applicant_id=applicant_id, pk=application_id
    ).select_related("permit_type", "case_file"),
    applicant_id=int,
    application_id=int,
)


def applications_for_applicant(
    user, *also: BoundQuery | BoundInsert
) -> tuple[list[Application], list[list]]:
    """The user's own applications with their permit type and timeline (`timeline`, in time
    order): two statements in all, one for the applications and one for all their events, sent
    in one execute where the database takes it (core.prepared_queries.all_together), after the
    page's other statements (`also`: its audit record, other parts' reads), whose results come
    second, in their order."""
    *others, applications, events = all_together(
        *also,
        _APPLICATIONS_OF_APPLICANT.bound(applicant_id=user.pk),
        _EVENTS_OF_APPLICANT.bound(applicant_id=user.pk),
    )
    timelines = {application.pk: [] for application in applications}
    for event in events:
        # (An application started between the two reads has no row above: its events wait.)
        timelines.get(event.application_id, []).append(event)
    for application in applications:
        application.timeline = timelines[application.pk]
    return applications, others


def application_queryset_for_applicant(user) -> QuerySet[Application]:
    """For pages about one application: look it up by id in this queryset (another user's: 404)."""
    return Application.objects.filter(applicant=user).select_related("permit_type", "case_file")


def application_of_applicant(user, application_id: int) -> Application:
    """The user's own application with its permit type and case file (another user's: 404)."""
    application = _APPLICATION_OF_APPLICANT.first(
        applicant_id=user.pk, application_id=application_id
    )
    if application is None:
        raise Http404
    return application


_ATTACHMENTS_OF = PreparedQuery(
    lambda application_id: (
        Attachment.objects.filter(application_id=application_id)
        .select_related("document")
        .order_by("added_at", "id")
    ),
    application_id=int,
)
_EVENTS_OF = PreparedQuery(
    lambda application_id: (
        CaseEvent.objects.filter(application_id=application_id)
        .only(*_TIMELINE_FIELDS)
        .order_by("at", "id")
    ),
    application_id=int,
)


def attachments_of(application: Application) -> list[Attachment]:
    return _ATTACHMENTS_OF.all(application_id=application.pk)


def attachments_of_read(application: Application) -> BoundQuery:
    """attachments_of, to be read with a page's other lists (core.prepared_queries.all_together)."""
    return _ATTACHMENTS_OF.bound(application_id=application.pk)


def case_events_of_read(application: Application) -> BoundQuery:
    """The application's events in time order (their time and kind: the timeline's fields), to
    be read with a page's other lists."""
    return _EVENTS_OF.bound(application_id=application.pk)


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

"""Reads of the back office and the applicant's casework pages, always scoped by the user, with
query counts that do not grow with the number of cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from applications.models import Application, Attachment, CaseEvent, PermitType, Status
from casework.models import (
    AdditionalInformation,
    CaseFile,
    CaseworkerScope,
    InternalNote,
    SupplementRequest,
)
from core.prepared_queries import BoundInsert, BoundQuery, PreparedQuery, all_together

# Statuses that sit in a queue; drafts are not cases yet.
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_PROCESSING, Status.WAITING_FOR_SUPPLEMENT)
CASE_STATUSES = (*OPEN_STATUSES, Status.DECIDED, Status.CLOSED, Status.WITHDRAWN)

_SEALED_AND_LARGE = (
    "answers_sealed",
    "submitted_answers_sealed",
    "submitted_schema",
    "permit_type__schema",
    "permit_type__description",
)


# What a sent case's pages never read: they use the schema frozen at sending (submitted_schema)
# and the answers sent, not the draft's sealed answers nor the permit type's current schema
# (about 18 KB of JSON, decoded per read) and description. A case sent before schemas were
# frozen still works: Django then reads the deferred schema with a query of its own.
_UNUSED_ON_CASE_PAGES = ("answers_sealed", "permit_type__schema", "permit_type__description")


# What a row of the queue shows (casework.queue_rows), and nothing else: at 50 rows, reading and
# converting the other columns of the case, its permit type and its assignee (a password hash
# among them) cost about 0.8 ms. The case file is read whole: its clock needs most of it.
_QUEUE_ROW_FIELDS = (
    "case_number",
    "status",
    "submitted_at",
    "permit_type__name_fi",
    "permit_type__name_sv",
    "permit_type__name_en",
    "permit_type__target_processing_days",
    *(f"case_file__{field.name}" for field in CaseFile._meta.concrete_fields),
    "case_file__assignee__full_name",
    "case_file__assignee__email",
)


def related_or_none(instance, name: str):
    """A reverse one-to-one (case_file, decision) or None, without a query when select_related."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class CaseworkerReach:
    """What a caseworker's scopes reach: the permit types (their own and their units') and the
    units. Read in one query, then cases are filtered by these ids: the ORM compiles a list of
    ids for much less than the three subqueries the same rule took (about 0.75 ms a case page
    or queue), and the case page passes the unit ids on to Securemail's reads."""

    permit_type_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()

    def cases(self) -> Q:
        """The cases reached: of these permit types, or handled by these units."""
        return Q(permit_type_id__in=sorted(self.permit_type_ids)) | Q(
            case_file__unit_id__in=sorted(self.unit_ids)
        )


def caseworker_reach(user) -> CaseworkerReach:
    """Read at each call (a scope removed shows at the next request); nothing for a non-caseworker."""
    if not user.is_authenticated or user.role != Role.CASEWORKER:
        return CaseworkerReach()
    rows = CaseworkerScope.objects.filter(caseworker=user).values_list(
        "permit_type_id", "unit_id", "unit__permit_types"
    )
    permit_type_ids, unit_ids = set(), set()
    for permit_type_id, unit_id, unit_permit_type_id in rows:
        permit_type_ids.update(pk for pk in (permit_type_id, unit_permit_type_id) if pk is not None)
        if unit_id is not None:
            unit_ids.add(unit_id)
    return CaseworkerReach(frozenset(permit_type_ids), frozenset(unit_ids))


def cases_for_caseworker(user, reach: CaseworkerReach | None = None) -> QuerySet[Application]:
    """Every submitted case the caseworker may see; all back-office reads start here. `reach`:
    the caseworker's, when the caller has read it already (this request)."""
    reach = reach if reach is not None else caseworker_reach(user)
    if not reach.permit_type_ids and not reach.unit_ids:
        return Application.objects.none()
    return Application.objects.filter(reach.cases(), status__in=CASE_STATUSES)


def reach_of_caseworker(caseworker_id) -> Q:
    """CaseworkerReach.cases() as subqueries on the caseworker's scopes: one SQL text whatever the
    scopes, so a read of the case page or the queue is compiled once (core.prepared_queries)."""
    scopes = CaseworkerScope.objects.filter(caseworker_id=caseworker_id)
    return (
        Q(permit_type_id__in=scopes.values("permit_type_id"))
        | Q(permit_type_id__in=scopes.values("unit__permit_types"))
        | Q(case_file__unit_id__in=scopes.values("unit_id"))
    )


def unit_ids_of_caseworker(caseworker_id) -> QuerySet:
    """CaseworkerReach.unit_ids as a subquery, for Securemail's prepared reads of a case."""
    return CaseworkerScope.objects.filter(caseworker_id=caseworker_id, unit__isnull=False).values(
        "unit_id"
    )


def _is_caseworker(user) -> bool:
    return user.is_authenticated and user.role == Role.CASEWORKER


def _earliest_open_deadline() -> Subquery:
    """The earliest deadline of the case's open requests (None without one): the row compares it
    with today, so the queue's SQL does not carry the day and is compiled once."""
    return Subquery(
        SupplementRequest.objects.filter(application=OuterRef("pk"), closed_at__isnull=True)
        .order_by("deadline")
        .values("deadline")[:1]
    )


def _queue_of(cases: QuerySet[Application]) -> QuerySet[Application]:
    """What a row of the queue shows, in the same query, oldest first."""
    return (
        cases.select_related("permit_type", "case_file", "case_file__assignee")
        .only(*_QUEUE_ROW_FIELDS)
        .annotate(open_request_deadline=_earliest_open_deadline())
    )


QUEUE_PAGE_SIZE = 50

# The queue's filter offers every permit type: not their schemas nor descriptions.
_PERMIT_TYPES_IN_ORDER = PreparedQuery(
    lambda: PermitType.objects.defer("schema", "description").order_by("position")
)


def permit_types_in_order() -> list[PermitType]:
    return _PERMIT_TYPES_IN_ORDER.all()


# The queue as it opens (no filter, first page) with one row more than a page holds, to know
# whether there is a second page without a COUNT (as core.pagination.page_of).
_QUEUE_AS_OPENED = PreparedQuery(
    lambda caseworker_id: _queue_of(
        Application.objects.filter(
            reach_of_caseworker(caseworker_id), status__in=CASE_STATUSES
        ).filter(status__in=OPEN_STATUSES)
    ).order_by("submitted_at", "id")[: QUEUE_PAGE_SIZE + 1],
    caseworker_id=int,
)


def queue_as_opened(*, user) -> list[Application]:
    """The open cases in the caseworker's reach as case_queue() gives them without a filter, up
    to QUEUE_PAGE_SIZE + 1 rows."""
    if not _is_caseworker(user):
        return []
    return _QUEUE_AS_OPENED.all(caseworker_id=user.pk)


def permit_types_and_queue_as_opened(
    *, user, also: tuple[BoundInsert, ...] = ()
) -> tuple[list[PermitType], list[Application]]:
    """permit_types_in_order() and queue_as_opened(), read together (one execute where the
    database takes it: core.prepared_queries.all_together), then `also` written in the same
    execute (the page's audit record)."""
    queue = [_QUEUE_AS_OPENED.bound(caseworker_id=user.pk)] if _is_caseworker(user) else []
    permit_types, *rest = all_together(_PERMIT_TYPES_IN_ORDER.bound(), *queue, *also)
    return permit_types, rest[0] if queue else []


def case_queue(
    *,
    user,
    status: str = "",
    permit_type_code: str = "",
    older_than_days: int | None = None,
    case_number: str = "",
    mine: bool = False,
    unassigned: bool = False,
) -> QuerySet[Application]:
    """The queue: filtered, oldest first, with everything a row shows in the same query."""
    queryset = _queue_of(cases_for_caseworker(user))
    if status:
        queryset = queryset.filter(status=status)
    elif not case_number.strip():
        # A search by case number looks in every status: a decided case must be found too.
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    if permit_type_code:
        queryset = queryset.filter(permit_type__code=permit_type_code)
    if older_than_days is not None:
        queryset = queryset.filter(
            submitted_at__lt=timezone.now() - timedelta(days=older_than_days)
        )
    if case_number:
        queryset = queryset.filter(case_number__icontains=case_number.strip())
    if mine:
        queryset = queryset.filter(case_file__assignee=user)
    if unassigned:
        queryset = queryset.filter(Q(case_file__isnull=True) | Q(case_file__assignee__isnull=True))
    return queryset.order_by("submitted_at", "id")


# The case page's reads, compiled once per process: the case in the caseworker's reach (the
# scopes as subqueries, so the scope is still read at each request), then its lists by its id.
_CASE_OF_CASEWORKER = PreparedQuery(
    lambda caseworker_id, application_id: (
        Application.objects.filter(
            reach_of_caseworker(caseworker_id), pk=application_id, status__in=CASE_STATUSES
        )
        .select_related("permit_type", "case_file", "case_file__assignee", "decision")
        .defer(*_UNUSED_ON_CASE_PAGES)
    ),
    caseworker_id=int,
    application_id=int,
)
_ATTACHMENTS_OF_CASE = PreparedQuery(
    lambda application_id: (
        Attachment.objects.filter(application_id=application_id)
        .select_related("document")
        .order_by("added_at", "id")
    ),
    application_id=int,
)
# The timeline shows each event's time and kind: not who acted, nor the event's details.
_TIMELINE_OF_CASE = PreparedQuery(
    lambda application_id: (
        CaseEvent.objects.filter(application_id=application_id)
        .only("at", "kind")
        .order_by("at", "id")
    ),
    application_id=int,
)
# A note shows its author's name: not the rest of the author's row (password hash included).
_NOTES_OF_CASE = PreparedQuery(
    lambda application_id: (
        InternalNote.objects.filter(application_id=application_id)
        .select_related("author")
        .only("text_sealed", "created_at", "author__full_name", "author__email")
    ),
    application_id=int,
)
_REQUESTS_OF_CASE = PreparedQuery(
    lambda application_id: SupplementRequest.objects.filter(application_id=application_id).order_by(
        "-created_at", "-id"
    ),
    application_id=int,
)
_ADDITIONAL_OF_CASE = PreparedQuery(
    lambda application_id: AdditionalInformation.objects.filter(
        application_id=application_id
    ).order_by("-created_at", "-id"),
    application_id=int,
)


def case_for_caseworker(*, user, application_id: int) -> Application:
    """One case in the caseworker's scope (any other id is a 404) with its permit type, case file,
    assignee and decision: what the case page and its actions read. Its lists are read only by the
    page that shows them (with_case_lists): an action that redirects does not read them."""
    case = None
    if _is_caseworker(user):
        case = _CASE_OF_CASEWORKER.first(caseworker_id=user.pk, application_id=application_id)
    if case is None:
        raise Http404
    return case


def attachments_of_case(application_id: int) -> list[Attachment]:
    return _ATTACHMENTS_OF_CASE.all(application_id=application_id)


def with_case_lists(application: Application, *also: BoundQuery | BoundInsert) -> list[list]:
    """The case with the lists its page shows, read by its id: the same five statements that
    prefetch_related made, without its machinery for many rows (an IN list of instances, a
    dictionary per lookup, the reverse cache set on every row), sent together with the page's
    other reads (`also`, whose rows are returned in their order; an insert too, the page's audit
    record) in one execute where the database takes it (core.prepared_queries.all_together)."""
    case = application.pk
    (
        application.attachment_list,
        application.timeline,
        application.note_list,
        application.request_list,
        application.additional_list,
        *others,
    ) = all_together(
        _ATTACHMENTS_OF_CASE.bound(application_id=case),
        _TIMELINE_OF_CASE.bound(application_id=case),
        _NOTES_OF_CASE.bound(application_id=case),
        _REQUESTS_OF_CASE.bound(application_id=case),
        _ADDITIONAL_OF_CASE.bound(application_id=case),
        *also,
    )
    return others


def _colleagues_of_permit_type(permit_type_id) -> QuerySet:
    return (
        User.objects.filter(role=Role.CASEWORKER, is_active=True)
        .filter(
            Q(casework_scopes__permit_type_id=permit_type_id)
            | Q(casework_scopes__unit__permit_types=permit_type_id)
        )
        .distinct()
        .order_by("full_name", "email")
    )


def colleagues_for_case(*, application: Application):
    """Caseworkers who may see this case, to assign it to one of them."""
    return _colleagues_of_permit_type(application.permit_type_id)


# The case page lists the colleagues by name: not the rest of their rows (password hashes).
_COLLEAGUES_LISTED = PreparedQuery(
    lambda permit_type_id: _colleagues_of_permit_type(permit_type_id).only("full_name", "email"),
    permit_type_id=int,
)


def colleagues_listed_read(*, application: Application) -> BoundQuery:
    """colleagues_for_case as a list of names and addresses, for the case page's form, to be read
    with the case's lists (with_case_lists)."""
    return _COLLEAGUES_LISTED.bound(permit_type_id=application.permit_type_id)


def can_see_case(*, user, application: Application) -> bool:
    return cases_for_caseworker(user).filter(pk=application.pk).exists()


# The applicant's side.


def case_for_applicant(*, user, application_id: int) -> Application:
    """The applicant's own submitted case (another user's id, or a draft: 404).

    The submitted answers are loaded with the row: the case page shows them (deferred, they cost a
    query of their own)."""
    queryset = (
        Application.objects.filter(applicant=user, status__in=CASE_STATUSES)
        .select_related("permit_type", "case_file", "decision", "decision__document")
        .defer(*_UNUSED_ON_CASE_PAGES)
    )
    return get_object_or_404(queryset, pk=application_id)


def requests_due_for_reminder(*, today, days_before: int) -> QuerySet[SupplementRequest]:
    """Open requests whose deadline is within `days_before` days and not yet reminded."""
    return SupplementRequest.objects.filter(
        closed_at__isnull=True,
        reminder_sent_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=days_before),
    ).select_related("application", "application__applicant")

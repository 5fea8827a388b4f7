"""The applicant's reads of their own cases, compiled once per process (core.prepared_queries):
the case page and the home page run the same few statements on every request, so their SQL is
built once and only the user's and the case's ids change. Scoped by the user (another user's id:
404). The back office's reads stay in casework.selectors."""

from __future__ import annotations

from django.http import Http404

from applications.models import Application, Status
from casework.models import SupplementRequest
from casework.selectors import CASE_STATUSES
from core.prepared_queries import BoundQuery, PreparedQuery

# What the case pages never read: the draft's sealed answers, the permit type's current schema
# (about 18 KB of JSON, decoded per read) and description; a sent case has its own schema.
_UNUSED_ON_CASE_PAGES = ("answers_sealed", "permit_type__schema", "permit_type__description")

_CASE_OF_APPLICANT = PreparedQuery(
    lambda applicant_id, application_id: (
        Application.objects.filter(
            applicant_id=applicant_id, pk=application_id, status__in=CASE_STATUSES
        )
        .select_related("permit_type", "case_file", "decision", "decision__document")
        .defer(*_UNUSED_ON_CASE_PAGES)
    ),
    applicant_id=int,
    application_id=int,
)

_OPEN_REQUEST_OF_CASE = PreparedQuery(
    lambda application_id: SupplementRequest.objects.filter(
        application_id=application_id, closed_at__isnull=True
    ).order_by("-created_at", "-id")[:1],
    application_id=int,
)

_OPEN_REQUESTS_OF_APPLICANT = PreparedQuery(
    lambda applicant_id: (
        SupplementRequest.objects.filter(
            application__applicant_id=applicant_id,
            application__status=Status.WAITING_FOR_SUPPLEMENT,
            closed_at__isnull=True,
        )
        .select_related("application__permit_type")
        # A name, a case number and a deadline: not the schemas nor the sealed answers.
        .defer(
            "application__answers_sealed",
            "application__submitted_answers_sealed",
            "application__submitted_schema",
            "application__permit_type__schema",
            "application__permit_type__description",
        )
        .order_by("deadline", "pk")
    ),
    applicant_id=int,
)


def case_of_applicant(*, user, application_id: int) -> Application:
    """The applicant's own submitted case with its permit type, case file and decision (another
    user's id, or a draft: 404). The submitted answers come with the row: the case page shows
    them."""
    case = _CASE_OF_APPLICANT.first(applicant_id=user.pk, application_id=application_id)
    if case is None:
        raise Http404
    return case


def open_request_of_case(application: Application) -> SupplementRequest | None:
    """The case's open request for supplementary information, the latest if several."""
    return _OPEN_REQUEST_OF_CASE.first(application_id=application.pk)


def open_request_of_case_read(application: Application) -> BoundQuery:
    """open_request_of_case as a list of none or one, to be read with a page's other lists
    (core.prepared_queries.all_together)."""
    return _OPEN_REQUEST_OF_CASE.bound(application_id=application.pk)


def open_requests_of_applicant_read(*, user) -> BoundQuery:
    """Every open request on the applicant's own cases, soonest deadline first: read with the
    home page's lists (applications.hooks.home_reads)."""
    return _OPEN_REQUESTS_OF_APPLICANT.bound(applicant_id=user.pk)

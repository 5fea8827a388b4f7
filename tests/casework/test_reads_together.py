"""The signed-in pages read their lists together (core.prepared_queries.all_together): on
PostgreSQL one execute for all of a page's lists, elsewhere one statement each, with the same
page either way; and the number of queries does not grow with the rows a page shows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import CaseEvent, CaseEventKind
from audit.models import AuditEvent
from casework.applicant_services import UploadedAttachment, additional_information_add
from casework.services import internal_note_add
from core import prepared_queries
from tests.applications.conftest import pdf_upload
from tests.statements import statements

pytestmark = pytest.mark.django_db

TOGETHER = connection.vendor == "postgresql"

# The queries of each page once its session is warm: the session with its user and their device
# (one statement, accounts.sessions), then the page's own. On PostgreSQL a page's lists are one
# execute, with its audit record.
CASEWORKER_CASE = 3 if TOGETHER else 10  # + the case, its lists (+ the secure messages and
# the colleagues), the audit record
CASEWORKER_CASE_WITH_MAIL = 3 if TOGETHER else 11  # + the conversations, where messages are
APPLICANT_CASE = 3 if TOGETHER else 8  # the case, the audit record, five lists
APPLICANT_HOME = 2 if TOGETHER else 5  # the audit record, applications + events, open requests
QUEUE_AS_OPENED = 2 if TOGETHER else 4  # permit types + rows, the audit record
AUDIT_INSERT = 'INSERT INTO "audit_auditevent"'


def _queries(client, url: str) -> CaptureQueriesContext:
    client.get(url)  # the session's activity is recorded on a first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured


def _masked(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="submission_token" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def _more_rows(case, applicant, caseworker, count: int) -> None:
    for number in range(count):
        internal_note_add(application=case, author=caseworker, text=f"Note {number}")
        CaseEvent.objects.create(application=case, kind=CaseEventKind.SUBMITTED)
        additional_information_add(
            application=case,
            applicant=applicant,
            text=f"More {number}",
            uploads=[UploadedAttachment("other", pdf_upload(f"more-{number}.pdf"))],
        )


def test_the_caseworkers_case_page_reads_its_lists_together_whatever_their_rows(
    caseworker_client, in_processing, applicant, caseworker, django_capture_on_commit_callbacks
):
    url = reverse("casework:case", args=[in_processing.pk])
    assert len(_queries(caseworker_client, url)) == CASEWORKER_CASE
    with django_capture_on_commit_callbacks(execute=True):
        _more_rows(in_processing, applicant, caseworker, 20)

    captured = _queries(caseworker_client, url)
    assert len(captured) == CASEWORKER_CASE
    lists = [sql for sql in statements(captured) if '"application_id" = ' in sql]
    assert len(lists) == 5
    if TOGETHER:  # the five lists, the secure messages, the colleagues, the conversations, and
        # the audit record written after them
        sent = captured[2]["sql"].split(prepared_queries.STATEMENT_SEPARATOR)
        assert len(sent) == 9
        assert sent[-1].startswith(AUDIT_INSERT)
    assert len([sql for sql in statements(captured) if sql.startswith(AUDIT_INSERT)]) == 1


def test_the_caseworkers_case_page_with_secure_mail_reads_it_together(
    caseworker_client, in_processing, start_secure_conversation
):
    for number in range(3):
        start_secure_conversation(case_id=in_processing.pk, subject=f"Question {number}")
    url = reverse("casework:case", args=[in_processing.pk])

    captured = _queries(caseworker_client, url)
    assert len(captured) == CASEWORKER_CASE_WITH_MAIL
    assert len([sql for sql in statements(captured) if "securemail_conversation" in sql]) == 2
    assert caseworker_client.get(url).text.count("1 unread") == 3


def test_the_applicants_case_page_reads_its_lists_together_whatever_their_rows(
    applicant_browser,
    in_processing,
    applicant,
    caseworker,
    start_secure_conversation,
    django_capture_on_commit_callbacks,
):
    url = reverse("cases:detail", args=[in_processing.pk])
    captured = _queries(applicant_browser, url)
    assert len(captured) == APPLICANT_CASE
    if TOGETHER:  # the case alone (another user's id: 404), then the audit record and five lists
        assert '"audit_auditevent"' not in captured[1]["sql"]
        sent = captured[2]["sql"].split(prepared_queries.STATEMENT_SEPARATOR)
        assert len(sent) == 6
        assert sent[0].startswith(AUDIT_INSERT)
    assert len([sql for sql in statements(captured) if sql.startswith(AUDIT_INSERT)]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _more_rows(in_processing, applicant, caseworker, 20)
    for number in range(3):
        start_secure_conversation(
            case_id=in_processing.pk, user=applicant, subject=f"Question {number}"
        )

    assert len(_queries(applicant_browser, url)) == APPLICANT_CASE


def test_another_applicants_case_answers_404_and_writes_no_audit_record(
    applicant_browser, in_processing, other_applicant
):
    """The case is read alone before the audit record and the lists are sent."""
    from tests.conftest import sign_in_with_second_factor

    url = reverse("cases:detail", args=[in_processing.pk])
    other = sign_in_with_second_factor(Client(), other_applicant)
    viewed = AuditEvent.objects.filter(action="application.viewed")
    assert other.get(url).status_code == 404
    assert not viewed.exists()
    assert applicant_browser.get(url).status_code == 200
    assert list(viewed.values_list("object_id", "details")) == [
        (str(in_processing.pk), {"page": "case"})
    ]


def test_a_case_page_whose_render_fails_keeps_its_audit_record(
    applicant_browser, caseworker_client, in_processing, monkeypatch
):
    """As when the record was written on its own before the page: the view was recorded once the
    page's reads were done, whatever the render does afterwards."""
    from casework import applicant_views
    from casework import views as caseworker_views

    def failing(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(applicant_views, "render", failing)
    monkeypatch.setattr(caseworker_views, "render", failing)
    applicant_browser.raise_request_exception = caseworker_client.raise_request_exception = False
    assert (
        applicant_browser.get(reverse("cases:detail", args=[in_processing.pk])).status_code == 500
    )
    assert (
        caseworker_client.get(reverse("casework:case", args=[in_processing.pk])).status_code == 500
    )
    assert list(AuditEvent.objects.order_by("id").values_list("action", "object_id"))[-2:] == [
        ("application.viewed", str(in_processing.pk)),
        ("casework.case_viewed", str(in_processing.pk)),
    ]


def test_the_home_page_and_the_queue_read_their_lists_together(
    applicant_browser, caseworker_client, in_processing, submit_case, applicant
):
    home, queue = reverse("applications:home"), reverse("casework:queue")
    captured = _queries(applicant_browser, home)
    assert len(captured) == APPLICANT_HOME
    # The audit record first, then casework's open requests and the applications with their events.
    sent = statements(captured)[-4:]
    assert sent[0].startswith(AUDIT_INSERT)
    assert '"casework_supplementrequest"' in sent[1]
    assert len(_queries(caseworker_client, queue)) == QUEUE_AS_OPENED
    for _number in range(4):
        submit_case(applicant)

    assert len(_queries(applicant_browser, home)) == APPLICANT_HOME
    captured = _queries(caseworker_client, queue)
    assert len(captured) == QUEUE_AS_OPENED
    [rows] = [sql for sql in statements(captured) if sql.startswith('SELECT "applications_app')]
    assert "LIMIT 51" in rows
    assert statements(captured)[-1].startswith(AUDIT_INSERT)  # after the reads, as before


def test_the_queue_as_opened_records_the_page_it_shows_as_the_queue_asked_for_page_1_does(
    caseworker_client, in_processing
):
    """The queue without a query string writes its record with its reads (page 1: the page it
    shows); asked for ?page=1 it writes it on its own after them, from the page read."""

    def recorded(url: str) -> dict:
        assert caseworker_client.get(url).status_code == 200
        record = AuditEvent.objects.values().latest("id")
        return {k: v for k, v in record.items() if k not in ("id", "at", "request_id")}

    as_opened = recorded(reverse("casework:queue"))
    assert as_opened == recorded(reverse("casework:queue") + "?page=1")
    assert as_opened["action"] == "casework.queue_viewed" and as_opened["details"] == {"page": 1}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_pages_are_the_same_read_together_or_one_statement_at_a_time(
    language,
    settings,
    caseworker_client,
    applicant_browser,
    in_processing,
    applicant,
    caseworker,
    start_secure_conversation,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    settings.LANGUAGE_CODE = language
    with django_capture_on_commit_callbacks(execute=True):
        _more_rows(in_processing, applicant, caseworker, 2)
    conversation = start_secure_conversation(case_id=in_processing.pk, user=applicant)
    pages = [
        (caseworker_client, reverse("casework:case", args=[in_processing.pk])),
        (caseworker_client, reverse("casework:queue")),
        (applicant_browser, reverse("cases:detail", args=[in_processing.pk])),
        (applicant_browser, reverse("applications:home")),
    ]

    def read_all() -> list[str]:
        return [
            _masked(client.get(url, HTTP_ACCEPT_LANGUAGE=language).text) for client, url in pages
        ]

    def audited(read) -> tuple[list[str], list[dict]]:
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        before = timezone.now()
        html = read()
        records = list(AuditEvent.objects.filter(id__gt=last).order_by("id").values())
        for record in records:
            # Each page's own record, timed as it is written (request ids differ per request).
            assert before <= record.pop("at") <= timezone.now()
            assert len(record.pop("request_id")) == 32
            record.pop("id")
        return html, records

    together, records_together = audited(read_all)
    monkeypatch.setattr(prepared_queries, "_sends_together", lambda connection: False)
    one_at_a_time, records_one_at_a_time = audited(read_all)
    assert together == one_at_a_time
    # The audit records written with the lists are the ones written on their own.
    assert records_together == records_one_at_a_time
    assert [record["action"] for record in records_together] == [
        "casework.case_viewed",
        "casework.queue_viewed",
        "application.viewed",
        "application.listed",
    ]
    assert "Note 1" in together[0] and "More 1" in together[0]
    assert reverse("casework:securemail_conversation", args=[conversation.pk]) in together[0]
    assert f'lang="{language}"' in together[0]

"""The back-office pages and the applicant's case pages: scope, audit, query counts, errors."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Status
from audit.models import AuditEvent
from casework.models import CaseFile, SupplementRequest
from tests.casework.conftest import tomorrow_plus
from tests.conftest import sign_in_with_second_factor
from tests.statements import statements

pytestmark = pytest.mark.django_db


def test_the_queue_lists_only_cases_in_the_caseworkers_scope(
    caseworker_client, submitted, submit_case, other_applicant, permit_types
):
    from applications.models import Application

    study_case = submit_case(other_applicant)
    Application.objects.filter(pk=study_case.pk).update(permit_type=permit_types["studies"])

    response = caseworker_client.get(reverse("casework:queue"))

    assert response.status_code == 200
    assert submitted.case_number in response.text
    assert study_case.case_number not in response.text
    assert AuditEvent.objects.filter(action="casework.queue_viewed").exists()


def test_a_case_outside_the_scope_is_not_found(client, submitted, outsider):
    sign_in_with_second_factor(client, outsider)
    assert client.get(reverse("casework:case", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("casework:take", args=[submitted.pk])).status_code == 404


def test_an_applicant_cannot_open_the_back_office(applicant_browser, submitted):
    assert applicant_browser.get(reverse("casework:queue")).status_code == 403
    assert applicant_browser.get(reverse("casework:case", args=[submitted.pk])).status_code == 403


def test_the_case_page_shows_the_data_and_is_audited(caseworker_client, in_processing, caseworker):
    from casework.services import internal_note_add

    internal_note_add(application=in_processing, author=caseworker, text="Checked the employer.")
    response = caseworker_client.get(reverse("casework:case", args=[in_processing.pk]))

    assert response.status_code == 200
    assert "Nguyen" in response.text  # the submitted data
    assert "Checked the employer." in response.text
    assert "No virus found" in response.text
    assert AuditEvent.objects.filter(
        action="casework.case_viewed", object_id=str(in_processing.pk)
    ).exists()


def test_internal_notes_never_reach_the_applicants_pages(
    applicant_browser, in_processing, caseworker
):
    from casework.services import internal_note_add

    internal_note_add(application=in_processing, author=caseworker, text="Suspicious employer.")
    for name in ("cases:detail", "applications:case"):
        page = applicant_browser.get(reverse(name, args=[in_processing.pk])).text
        assert "Suspicious employer." not in page


def test_the_queue_filters_by_case_number_and_marks_overdue_requests(
    caseworker_client, waiting, submit_case, applicant
):
    from django.utils import timezone

    other = submit_case(applicant)
    SupplementRequest.objects.update(deadline=timezone.localdate() - timezone.timedelta(days=1))

    response = caseworker_client.get(
        reverse("casework:queue"), {"case_number": waiting.case_number}
    )

    assert waiting.case_number in response.text and other.case_number not in response.text
    assert "Request overdue" in response.text


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_and_case_pages_use_a_constant_number_of_queries(
    caseworker_client, in_processing, submit_case, applicant, caseworker
):
    from casework.services import case_take, internal_note_add

    queue = reverse("casework:queue")
    case = reverse("casework:case", args=[in_processing.pk])
    # The first signed-in request records the session's activity (a write at most once a minute).
    _queries_for(caseworker_client, queue)
    queue_before, case_before = (
        _queries_for(caseworker_client, queue),
        _queries_for(caseworker_client, case),
    )
    for _number in range(4):
        case_take(application=submit_case(applicant), actor=caseworker)
        internal_note_add(application=in_processing, author=caseworker, text="More.")

    assert _queries_for(caseworker_client, queue) == queue_before
    assert _queries_for(caseworker_client, case) == case_before


def test_a_refused_action_shows_a_clear_error_and_changes_nothing(client, in_processing, colleague):
    sign_in_with_second_factor(client, colleague)
    response = client.post(
        reverse("casework:decide", args=[in_processing.pk]),
        {
            "outcome": "positive",
            "reasoning": "Fine.",
            "decision_maker_name": "Aino Virtanen",
            "step": "send",
        },
    )
    assert response.status_code == 200
    assert "not assigned to you" in response.text
    assert "Fine." in response.text  # what was typed is kept
    in_processing.refresh_from_db()
    assert in_processing.status == Status.IN_PROCESSING


def test_a_request_form_with_a_past_deadline_keeps_the_input(caseworker_client, in_processing):
    response = caseworker_client.post(
        reverse("casework:request_supplement", args=[in_processing.pk]),
        {"message": "Send the contract.", "deadline": "2000-01-01"},
    )
    assert response.status_code == 200
    assert "must be a day in the future" in response.text
    assert "Send the contract." in response.text


def test_another_applicants_case_is_not_found(client, waiting, other_applicant):
    sign_in_with_second_factor(client, other_applicant)
    for name in ("cases:detail", "cases:answer", "cases:add_information", "cases:withdraw"):
        assert client.get(reverse(name, args=[waiting.pk])).status_code == 404


def test_the_applicant_sees_the_estimate_and_the_open_request(applicant_browser, waiting):
    response = applicant_browser.get(reverse("cases:detail", args=[waiting.pk]))
    assert "Please send the signed employment contract." in response.text
    assert "paused until you answer" in response.text


def test_the_applicant_sees_an_estimated_decision_date(applicant_browser, in_processing):
    response = applicant_browser.get(reverse("cases:detail", args=[in_processing.pk]))
    assert "We estimate a decision by" in response.text


def test_a_double_submitted_answer_is_refused_with_a_clear_message(applicant_browser, waiting):
    url = reverse("cases:answer", args=[waiting.pk])
    first = applicant_browser.post(url, {"text": "Here it is."})
    second = applicant_browser.post(url, {"text": "Here it is."}, follow=True)

    assert first.status_code == 302
    assert "There is no open request to answer." in second.text
    assert SupplementRequest.objects.get().answer == "Here it is."


def test_the_applicant_withdraws_on_the_confirmation_page(applicant_browser, in_processing):
    url = reverse("cases:withdraw", args=[in_processing.pk])
    refused = applicant_browser.post(url, {})
    assert (
        refused.status_code == 200 and "Tick the box to withdraw the application." in refused.text
    )
    # The statement is the label: the error does not repeat it.
    assert refused.text.count("I withdraw my application.") == 1

    applicant_browser.post(url, {"confirm": "on"})
    in_processing.refresh_from_db()
    assert in_processing.status == Status.WITHDRAWN


def test_assigning_to_a_colleague_from_the_case_page(caseworker_client, in_processing, colleague):
    caseworker_client.post(
        reverse("casework:assign", args=[in_processing.pk]), {"assignee": colleague.pk}
    )
    assert CaseFile.objects.get(application=in_processing).assignee == colleague
    assert AuditEvent.objects.filter(action="casework.case_assigned").exists()


def test_the_caseworker_downloads_an_attachment_of_a_case_in_scope(
    caseworker_client, in_processing
):
    attachment = in_processing.attachments.first()
    url = reverse("casework:document", args=[in_processing.pk, attachment.document_id])
    response = caseworker_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="casework.document_downloaded").exists()


def test_a_document_of_another_case_is_not_found(
    caseworker_client, in_processing, submit_case, applicant
):
    other = submit_case(applicant)
    document_id = other.attachments.first().document_id
    url = reverse("casework:document", args=[in_processing.pk, document_id])
    assert caseworker_client.get(url).status_code == 404


def test_the_request_page_posts_a_request(caseworker_client, in_processing):
    response = caseworker_client.post(
        reverse("casework:request_supplement", args=[in_processing.pk]),
        {
            "message": "Send the contract.",
            "requested_kinds": ["employment_contract"],
            "deadline": tomorrow_plus().isoformat(),
        },
    )
    assert response.status_code == 302
    in_processing.refresh_from_db()
    assert in_processing.status == Status.WAITING_FOR_SUPPLEMENT


def test_an_age_filter_beyond_any_date_is_refused_with_an_error_not_a_crash(
    caseworker_client, submitted
):
    response = caseworker_client.get(reverse("casework:queue"), {"older_than_days": "100000000"})

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to" in response.text
    assert submitted.case_number in response.text  # the other filters still apply


def test_a_search_by_case_number_finds_a_decided_or_closed_case_too(
    caseworker_client, in_processing, caseworker
):
    from casework.services import case_close, case_decide

    case_decide(
        application=in_processing,
        actor=caseworker,
        outcome="positive",
        reasoning="Met.",
        decision_maker_name="Aino Virtanen",
        valid_until=date(2099, 12, 31),
    )
    queue = reverse("casework:queue")

    decided = caseworker_client.get(queue, {"case_number": in_processing.case_number})
    assert in_processing.case_number in decided.text and "No cases match." not in decided.text
    assert in_processing.case_number not in caseworker_client.get(queue).text  # open cases only

    case_close(application=in_processing, actor=caseworker)
    closed = caseworker_client.get(queue, {"status": Status.CLOSED})
    assert in_processing.case_number in closed.text


def test_the_case_page_shown_again_after_a_refused_form_is_audited(
    caseworker_client, in_processing
):
    def viewed() -> int:
        return AuditEvent.objects.filter(
            action="casework.case_viewed", object_id=str(in_processing.pk)
        ).count()

    before = viewed()
    note = caseworker_client.post(reverse("casework:add_note", args=[in_processing.pk]), {})
    assign = caseworker_client.post(
        reverse("casework:assign", args=[in_processing.pk]), {"assignee": "999999"}
    )

    assert note.status_code == assign.status_code == 400
    assert "Nguyen" in note.text and "Nguyen" in assign.text  # the submitted data is shown
    assert viewed() == before + 2


def test_the_answer_page_shown_again_after_a_refused_answer_is_audited(applicant_browser, waiting):
    def viewed() -> int:
        return AuditEvent.objects.filter(
            action="application.viewed", object_id=str(waiting.pk), details__page="answer"
        ).count()

    response = applicant_browser.post(reverse("cases:answer", args=[waiting.pk]), {"text": ""})

    assert "Write an answer or attach a file." in response.text
    assert "Please send the signed employment contract." in response.text
    assert viewed() == 1


def test_only_the_applicant_downloads_the_decision_and_another_applicant_gets_404(
    client,
    applicant_browser,
    in_processing,
    caseworker,
    other_applicant,
    django_capture_on_commit_callbacks,
):
    from casework.services import case_decide

    with django_capture_on_commit_callbacks(execute=True):
        decision = case_decide(
            application=in_processing,
            actor=caseworker,
            outcome="negative",
            reasoning="Not met.",
            decision_maker_name="Aino Virtanen",
        )
    url = reverse("documents:download", args=[decision.document_id])
    sign_in_with_second_factor(client, other_applicant)

    assert client.get(url).status_code == 404
    assert applicant_browser.get(url).status_code == 200


def test_the_applicant_sees_in_processing_again_after_answering(
    waiting, applicant, applicant_browser
):
    from casework.applicant_services import supplement_answer

    supplement_answer(
        application=waiting,
        applicant=applicant,
        text="The signed contract is attached.",
        uploads=[],
    )
    for page in ("/applications/", f"/cases/{waiting.pk}/"):
        response = applicant_browser.get(page, HTTP_ACCEPT_LANGUAGE="en")
        assert "In processing again" in response.content.decode(), page


def test_the_applicants_case_page_reads_the_case_and_its_answers_in_one_query(
    applicant_browser, waiting, submit_case, applicant
):
    """The submitted answers come with the case's row (deferred, they were a query of their own),
    and the page's queries do not grow with the applicant's other cases."""
    case = reverse("cases:detail", args=[waiting.pk])
    applicant_browser.get(case)
    with CaptureQueriesContext(connection) as captured:
        page = applicant_browser.get(case)
    assert page.status_code == 200
    reads = [
        sql for sql in statements(captured) if sql.startswith('SELECT "applications_application"')
    ]
    assert len(reads) == 1 and "submitted_answers_sealed" in reads[0]
    for _number in range(3):
        submit_case(applicant)
    assert _queries_for(applicant_browser, case) == len(captured)


def test_the_case_pages_timeline_reads_events_without_their_actors(
    caseworker_client, in_processing
):
    case = reverse("casework:case", args=[in_processing.pk])
    with CaptureQueriesContext(connection) as captured:
        assert caseworker_client.get(case).status_code == 200
    events = [
        sql for sql in statements(captured) if sql.startswith('SELECT "applications_caseevent"')
    ]
    assert len(events) == 1 and '"accounts_user"' not in events[0]


def test_the_assign_list_is_one_plain_query_not_a_server_side_cursor(
    caseworker_client, in_processing, monkeypatch
):
    """QuerySet.iterator() opens a server-side cursor on PostgreSQL (three round trips) for a
    list of a few colleagues."""

    def no_cursor(*args, **kwargs):
        raise AssertionError("a choice list streamed through QuerySet.iterator()")

    monkeypatch.setattr(QuerySet, "iterator", no_cursor)
    response = caseworker_client.get(reverse("casework:case", args=[in_processing.pk]))
    assert response.status_code == 200
    assert 'name="assignee"' in response.text


def test_the_queue_renders_no_template_per_row(
    caseworker_client, in_processing, submit_case, applicant
):
    queue = reverse("casework:queue")
    # Once, so that the layout's parts written once per language (and the templates they
    # include) are behind us: only the rows may differ between the two counts.
    caseworker_client.get(queue)
    with_one = len(caseworker_client.get(queue).templates)
    for _number in range(3):
        submit_case(applicant)
    response = caseworker_client.get(queue)
    assert response.text.count('<span class="status">') >= 4
    assert len(response.templates) == with_one


def test_a_queue_that_fits_on_one_page_is_listed_without_a_count_query(
    caseworker_client, in_processing
):
    with CaptureQueriesContext(connection) as captured:
        response = caseworker_client.get(reverse("casework:queue"))
    assert response.status_code == 200
    assert in_processing.case_number in response.text
    assert not [sql for sql in statements(captured) if sql.startswith("SELECT COUNT(")]


def test_a_queue_longer_than_a_page_is_counted_and_paged(
    caseworker_client, in_processing, submit_case, applicant, monkeypatch
):
    from casework import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 1)
    second = submit_case(applicant)
    queue = reverse("casework:queue")

    first_page = caseworker_client.get(queue).text
    second_page = caseworker_client.get(queue + "?page=2").text

    assert "2 cases" in first_page and "Page 1 of 2" in first_page
    assert in_processing.case_number in first_page and second.case_number not in first_page
    assert "Page 2 of 2" in second_page and second.case_number in second_page


def test_the_case_pages_lists_are_read_by_the_cases_id(caseworker_client, in_processing):
    case = reverse("casework:case", args=[in_processing.pk])
    with CaptureQueriesContext(connection) as captured:
        assert caseworker_client.get(case).status_code == 200
    tables = [
        "applications_attachment",
        "applications_caseevent",
        "casework_internalnote",
        "casework_supplementrequest",
        "casework_additionalinformation",
    ]
    for table in tables:
        [sql] = [sql for sql in statements(captured) if sql.startswith(f'SELECT "{table}"')]
        assert f'"{table}"."application_id" = ' in sql and " IN (" not in sql, table


@pytest.mark.parametrize("side", ["caseworker", "applicant"])
def test_a_case_page_reads_neither_the_permit_types_schema_nor_the_draft_answers(
    side, caseworker, applicant, in_processing
):
    """A sent case has its frozen schema and its sent answers; the permit type's current schema
    (large JSON) and the draft's sealed answers are not read, and no query is added for them."""
    client = sign_in_with_second_factor(Client(), caseworker if side == "caseworker" else applicant)
    url = (
        reverse("casework:case", args=[in_processing.pk])
        if side == "caseworker"
        else reverse("cases:detail", args=[in_processing.pk])
    )
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    read = [
        sql for sql in statements(captured) if sql.startswith('SELECT "applications_application"')
    ]
    assert len(read) == 1
    assert '"applications_permittype"."schema"' not in read[0]
    assert '"applications_application"."answers_sealed"' not in read[0]
    assert '"applications_application"."submitted_schema"' in read[0]
    assert not [
        sql for sql in statements(captured) if sql.startswith('SELECT "applications_permittype"')
    ]

"""What the caseworker's case page and its actions read: the case's lists only on the page, the
secure conversations only when a message is linked, the scope read once a request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.prepared_queries import sends_together
from tests.statements import statements

pytestmark = pytest.mark.django_db

CASE_LISTS = (
    '"applications_attachment"',
    '"applications_caseevent"',
    '"casework_internalnote"',
    '"casework_supplementrequest"',
    '"casework_additionalinformation"',
)


def _reads(captured, table: str) -> list[str]:
    return [
        sql for sql in statements(captured) if sql.startswith("SELECT") and f"FROM {table}" in sql
    ]


def test_the_case_page_reads_each_list_once_and_no_conversations_without_messages(
    caseworker_client, in_processing
):
    url = reverse("casework:case", args=[in_processing.pk])
    caseworker_client.get(url)  # the session's activity is recorded on the first request
    with CaptureQueriesContext(connection) as captured:
        assert caseworker_client.get(url).status_code == 200

    for table in CASE_LISTS:
        assert len(_reads(captured, table)) == 1, table
    if sends_together():
        # The session with its user and device (one statement), the case (its scope read as
        # subqueries of it), its lists with the linked messages, the colleagues, the
        # conversations and the audit record (sent together: no statement of their own).
        assert len(captured) == 3
    else:
        # No message is linked to the case: the count of unread per conversation is not run.
        assert not _reads(captured, '"securemail_conversation"')
        # The session with its user and device, the case, its five lists, the audit record, the
        # linked messages (none) and the colleagues to assign it to.
        assert len(captured) <= 10
    assert not [
        q for q in statements(captured) if q.startswith('SELECT "casework_caseworkerscope"')
    ]


def test_a_linked_conversation_shows_on_the_case_page_with_its_unread_count(
    caseworker_client, in_processing, start_secure_conversation
):
    conversation = start_secure_conversation(case_id=in_processing.pk)

    page = caseworker_client.get(reverse("casework:case", args=[in_processing.pk]))

    html = page.content.decode()
    assert reverse("casework:securemail_conversation", args=[conversation.pk]) in html
    assert "Work permits" in html and "1 unread" in html
    assert "Secure message from the sender: Work permits" in html


def test_the_queue_as_it_opens_reads_its_rows_with_the_scope_in_one_query(
    caseworker_client, in_processing
):
    queue = reverse("casework:queue")
    caseworker_client.get(queue)
    with CaptureQueriesContext(connection) as captured:
        assert in_processing.case_number in caseworker_client.get(queue).text

    # The session with its user and device, then the permit types of the filter, the rows and
    # the audit record (sent together where the database takes it).
    assert len(captured) <= (2 if sends_together() else 4)
    assert len(_reads(captured, '"applications_application"')) == 1
    assert not [
        q for q in statements(captured) if q.startswith('SELECT "casework_caseworkerscope"')
    ]


@pytest.mark.parametrize("action", ["take", "mark_seen", "resume", "close"])
def test_an_action_that_redirects_reads_none_of_the_case_lists(
    caseworker_client, submitted, action
):
    with CaptureQueriesContext(connection) as captured:
        response = caseworker_client.post(reverse(f"casework:{action}", args=[submitted.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[submitted.pk])
    for table in ('"casework_internalnote"', '"casework_additionalinformation"'):
        assert not _reads(captured, table), table


def test_a_case_handled_by_the_caseworkers_unit_is_in_reach_whatever_its_permit_type(
    caseworker_client, caseworker, submitted, unit, permit_types
):
    from applications.models import Application
    from casework.models import CaseFile, CaseworkerScope

    Application.objects.filter(pk=submitted.pk).update(permit_type=permit_types["studies"])
    url = reverse("casework:case", args=[submitted.pk])
    assert caseworker_client.get(url).status_code == 404
    CaseFile.objects.update_or_create(application=submitted, defaults={"unit": unit})

    assert caseworker_client.get(url).status_code == 200
    assert submitted.case_number in caseworker_client.get(reverse("casework:queue")).text

    # The scope is read at each request: removed, the case is out of reach at the next one.
    CaseworkerScope.objects.filter(caseworker=caseworker).delete()
    assert caseworker_client.get(url).status_code == 404

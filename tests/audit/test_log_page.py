"""The audit log page: translated event names, actors by name, filters by date, actor and event,
pages of 50, and a query count that does not grow with the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from tests.retention import made_at

pytestmark = pytest.mark.django_db


def _rows(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</tbody>")]


def _event_at(when, **kwargs) -> AuditEvent:
    # The log refuses changes, so an old event is written with its time from the start.
    with made_at(when):
        return audit_record(**kwargs)


def test_events_show_translated_names_and_who_acted(administrator_client, make_user, applicant):
    caseworker = make_user(role="caseworker", email="kaisa.kasittelija@migri.example")
    audit_record(action="casework.decided", actor=caseworker, target=applicant)
    audit_record(action="trust.report.created")
    html = administrator_client.get("/audit/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    rows = _rows(html)
    assert "casework.decided" not in rows
    assert "Päätös tehty" in rows
    assert "kaisa.kasittelija@migri.example" in rows
    assert "Käsittelijä" in rows  # the role's name
    assert "Käyttäjä" in rows  # the object's type (accounts.user) by its name
    assert "Järjestelmä" in rows  # no actor: done by the system
    assert f"#{caseworker.pk}" not in rows


def test_filtering_by_event(administrator_client, applicant):
    audit_record(action="casework.decided", actor=applicant)
    audit_record(action="document.stored", actor=applicant)
    html = administrator_client.get(
        "/audit/", {"action": "document.stored"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    rows = _rows(html)
    assert "Document stored" in rows and "Decision made" not in rows
    assert '<option value="document.stored" selected>Document stored</option>' in html


def test_filtering_by_actor_lists_staff_by_address(administrator_client, make_user, applicant):
    first = make_user(role="caseworker", email="first@migri.example")
    second = make_user(role="caseworker", email="second@migri.example")
    audit_record(action="casework.case_viewed", actor=first)
    audit_record(action="casework.note_added", actor=second)
    html = administrator_client.get(
        "/audit/", {"actor": second.pk}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    rows = _rows(html)
    assert "Internal note added" in rows and "Case viewed" not in rows
    assert f'<option value="{first.pk}">first@migri.example</option>' in html
    # Applicants are not offered as actors: their addresses stay out of the menu.
    assert applicant.email not in html[: html.index("<tbody>")]


def test_filtering_by_a_date_range_counts_the_end_date_in_full(administrator_client, applicant):
    now = timezone.localtime()
    _event_at(now - timedelta(days=10), action="application.created", actor=applicant)
    _event_at(now - timedelta(days=3), action="application.submitted", actor=applicant)
    _event_at(now, action="application.withdrawn", actor=applicant)
    html = administrator_client.get(
        "/audit/",
        {
            "date_from": (now - timedelta(days=4)).date().isoformat(),
            "date_to": now.date().isoformat(),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    rows = _rows(html)
    assert "Application submitted" in rows and "Application withdrawn" in rows
    assert "Application started" not in rows


def test_a_reversed_date_range_is_explained_and_nothing_breaks(administrator_client, applicant):
    audit_record(action="application.created", actor=applicant)
    today = timezone.localdate()
    response = administrator_client.get(
        "/audit/",
        {"date_from": today.isoformat(), "date_to": (today - timedelta(days=2)).isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The end date must not be before the start date." in html
    assert "Application started" in _rows(html)
    bad = administrator_client.get("/audit/", {"date_from": "yesterday", "actor": "x"})
    assert bad.status_code == 400


def test_the_page_is_paginated_and_keeps_its_filters(administrator_client, applicant):
    for _ in range(55):
        audit_record(action="application.viewed", actor=applicant)
    first = administrator_client.get(
        "/audit/", {"action": "application.viewed"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert _rows(first).count("<tr>") == 50
    assert "action=application.viewed" in first and "page=2" in first
    second = administrator_client.get(
        "/audit/", {"action": "application.viewed", "page": 2}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert _rows(second).count("<tr>") == 5


def test_the_query_count_does_not_grow_with_the_rows(administrator_client, make_user):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert administrator_client.get("/audit/").status_code == 200
        return len(captured)

    audit_record(action="casework.case_viewed", actor=make_user(role="caseworker"))
    queries()  # the first signed-in request records the session's activity (at most once a minute)
    few = queries()
    for _ in range(30):
        audit_record(action="casework.case_viewed", actor=make_user(role="caseworker"))
    assert queries() == few


def test_viewing_the_log_is_itself_recorded(administrator_client, administrator):
    administrator_client.get("/audit/")
    assert AuditEvent.objects.filter(action="audit.viewed", actor=administrator).exists()

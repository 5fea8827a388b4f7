"""The queue's rows: each shows its case's link, permit type, status, days against the target,
assignee and what needs attention, whether or not the case has a case file yet."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from casework.models import CaseFile

pytestmark = pytest.mark.django_db


def _row(html: str, case_number: str) -> str:
    return next(row for row in re.findall(r"<tr[ >].*?</tr>", html, re.S) if case_number in row)


def test_a_row_shows_the_case_its_clock_its_assignee_and_what_needs_attention(
    caseworker_client, in_processing, submitted, caseworker, submit_case, applicant
):
    caseworker.full_name = "Aino Käsittelijä"
    caseworker.save(update_fields=["full_name"])
    target = in_processing.permit_type.target_processing_days
    Application.objects.filter(pk=in_processing.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=target + 3)
    )
    CaseFile.objects.filter(application=in_processing).update(new_information=True)
    untouched = submit_case(applicant)  # no case file yet

    html = caseworker_client.get(reverse("casework:queue")).content.decode()

    row = _row(html, in_processing.case_number)
    assert f'href="{reverse("casework:case", args=[in_processing.pk])}"' in row
    assert in_processing.permit_type.name_en in row
    assert "In processing" in row
    assert f"{target + 3} / {target} <strong>(over target)</strong>" in row
    assert "Aino Käsittelijä" in row
    assert '<span class="status">New information</span>' in row
    fresh = _row(html, untouched.case_number)
    assert f"0 / {target}<" in fresh and "Unassigned" in fresh
    # Nothing needs attention: the cell is empty, so that the phone's card leaves it out.
    assert re.search(r'data-label="Attention"></td>', fresh)


def test_a_row_of_a_case_waiting_for_the_applicant_shows_the_paused_clock_and_the_overdue_request(
    caseworker_client, waiting
):
    from casework.models import SupplementRequest

    SupplementRequest.objects.filter(application=waiting).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    html = caseworker_client.get(reverse("casework:queue")).content.decode()

    row = _row(html, waiting.case_number)
    assert row.startswith('<tr class="overdue">')
    assert "(clock paused)" in row
    assert "Request overdue" in row


def test_the_rows_links_are_the_links_reverse_writes(in_processing, submitted):
    from casework.queue_rows import queue_rows
    from casework.selectors import case_queue

    cases = list(case_queue(user=in_processing.case_file.assignee))
    rows = queue_rows(cases, timezone.now())

    assert [row["url"] for row in rows] == [
        reverse("casework:case", args=[case.pk]) for case in cases
    ]
    assert rows

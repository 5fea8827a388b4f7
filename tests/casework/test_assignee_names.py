"""The back office shows caseworkers by name: the assignee list, the case page and the queue,
with an explicit "Not assigned" choice that returns a case to the queue."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from casework.models import CaseFile

pytestmark = pytest.mark.django_db


def _assignee_options(html: str) -> list[str]:
    select = re.search(r'<select name="assignee"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [" ".join(label.split()) for label in re.findall(r"<option[^>]*>(.*?)</option>", select)]


def test_the_assignee_list_names_caseworkers_and_offers_not_assigned(
    caseworker_client, in_processing, caseworker, colleague
):
    caseworker.full_name = "Aino Käsittelijä"
    caseworker.save(update_fields=["full_name"])
    colleague.full_name = "Bertil Handläggare"
    colleague.save(update_fields=["full_name"])
    html = caseworker_client.get(reverse("casework:case", args=[in_processing.pk])).content
    options = _assignee_options(html.decode())
    assert options == ["Not assigned", "Aino Käsittelijä", "Bertil Handläggare"]
    assert "---------" not in html.decode()
    assert caseworker.email not in html.decode()
    # The current assignee is the one selected.
    assert re.search(rf'<option value="{caseworker.pk}" selected>', html.decode())


def test_a_caseworker_without_a_name_is_shown_by_address_until_one_is_set(
    caseworker_client, in_processing, caseworker, colleague
):
    html = caseworker_client.get(reverse("casework:case", args=[in_processing.pk])).content
    assert colleague.email in _assignee_options(html.decode())


def test_not_assigned_returns_the_case_to_the_queue(caseworker_client, in_processing):
    response = caseworker_client.post(
        reverse("casework:assign", args=[in_processing.pk]), {"assignee": ""}
    )
    assert response.status_code == 302
    case_file = CaseFile.objects.get(application=in_processing)
    assert case_file.assignee is None
    assert case_file.assigned_at is None
    queue = caseworker_client.get(reverse("casework:queue")).content.decode()
    assert "Unassigned" in queue


def test_the_queue_and_case_page_use_the_wide_layout_and_names(
    caseworker_client, in_processing, caseworker
):
    caseworker.full_name = "Aino Käsittelijä"
    caseworker.save(update_fields=["full_name"])
    queue = caseworker_client.get(reverse("casework:queue")).content.decode()
    case = caseworker_client.get(reverse("casework:case", args=[in_processing.pk])).content.decode()
    for html in (queue, case):
        assert '<body class="layout-wide">' in html
        assert "Aino Käsittelijä" in html
    assert 'data-label="Assignee">Aino Käsittelijä' in queue


def test_the_applicants_pages_keep_the_narrow_layout(applicant_browser, in_processing):
    html = applicant_browser.get(reverse("applications:home")).content.decode()
    assert '<body class="layout-narrow">' in html

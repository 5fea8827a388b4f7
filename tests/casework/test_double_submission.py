"""The back office's and the applicant's case forms are safe to submit twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import AdditionalInformation, InternalNote, SupplementRequest
from tests.applications.test_double_submission import token_from
from tests.casework.conftest import tomorrow_plus

pytestmark = pytest.mark.django_db


def _post_twice(client, page_url: str, post_url: str, data: dict):
    token = token_from(client.get(page_url))
    return [client.post(post_url, {**data, "submission_token": token}) for _ in range(2)]


def test_a_note_sent_twice_is_saved_once(caseworker_client, in_processing):
    case_url = reverse("casework:case", args=[in_processing.pk])
    first, second = _post_twice(
        caseworker_client,
        case_url,
        reverse("casework:add_note", args=[in_processing.pk]),
        {"text": "Called the employer."},
    )
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert InternalNote.objects.filter(application=in_processing).count() == 1


def test_a_supplement_request_sent_twice_is_made_once(caseworker_client, in_processing):
    url = reverse("casework:request_supplement", args=[in_processing.pk])
    first, second = _post_twice(
        caseworker_client,
        url,
        url,
        {"message": "Please send a clearer passport copy.", "deadline": tomorrow_plus()},
    )
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second["Location"] == first["Location"]
    assert SupplementRequest.objects.filter(application=in_processing).count() == 1


def test_additional_information_sent_twice_is_recorded_once(applicant_browser, in_processing):
    url = reverse("cases:add_information", args=[in_processing.pk])
    first, second = _post_twice(applicant_browser, url, url, {"text": "My address changed."})
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second["Location"] == first["Location"]
    assert AdditionalInformation.objects.filter(application=in_processing).count() == 1

"""The whole story of the issue, through the pages: a caseworker takes a case and asks for more,
the applicant is notified by real SMTP on loopback, answers with a file, the caseworker decides,
the applicant downloads the decision PDF."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Status
from casework.models import Decision
from core.authority import authority
from tests.casework.conftest import pdf_upload, tomorrow_plus
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_from_the_queue_to_the_downloaded_decision(
    submitted, applicant, caseworker, smtp_server, django_capture_on_commit_callbacks
):
    back_office = sign_in_with_second_factor(Client(), caseworker)
    e_service = sign_in_with_second_factor(Client(), applicant)

    def step(client, method, url, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(url, data or {}, **extra)

    # The caseworker finds the case in the queue and takes it.
    queue = step(back_office, "get", reverse("casework:queue"))
    assert reverse("casework:case", args=[submitted.pk]) in queue.text
    step(back_office, "post", reverse("casework:take", args=[submitted.pk]))

    # ...and asks for supplementary information with a deadline.
    response = step(
        back_office,
        "post",
        reverse("casework:request_supplement", args=[submitted.pk]),
        {
            "message": "Please send the signed employment contract.",
            "requested_kinds": ["employment_contract"],
            "deadline": tomorrow_plus(10).isoformat(),
        },
    )
    assert response.status_code == 302

    # The applicant is notified: no link, no details, the address to type in and a code.
    [notification] = smtp_server.outbox
    assert notification.envelope_to == [applicant.email]
    assert authority().eservice_address in notification.text
    assert "Please send" not in notification.text and "href" not in notification.html
    assert re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", notification.text)

    # The applicant sees the request and answers with an attachment.
    case_page = step(e_service, "get", reverse("cases:detail", args=[submitted.pk]))
    assert "Please send the signed employment contract." in case_page.text
    response = step(
        e_service,
        "post",
        reverse("cases:answer", args=[submitted.pk]),
        {
            "text": "Here is the signed contract.",
            "file_1": pdf_upload("signed-contract.pdf"),
            "kind_1": "employment_contract",
        },
    )
    assert response.status_code == 302

    # Back in the queue, marked as answered and in processing again.
    queue = step(back_office, "get", reverse("casework:queue"))
    assert "Answered" in queue.text and "In processing again" in queue.text
    case_page = step(back_office, "get", reverse("casework:case", args=[submitted.pk]))
    assert "Here is the signed contract." in case_page.text
    assert "signed-contract.pdf" in case_page.text

    # The caseworker decides: first the page that shows what will be sent, then the confirmation.
    draft = {
        "outcome": "positive",
        "reasoning": "The conditions for the permit are met.",
        "valid_until": "2099-12-31",
        "decision_maker_name": "Aino Virtanen",
        "decision_maker_title": "Senior Inspector",
    }
    decide_url = reverse("casework:decide", args=[submitted.pk])
    preview = step(back_office, "post", decide_url, {**draft, "step": "preview"})
    assert preview.status_code == 200 and "Confirm and send" in preview.text
    assert len(smtp_server.outbox) == 1  # nothing sent by the preview
    token = re.search(r'name="submission_token" value="([^"]+)"', preview.text).group(1)
    response = step(
        back_office, "post", decide_url, {**draft, "step": "send", "submission_token": token}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.DECIDED
    assert len(smtp_server.outbox) == 2

    # The applicant downloads the decision PDF.
    decision = Decision.objects.get(application=submitted)
    case_page = step(e_service, "get", reverse("cases:detail", args=[submitted.pk]))
    download_url = reverse("documents:download", args=[decision.document_id])
    assert download_url in case_page.text
    download = e_service.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

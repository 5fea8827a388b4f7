"""Receipts: a page and a PDF for the payer, in their language; nobody else sees one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from payments.models import PaymentStatus
from payments.receipts import receipt_context, receipt_pdf

AMOUNTS = {"fi": "480,00\xa0€", "sv": "480,00\xa0€", "en": "€480.00"}
TITLES = {"fi": "Kuitti", "sv": "Kvitto", "en": "Receipt"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_receipt_page_is_in_the_applicants_language(applicant_client, paid_payment, language):
    applicant_client.cookies["django_language"] = language
    response = applicant_client.get(reverse("payments:receipt", args=[paid_payment.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert AMOUNTS[language] in page
    assert TITLES[language] in page
    paid_payment.application.refresh_from_db()
    assert paid_payment.application.case_number in page


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_receipt_pdf_renders_in_each_language(paid_payment, language):
    context = receipt_context(payment=paid_payment, language=language)
    assert context["amount"] == AMOUNTS[language]
    assert context["matter"] == paid_payment.fee.permit_type.name(language)
    assert context["paid_at"]
    pdf = receipt_pdf(payment=paid_payment, language=language)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    with translation.override(language):
        from django.template.loader import render_to_string

        html = render_to_string("payments/receipt_pdf.html", context)
    assert f'<html lang="{language}">' in html and TITLES[language] in html


def test_the_pdf_is_downloaded_by_its_owner_and_audited(applicant_client, paid_payment):
    from audit.models import AuditEvent

    response = applicant_client.get(reverse("payments:receipt_pdf", args=[paid_payment.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="payments.receipt_downloaded").count() == 1


def test_no_receipt_for_money_never_received_or_for_another_person(
    client, make_user, applicant_client, start_payment, embedded, pay
):
    from tests.conftest import sign_in_with_second_factor

    failed = start_payment()
    pay(failed, "failure")
    assert failed.status == PaymentStatus.FAILED
    url = reverse("payments:receipt", args=[failed.public_id])
    assert applicant_client.get(url).status_code == 404
    paid = start_payment()
    pay(paid)
    stranger = sign_in_with_second_factor(client, make_user(role="applicant"))
    for name in ("payments:receipt", "payments:receipt_pdf"):
        assert stranger.get(reverse(name, args=[paid.public_id])).status_code == 404

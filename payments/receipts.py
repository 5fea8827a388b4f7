"""The receipt of a payment: one context for the e-service page and the PDF (WeasyPrint, like
the decision document), formatted in the reader's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from core.authority import authority
from core.pdf import html_to_pdf
from payments.formatting import format_datetime, format_money
from payments.models import Payment, PaymentStatus
from payments.references import grouped

PROVIDER_NAMES = {"paytrail": "Paytrail", "embedded": "Test payment service"}


def receipt_context(*, payment: Payment, language: str) -> dict:
    """What a receipt shows: the authority, the matter and case, the amount and references.
    The payer is not named (the receipt is shown only to them); no card or bank data exists."""
    application = payment.application
    permit_type = payment.fee.permit_type if payment.fee_id else application.permit_type
    with translation.override(language):
        return {
            "authority": authority(),
            "payment": payment,
            "language": language,
            "matter": permit_type.name(language),
            "case_number": application.case_number or "",
            "amount": format_money(payment.amount_cents, payment.currency, language=language),
            "paid_at": format_datetime(payment.paid_at, language=language),
            "refunded": payment.status == PaymentStatus.REFUNDED,
            "reference_number": grouped(payment.reference_number or ""),
            "creditor_reference": grouped(payment.creditor_reference or ""),
            "provider_name": PROVIDER_NAMES.get(payment.provider, payment.provider),
        }


def receipt_pdf(*, payment: Payment, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            "payments/receipt_pdf.html", receipt_context(payment=payment, language=language)
        )
    return html_to_pdf(html)

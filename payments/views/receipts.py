"""The applicant's receipt of a payment: a page and a PDF, in the language of the page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from audit.services import audit_record
from core.permissions import verified_login_required
from payments.receipts import receipt_context, receipt_pdf
from payments.selectors import receipt_for_owner


def _language() -> str:
    return (get_language() or "fi")[:2]


@verified_login_required
@require_GET
def receipt(request, public_id):
    payment = receipt_for_owner(public_id=public_id, user=request.user)
    audit_record(action="payments.receipt_viewed", request=request, target=payment)
    return render(
        request, "payments/receipt.html", receipt_context(payment=payment, language=_language())
    )


@verified_login_required
@require_GET
def receipt_download(request, public_id):
    payment = receipt_for_owner(public_id=public_id, user=request.user)
    language = _language()
    pdf = receipt_pdf(payment=payment, language=language)
    audit_record(
        action="payments.receipt_downloaded",
        request=request,
        target=payment,
        details={"language": language},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"receipt-{payment.reference_number or payment.public_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response

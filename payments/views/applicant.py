"""The applicant's page of one payment attempt: its status and references; continue an
interrupted attempt. Another person's payment is not found (404)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.submissions import accepted_once
from audit.services import audit_record
from core.permissions import verified_login_required
from payments.references import grouped
from payments.selectors import payment_for_owner
from payments.services import NotResumable, payment_resume


@verified_login_required
@require_GET
def detail(request, public_id):
    payment = payment_for_owner(public_id=public_id, user=request.user)
    audit_record(action="payments.viewed", request=request, target=payment)
    return render(
        request,
        "payments/detail.html",
        {
            "payment": payment,
            "reference_number": grouped(payment.reference_number or ""),
            "creditor_reference": grouped(payment.creditor_reference or ""),
        },
    )


@verified_login_required
@accepted_once
@require_POST
def resume(request, public_id):
    payment = payment_for_owner(public_id=public_id, user=request.user)
    try:
        url = payment_resume(payment=payment, payer=request.user)
    except NotResumable:
        return redirect("payments:detail", public_id=payment.public_id)
    return redirect(url)

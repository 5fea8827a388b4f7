"""The administrators' fee table: list, add and change fee rows (each change audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.submissions import accepted_once
from audit.services import audit_record
from core.permissions import role_required
from core.roles import Role
from payments.forms import FeeForm, RefundForm, ReportForm
from payments.models import Fee
from payments.reports import daily_report_csv
from payments.selectors import (
    fees_for_administration,
    payment_by_public_id,
    payment_events,
    payments_for_administration,
)
from payments.services import fee_create, fee_update
from payments.services.refunds import RefundFailed, payment_is_refundable, payment_refund

administrator_required = role_required(Role.ADMINISTRATOR)


@administrator_required
@require_GET
def fee_list(request):
    return render(request, "payments/fees.html", {"fees": fees_for_administration()})


def _save(request, form: FeeForm, fee: Fee | None):
    changes = form.changes()
    try:
        if fee is None:
            fee_create(
                **{**changes, "permit_type": changes["permit_type"]},
                actor=request.user,
                request=request,
            )
        else:
            fee_update(fee=fee, actor=request.user, request=request, **changes)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("The fee was saved."))
    return redirect("payments:fees")


@administrator_required
@accepted_once
@require_http_methods(["GET", "POST"])
def fee_new(request):
    form = FeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, None)
        if response is not None:
            return response
    return render(request, "payments/fee_form.html", {"form": form, "fee": None})


@administrator_required
@accepted_once
@require_http_methods(["GET", "POST"])
def fee_edit(request, fee_id: int):
    fee = get_object_or_404(Fee, pk=fee_id)
    form = FeeForm(request.POST or None, instance=Fee.objects.get(pk=fee.pk))
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, fee)
        if response is not None:
            return response
    return render(request, "payments/fee_form.html", {"form": form, "fee": fee})


@administrator_required
@require_GET
def payment_list(request):
    needs_refund_only = request.GET.get("needs_refund") == "1"
    payments = payments_for_administration(needs_refund_only=needs_refund_only)[:200]
    return render(
        request,
        "payments/admin_payments.html",
        {
            "payments": payments,
            "needs_refund_only": needs_refund_only,
            "report_form": ReportForm(initial={"date": timezone.localdate()}),
        },
    )


@administrator_required
@accepted_once
@require_http_methods(["GET", "POST"])
def payment_refund_view(request, public_id):
    payment = payment_by_public_id(public_id=public_id)
    form = RefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_refund(
                payment=payment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                method=form.cleaned_data["method"],
                request=request,
            )
        except RefundFailed as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The refund was recorded."))
            return redirect("payments:admin_payments")
    return render(
        request,
        "payments/admin_refund.html",
        {
            "payment": payment,
            "form": form,
            "refundable": payment_is_refundable(payment),
            "events": payment_events(payment=payment),
        },
    )


@administrator_required
@require_GET
def daily_report(request):
    form = ReportForm(request.GET or None)
    if not form.is_valid():
        messages.error(request, _("Choose the day of the report."))
        return redirect("payments:admin_payments")
    day = form.cleaned_data["date"]
    audit_record(
        action="payments.report_downloaded",
        request=request,
        object_type="payments.report",
        object_id=day.isoformat(),
    )
    response = HttpResponse(daily_report_csv(day=day), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payments-{day.isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response

"""The administrators' fee table: list, add and change fee rows (each change audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.permissions import role_required
from core.roles import Role
from payments.forms import FeeForm
from payments.models import Fee
from payments.selectors import fees_for_administration
from payments.services import fee_create, fee_update

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
@require_http_methods(["GET", "POST"])
def fee_new(request):
    form = FeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, None)
        if response is not None:
            return response
    return render(request, "payments/fee_form.html", {"form": form, "fee": None})


@administrator_required
@require_http_methods(["GET", "POST"])
def fee_edit(request, fee_id: int):
    fee = get_object_or_404(Fee, pk=fee_id)
    form = FeeForm(request.POST or None, instance=Fee.objects.get(pk=fee.pk))
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, fee)
        if response is not None:
            return response
    return render(request, "payments/fee_form.html", {"form": form, "fee": fee})

"""The embedded provider's payment page: the amount, and success, failure or cancellation.

Its answer travels as Paytrail's would: the browser is sent back with signed parameters, and a
signed callback is delivered by a background task through the same service as a real callback.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.submissions import accepted_once
from core.permissions import verified_login_required
from core.ratelimit import rate_limited, too_many_requests_page
from payments.providers import get_provider
from payments.providers.embedded.provider import Choice, EmbeddedProvider
from payments.selectors import payment_for_owner
from payments.tasks import deliver_embedded_callback


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Result of the test payment"),
        choices=[
            (Choice.SUCCESS, _("The payment succeeds")),
            (Choice.FAILURE, _("The payment fails")),
            (Choice.CANCELLATION, _("I cancel the payment")),
        ],
        widget=forms.RadioSelect,
    )


def _embedded_provider() -> EmbeddedProvider:
    try:
        provider = get_provider("embedded")
    except ImproperlyConfigured as error:  # production: these pages do not exist
        raise Http404 from error
    assert isinstance(provider, EmbeddedProvider)
    return provider


@verified_login_required
@require_http_methods(["GET", "POST"])
@rate_limited("payments_embedded", limit=30, window_seconds=60, on_limited=too_many_requests_page)
@accepted_once
def pay(request, public_id):
    provider = _embedded_provider()
    payment = payment_for_owner(public_id=public_id, user=request.user)
    # As Paytrail's page would, but ours can also refuse an attempt at a price no longer in force.
    if payment.provider != provider.name or not payment.is_resumable:
        return redirect("payments:detail", public_id=payment.public_id)
    form = ChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        params, kind = provider.signed_parameters(
            payment=payment, choice=form.cleaned_data["choice"]
        )
        transaction.on_commit(
            lambda: deliver_embedded_callback.enqueue(params=params, kind=kind.value)
        )
        return redirect(provider.return_url(params=params, kind=kind))
    return render(request, "payments/embedded/pay.html", {"payment": payment, "form": form})

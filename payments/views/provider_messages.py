"""What payment providers send back: the applicant's browser returning (redirect) and the
provider's server-to-server callback. Both are signed; both go through one service, and neither
waits for the application's submission that a payment they confirm queues."""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core.ratelimit import rate_limited, too_many_requests_page
from payments.hooks import page_after_paid
from payments.models import EventSource, PaymentStatus
from payments.providers import ReturnKind
from payments.services import payment_handle_provider_message

logger = logging.getLogger(__name__)

# Generous: Paytrail repeats callbacks, and one provider address sends all of them. Operators
# (and the benchmark) change them with RATE_LIMITS = {"payments_callback": (limit, seconds)}.
MESSAGES_PER_MINUTE = 600


def _kind(kind: str) -> ReturnKind | None:
    try:
        return ReturnKind(kind)
    except ValueError:
        return None


@never_cache
@require_GET
@rate_limited(
    "payments_return",
    limit=MESSAGES_PER_MINUTE,
    window_seconds=60,
    methods=("GET",),
    on_limited=too_many_requests_page,
)
def provider_return(request, provider: str, kind: str):
    """The browser coming back from the provider: apply the signed result, then show the
    payment's page (which asks the applicant to sign in again if the session ended meanwhile)."""
    return_kind = _kind(kind)
    if return_kind is None:
        return render(request, "payments/refused.html", status=404)
    try:
        handled = payment_handle_provider_message(
            provider_name=provider,
            params=request.GET,
            kind=return_kind,
            source=EventSource.REDIRECT,
            request=request,
            # The application is submitted by the task this queues: the applicant's browser
            # does not wait for it (the payment's page says it is on its way).
            hand_over_now=False,
        )
    except Exception:
        # The payment stays as it was; the callback or the reconciliation job settles it.
        logger.exception("payments: a return from %s could not be applied", provider[:32])
        return render(request, "payments/confirming.html", status=503)
    if not handled.signature_valid or handled.payment is None:
        return render(request, "payments/refused.html", status=400)
    if handled.payment.status == PaymentStatus.PAID:
        # Paid: what happens next (for an application, the case page's confirmation panel).
        after = page_after_paid(handled.payment.application_id)
        if after:
            return redirect(after)
    return redirect("payments:detail", public_id=handled.payment.public_id)


@csrf_exempt  # server to server; the signature, not a cookie, proves who sends it
@never_cache
@rate_limited(
    "payments_callback", limit=MESSAGES_PER_MINUTE, window_seconds=60, methods=("GET", "POST")
)
def provider_callback(request, provider: str, kind: str):
    """Paytrail's callback (GET, possibly repeated): 200 when handled, however often; 400 when
    not signed; 503 when it could not be applied now, so that the provider tries again."""
    return_kind = _kind(kind)
    if request.method != "GET" or return_kind is None:
        return HttpResponse(status=405 if return_kind else 404)
    try:
        handled = payment_handle_provider_message(
            provider_name=provider,
            params=request.GET,
            kind=return_kind,
            source=EventSource.CALLBACK,
            request=request,
            hand_over_now=False,
        )
    except Exception:
        logger.exception("payments: a callback from %s could not be applied", provider[:32])
        return HttpResponse(status=503)
    if not handled.signature_valid:
        return HttpResponse(status=400)
    return HttpResponse(status=200)

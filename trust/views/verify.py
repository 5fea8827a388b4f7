""" "Did we send this?": a verification code and the address it came to give yes or no."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.ratelimit import rate_limited
from notifications.verification import verification_code_check
from trust.forms import VerifyForm
from trust.services.verification_checks import verification_code_attempt
from trust.views.common import rate_limited_page

# Per client address, and per code: 60-bit codes cannot be guessed, and one code cannot be tried
# against many addresses.
VERIFY_LIMIT_PER_ADDRESS = (20, 60 * 60)
CHANNEL_LABELS = {"email": gettext_lazy("email"), "sms": gettext_lazy("text message")}


@require_http_methods(["GET", "POST"])
@rate_limited(
    "trust.verify",
    limit=VERIFY_LIMIT_PER_ADDRESS[0],
    window_seconds=VERIFY_LIMIT_PER_ADDRESS[1],
    on_limited=rate_limited_page,
)
def verify_page(request):
    form = VerifyForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        per_code = verification_code_attempt(code)
        if not per_code.allowed:
            return rate_limited_page(request, per_code)
        # Wrong code and wrong address give the same answer on the same page: nothing tells an
        # attacker which of the two was wrong.
        answer = verification_code_check(code=code, recipient=form.cleaned_data["address"])
        context.update(answered=True, answer=answer)
        if answer is not None:
            context["channel_label"] = CHANNEL_LABELS.get(answer.channel, answer.channel)
    return render(request, "trust/verify.html", context, status=400 if form.errors else 200)

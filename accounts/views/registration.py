"""Registration, and email verification by a code the user types (never a link)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import EmailCodeForm, RegistrationForm
from accounts.services import (
    email_verification_send,
    email_verify,
    user_find_by_email,
    user_register,
)
from accounts.submissions import accepted_once
from accounts.views.flow import next_step, safe_next
from core.ratelimit import rate_limited, too_many_requests_page

# The address typed at registration, so that the code can be typed without signing in first. The
# page reads the same whether or not the address already had an account.
PENDING_EMAIL_SESSION_KEY = "accounts.pending_email"
# Per client address: each registration and each resend mails someone, each code is a guess.
REGISTER_LIMIT = (20, 60 * 60)
VERIFY_EMAIL_LIMIT = (30, 60 * 60)


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@rate_limited(
    "accounts.register",
    limit=REGISTER_LIMIT[0],
    window_seconds=REGISTER_LIMIT[1],
    on_limited=too_many_requests_page,
)
@accepted_once
def register(request):
    if request.user.is_authenticated:
        return next_step(request)
    form = RegistrationForm(
        request.POST or None, initial={"preferred_language": (get_language() or "")[:2]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["new_password1"],
                preferred_language=form.cleaned_data["preferred_language"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            request.session[PENDING_EMAIL_SESSION_KEY] = form.cleaned_data["email"]
            return redirect("accounts:verify_email_pending")
    return render(request, "accounts/register.html", {"form": form})


def _pending_user(request):
    """Whose address is being verified: the signed-in user, or the account just registered."""
    if request.user.is_authenticated:
        return request.user
    email = request.session.get(PENDING_EMAIL_SESSION_KEY)
    return user_find_by_email(email) if email else None


@sensitive_post_parameters("code")
@never_cache
@rate_limited(
    "accounts.verify_email",
    limit=VERIFY_EMAIL_LIMIT[0],
    window_seconds=VERIFY_EMAIL_LIMIT[1],
    on_limited=too_many_requests_page,
)
@accepted_once
def verify_email_pending(request):
    signed_in = request.user.is_authenticated
    if signed_in and request.user.email_verified:
        return next_step(request)
    if not signed_in and not request.session.get(PENDING_EMAIL_SESSION_KEY):
        return redirect("accounts:login")
    if request.method == "POST" and request.POST.get("action") == "resend":
        user = _pending_user(request)
        if user is not None:
            email_verification_send(user=user)
        messages.info(
            request,
            _(
                "If the address can receive a code, we sent a new one. Only the latest code "
                "works. You can ask for a new code once a minute."
            ),
        )
        return redirect(request.get_full_path())
    form = EmailCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _pending_user(request)
        if user is not None and email_verify(
            user=user, code=form.cleaned_data["code"], request=request
        ):
            request.session.pop(PENDING_EMAIL_SESSION_KEY, None)
            if signed_in:
                return next_step(request)
            messages.success(request, _("Your email address is verified. Sign in to continue."))
            return redirect("accounts:login")
        form.add_error(
            "code",
            _(
                "The code is not right or is no longer valid. Type the code from the latest "
                "message, or ask for a new code."
            ),
        )
    return render(
        request,
        "accounts/verify_email.html",
        {"form": form, "signed_in": signed_in, "next": safe_next(request)},
    )

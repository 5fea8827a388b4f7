"""Password reset by an emailed code; each answer reads the same whether the address exists."""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import EmailCodeForm, PasswordResetRequestForm, SetNewPasswordForm
from accounts.models import User
from accounts.services import (
    password_reset_code_verify,
    password_reset_confirm,
    password_reset_request,
)
from accounts.submissions import accepted_once
from core.ratelimit import rate_limited, too_many_requests_page

EMAIL_KEY = "accounts.reset_email"
USER_KEY = "accounts.reset_user_id"
VERIFIED_AT_KEY = "accounts.reset_verified_at"
# After the code, the new password must be chosen within this time.
NEW_PASSWORD_WINDOW_SECONDS = 15 * 60
# Per client address: each request may mail someone, each code is a guess.
RESET_REQUEST_LIMIT = (20, 60 * 60)
RESET_CODE_LIMIT = (30, 60 * 60)


@never_cache
@rate_limited(
    "accounts.password_reset",
    limit=RESET_REQUEST_LIMIT[0],
    window_seconds=RESET_REQUEST_LIMIT[1],
    on_limited=too_many_requests_page,
)
@accepted_once
def reset_request(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(email=form.cleaned_data["email"])
        for key in (USER_KEY, VERIFIED_AT_KEY):
            request.session.pop(key, None)
        request.session[EMAIL_KEY] = form.cleaned_data["email"]
        return redirect("accounts:password_reset_code")
    return render(request, "accounts/password_reset_request.html", {"form": form})


@sensitive_post_parameters("code")
@never_cache
@rate_limited(
    "accounts.password_reset_code",
    limit=RESET_CODE_LIMIT[0],
    window_seconds=RESET_CODE_LIMIT[1],
    on_limited=too_many_requests_page,
)
@accepted_once
def reset_code(request):
    email = request.session.get(EMAIL_KEY)
    if not email:
        return redirect("accounts:password_reset")
    form = EmailCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = password_reset_code_verify(email=email, code=form.cleaned_data["code"])
        if user is not None:
            request.session.pop(EMAIL_KEY, None)
            request.session[USER_KEY] = user.pk
            request.session[VERIFIED_AT_KEY] = int(time.time())
            return redirect("accounts:password_reset_new")
        form.add_error(
            "code",
            _(
                "The code is not right or is no longer valid. Type the code from the latest "
                "message, or start again to get a new code."
            ),
        )
    return render(request, "accounts/password_reset_code.html", {"form": form})


def _reset_user(request) -> User | None:
    user_id = request.session.get(USER_KEY)
    verified_at = request.session.get(VERIFIED_AT_KEY)
    if not isinstance(user_id, int) or not isinstance(verified_at, int):
        return None
    if time.time() - verified_at > NEW_PASSWORD_WINDOW_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@accepted_once
def reset_new_password(request):
    user = _reset_user(request)
    if user is None:
        for key in (USER_KEY, VERIFIED_AT_KEY):
            request.session.pop(key, None)
        messages.error(request, _("The time to choose a new password ran out. Start again."))
        return redirect("accounts:password_reset")
    form = SetNewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_confirm(
                user=user, new_password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
            return render(request, "accounts/password_reset_new.html", {"form": form})
        # Sessions of this browser end too: the reset bumped the session generation.
        request.session.flush()
        messages.success(request, _("Your password has been changed. Sign in with it."))
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_new.html", {"form": form})

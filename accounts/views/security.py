"""The security page: password, recovery codes, sign-out everywhere, language for messages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.authenticators import AuthenticatorDevice
from accounts.forms import AuthenticatorCodeForm, LanguageForm, PasswordChangeForm
from accounts.services import (
    language_preference_save,
    password_change,
    recovery_codes_generate,
    recovery_codes_remaining,
    second_factor_verify,
    sessions_sign_out_everywhere,
)
from accounts.submissions import accepted_once
from audit.services import audit_record
from core.permissions import verified_login_required


def _forms(request, data=None, action=""):
    user = request.user
    return {
        "password_form": PasswordChangeForm(
            data if action == "password" else None, user=user, prefix="password"
        ),
        "recovery_form": AuthenticatorCodeForm(
            data if action == "recovery_codes" else None, prefix="recovery"
        ),
        "language_form": LanguageForm(
            data if action == "language" else None,
            prefix="language",
            initial={"preferred_language": user.preferred_language or translation.get_language()},
        ),
    }


@sensitive_post_parameters(
    "password-current_password", "password-new_password1", "password-new_password2"
)
@never_cache
@verified_login_required
@accepted_once
def security(request):
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(request, request.POST, action)
    if action == "password":
        response = _change_password(request, forms["password_form"])
    elif action == "recovery_codes":
        response = _regenerate_recovery_codes(request, forms["recovery_form"])
    elif action == "language":
        response = _save_language(request, forms["language_form"])
    elif action == "sign_out_everywhere":
        sessions_sign_out_everywhere(user=user, request=request)
        logout(request)
        messages.success(request, _("You have been signed out on every device, this one too."))
        return redirect("accounts:login")
    else:
        response = None
    if response is not None:
        return response
    audit_record(action="account.security_viewed", request=request, target=user)
    context = {**forms, "recovery_codes_left": recovery_codes_remaining(user=user)}
    return render(request, "accounts/security.html", context)


def _change_password(request, form):
    if not form.is_valid():
        return None
    user = request.user
    # Through authenticate(), so that django-axes counts wrong guesses here as at sign-in.
    checked = authenticate(
        request, username=user.email, password=form.cleaned_data["current_password"]
    )
    if checked is None or checked.pk != user.pk:
        form.add_error("current_password", _("The current password is not right."))
        return None
    try:
        password_change(user=user, new_password=form.cleaned_data["new_password1"], request=request)
    except ValidationError as error:
        form.add_error("new_password1", error)
        return None
    # Other sessions end (their hash covered the old password); this one stays signed in.
    update_session_auth_hash(request, user)
    messages.success(request, _("Your password has been changed. Other sessions were signed out."))
    return redirect("accounts:security")


def _regenerate_recovery_codes(request, form):
    if not form.is_valid():
        return None
    user = request.user
    token = "".join(form.cleaned_data["token"].split())
    # A fresh authenticator code, never a recovery code: whoever holds old codes cannot renew them.
    is_totp_code = token.isdigit() and len(token) == 6
    result = second_factor_verify(user=user, token=token) if is_totp_code else None
    if result is None or not isinstance(result.device, AuthenticatorDevice):
        form.add_error("token", _("The code is not right. Type the code your app shows now."))
        return None
    codes = recovery_codes_generate(user=user, request=request)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "continue_url": "", "regenerated": True},
    )


def _save_language(request, form):
    if not form.is_valid():
        return None
    language = form.cleaned_data["preferred_language"]
    language_preference_save(user=request.user, language=language)
    translation.activate(language)
    messages.success(request, _("Your language has been saved."))
    response = redirect("accounts:security")
    # The cookie chooses the page language; keep it in step with the saved preference.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response

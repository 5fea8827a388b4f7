"""Sign-in with password and second factor (TOTP or a recovery code), setting up TOTP, sign-out."""

from __future__ import annotations

import math
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.forms import AuthenticatorCodeForm, SecondFactorForm, SignInForm
from accounts.models import User
from accounts.services import (
    recovery_codes_remaining,
    second_factor_verify,
    totp_device_confirm,
    totp_device_start,
)
from accounts.views.flow import has_second_factor, next_step, safe_next, success_url
from audit.services import audit_record
from core.ratelimit import try_again_message


@sensitive_post_parameters("password")
@never_cache
def sign_in(request):
    if request.user.is_authenticated:
        return next_step(request)
    if request.session.pop("signed_out_for_inactivity", False):
        messages.info(request, _("You were signed out because you were inactive. Sign in again."))
    if request.session.pop("signed_out_for_session_age", False):
        messages.info(
            request,
            _("You were signed out because you had been signed in for a long time. Sign in again."),
        )
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"]
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            audit_record(action="account.signed_in", request=request, actor=user, target=user)
            return next_step(request)
        # The log names the account only by id, and only when it exists; never the typed address.
        existing_id = User.objects.filter(email=email).values_list("pk", flat=True).first()
        audit_record(
            action="account.sign_in_failed",
            request=request,
            object_type="accounts.user" if existing_id else "",
            object_id=existing_id or "",
        )
        # When django-axes has locked the account or address, its middleware replaces this page.
        form.add_error(None, _("The email address or the password is not right. Check both."))
    return render(request, "accounts/sign_in.html", {"form": form, "next": safe_next(request)})


@never_cache
def sign_out(request):
    if request.method == "POST":
        if request.user.is_authenticated:
            audit_record(action="account.signed_out", request=request)
        logout(request)
        messages.success(request, _("You have signed out."))
        return redirect("core:index")
    return render(request, "accounts/sign_out.html")


def _seconds_until_allowed(device) -> int:
    allowed, details = device.verify_is_allowed()
    locked_until = (details or {}).get("locked_until")
    if allowed or locked_until is None:
        return 0
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def _throttled_message(seconds: int) -> str:
    return _("Too many wrong codes.") + " " + try_again_message(seconds)


@sensitive_post_parameters("token")
@never_cache
@login_required
def otp_verify(request):
    user = request.user
    if not user.email_verified or user.is_verified() or not has_second_factor(user):
        return next_step(request)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = second_factor_verify(user=user, token=form.cleaned_data["token"])
        if result.device is not None:
            otp_login(request, result.device)
            # A session that gained a privilege gets a new key.
            request.session.cycle_key()
            used_recovery_code = isinstance(result.device, StaticDevice)
            audit_record(
                action="account.second_factor_passed",
                request=request,
                target=user,
                details={"method": "recovery_code" if used_recovery_code else "totp"},
            )
            if used_recovery_code:
                remaining = recovery_codes_remaining(user=user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. You have %(count)d recovery code left.",
                        "You used a recovery code. You have %(count)d recovery codes left.",
                        remaining,
                    )
                    % {"count": remaining},
                )
            return redirect(success_url(request))
        audit_record(action="account.second_factor_failed", request=request, target=user)
        if result.retry_after_seconds:
            form.add_error("token", _throttled_message(result.retry_after_seconds))
        else:
            form.add_error(
                "token",
                _(
                    "The code is not right. Type the code your authenticator app shows now, "
                    "or one of your recovery codes."
                ),
            )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": safe_next(request)})


def _qr_svg(device) -> str:
    qr = segno.make(device.config_url, error="m")
    # segno writes the markup itself from the QR matrix; the only text in it is our escaped title.
    return mark_safe(  # noqa: S308
        qr.svg_inline(
            scale=4,
            border=4,
            light="#fff",
            omitsize=True,
            svgclass="qr-code",
            title=_("QR code for your authenticator app"),
        )
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@sensitive_post_parameters("token")
@never_cache
@login_required
def otp_setup(request):
    user = request.user
    if not user.email_verified or has_second_factor(user):
        return next_step(request)
    device = totp_device_start(user=user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Checked before the code: after a wrong code django-otp refuses checks for a moment.
        wait = _seconds_until_allowed(device)
        codes = None
        if not wait:
            codes = totp_device_confirm(
                user=user, device=device, token=form.cleaned_data["token"], request=request
            )
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "continue_url": success_url(request)},
            )
        form.add_error(
            "token",
            _throttled_message(wait)
            if wait
            else _(
                "The code is not right. Check that the app shows the account you just added and "
                "type the code it shows now."
            ),
        )
    context = {
        "form": form,
        "next": safe_next(request),
        "qr_svg": _qr_svg(device),
        "secret": _grouped(b32encode(device.bin_key).decode("ascii")),
    }
    return render(request, "accounts/otp_setup.html", context)

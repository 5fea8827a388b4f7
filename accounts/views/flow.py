"""Where a user goes next while signing in: the steps in order, and the page after the last one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.authenticators import AuthenticatorDevice
from accounts.models import Role

_HOME_BY_ROLE = {
    Role.APPLICANT: "applications:home",
    Role.ADMINISTRATOR: "audit:log",
    Role.CASEWORKER: "casework:queue",
}


def safe_next(request) -> str:
    """The ?next= target if it stays on this site; an empty string otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if len(target) > 2000:
        return ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def home_url(user) -> str:
    return resolve_url(_HOME_BY_ROLE.get(user.role, "core:index"))


def success_url(request) -> str:
    return safe_next(request) or home_url(request.user)


def _with_next(url_name: str, next_url: str):
    response = redirect(url_name)
    if next_url:
        response["Location"] += "?" + urlencode({"next": next_url})
    return response


def has_second_factor(user) -> bool:
    """A confirmed authenticator app or recovery codes: the devices second_factor_verify checks
    (django-otp's devices_for_user would also ask otp_totp's table, which stays empty)."""
    return (
        AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True).exists()
    )


def next_step(request):
    """A redirect to the first step the signed-in user has yet to pass, or to where they wanted."""
    user = request.user
    next_url = safe_next(request)
    if not user.email_verified:
        return _with_next("accounts:verify_email_pending", next_url)
    # A user object fresh from login() has not passed through django-otp's middleware yet.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or not is_verified():
        target = "accounts:otp_verify" if has_second_factor(user) else "accounts:otp_setup"
        return _with_next(target, next_url)
    return redirect(next_url or home_url(user))

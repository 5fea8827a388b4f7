"""Access rules shared by every app's views.

Personal data is shown only to a user who has signed in with both factors (password and TOTP or a
recovery code) and verified their email address. Object-level access is the selectors' job: they
scope every query by the user, so another user's id answers 404.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def _needs_second_factor(user) -> bool:
    return not user.is_verified()


def verified_login_required(view):
    """Signed in, email verified and second factor passed; otherwise send the user to the next step."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.email_verified:
            return redirect("accounts:verify_email_pending")
        if _needs_second_factor(user):
            from django_otp import devices_for_user

            has_device = any(devices_for_user(user, confirmed=True))
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            response = redirect(target)
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
            return response
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles):
    """verified_login_required, plus one of the given roles (403 otherwise: the page exists)."""

    def decorator(view):
        @wraps(view)
        def role_checked(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return verified_login_required(role_checked)

    return decorator

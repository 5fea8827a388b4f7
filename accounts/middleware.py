"""The signed-in user and their second factor read with the session, the language remembered for
signed-in users, and sessions that end when idle or too old."""

import time
from functools import partial

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from accounts.authenticators import AuthenticatorDevice
from accounts.sessions import session_device, session_user_id
from core.prepared_queries import PreparedQuery

# The only backend that signs users in (axes' backend only refuses locked-out accounts).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# auth.load_backend(MODEL_BACKEND) imports and instantiates it on every call; it keeps no state.
_MODEL_BACKEND = ModelBackend()


class SignedInUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware and django-otp's OTPMiddleware in one, with no query of
    their own.

    Those two read the session's user and then the session's second-factor device: two ORM queries
    on every signed-in request, after the session's. Here the session's own read (accounts.sessions)
    joins the user and the authenticator its row names; they are used when the session's signed
    data names that user and that device (or none), otherwise the device the session names is read
    joined to its user in one statement compiled once per process (_device_with_user). Then the
    same checks: Django's (the session names an allowed backend, the user is active, the session's
    auth hash matches: a changed password or "sign out everywhere" ends the session) and
    django-otp's (the device belongs to the user and is confirmed; otherwise it is dropped from the
    session). Nothing is kept between requests, so a removed authenticator or a deactivated account
    takes effect at the next request. Any other case (a device that is not this user's, another
    backend) goes through Django's own auth.get_user. django-otp's checks are its own helpers
    (OTPMiddleware's static methods, private: tests/accounts/test_signed_in_user.py checks them
    after an upgrade).
    """

    # Still a subclass of AuthenticationMiddleware, for whatever looks for one in MIDDLEWARE
    # (Django's checks), but called directly: MiddlewareMixin's dispatch and Django's own lazy
    # user, which this replaced at once, cost every request for nothing. Under ASGI Django adapts
    # this synchronous middleware (async_capable).
    async_capable = False

    def __call__(self, request):
        request.user = SimpleLazyObject(partial(_signed_in_user_once, request))
        request.auser = partial(_asigned_in_user_once, request)
        return self.get_response(request)


def _signed_in_user_once(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = signed_in_user(request)
    return request._cached_user


async def _asigned_in_user_once(request):
    return await sync_to_async(_signed_in_user_once)(request)


def signed_in_user(request):
    """The session's user with `otp_device` and `is_verified()` set as the two middlewares set
    them: the confirmed device of this user that the session names, or None."""
    session = request.session
    if session.get(auth.BACKEND_SESSION_KEY) != MODEL_BACKEND:
        # Not signed in (or by another backend): Django's and django-otp's own reads.
        user = auth.get_user(request)
        device = _session_device(request) if user.is_authenticated else None
    else:
        joined = _joined_with_the_session(session)
        if joined is None:
            device = _session_device_with_its_user(request)
            joined = (device.user, device) if device is not None else None
        if joined is None:
            # No device of this user named: the user alone, as Django reads it (a device named
            # is then dropped from the session below, as django-otp drops another user's device).
            user, device = auth.get_user(request), None
        else:
            user, device = joined
            user = _session_verified(request, user)
    OTPMiddleware._init_user_fields(user)
    if user.is_authenticated:
        # django-otp's own check (the device is this user's and confirmed), which also cleans the
        # session of a device that fails it.
        user.otp_device = OTPMiddleware._finalize_device(request, user, device)
    return user


def _joined_with_the_session(session):
    """(user, device) as read with the session's row (accounts.sessions), when the session's
    signed data names exactly that user, and that authenticator or no device; None otherwise.

    The row's columns are not signed: they only choose which rows the session's read joins, and
    nothing joined is used unless the session's own data names it. A device of this user named
    but not joined (a recovery code device, or a row saved before its columns were filled) is
    read as before."""
    row = getattr(session, "row", None)
    if row is None or row.user is None or MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = row.user
    if session_user_id(session) != user.pk:
        return None
    named_device = session_device(session)
    if named_device is None:
        if session.get(DEVICE_ID_SESSION_KEY) or row.authenticator_id is not None:
            return None  # a device named that no row could be, or a column that disagrees
        return user, None
    authenticator = row.authenticator
    if (
        authenticator is None
        or named_device != (AuthenticatorDevice, authenticator.pk)
        or authenticator.user_id != user.pk
    ):
        return None
    authenticator.user = user  # as select_related("user") would give it, the same instance
    return user, authenticator


def _session_device_with_its_user(request):
    """The second-factor device the session names, with its user in the same query, if it is a
    device of the session's user; None otherwise."""
    session = request.session
    if MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    user_id, named_device = session_user_id(session), session_device(session)
    if user_id is None or named_device is None:
        return None
    return _device_with_user(*named_device, user_id)


# One prepared query per device model (core.prepared_queries): compiled once per process.
_DEVICE_WITH_USER: dict[type, PreparedQuery] = {}


def _device_with_user(device_model, device_pk: int, user_id):
    """`device_model.objects.select_related("user").get(pk=device_pk, user_id=user_id)`, or None,
    as one statement compiled once per process: every signed-in request makes this read, and
    through the ORM its queryset cost three times the statement itself."""
    if type(user_id) is not int:  # a user model with another kind of key: the ORM's own read
        return (
            device_model.objects.select_related("user")
            .filter(pk=device_pk, user_id=user_id)
            .first()
        )
    query = _DEVICE_WITH_USER.get(device_model)
    if query is None:
        query = _DEVICE_WITH_USER.setdefault(
            device_model,
            PreparedQuery(
                lambda device_pk, user_id: device_model.objects.select_related("user").filter(
                    pk=device_pk, user_id=user_id
                ),
                device_pk=int,
                user_id=int,
            ),
        )
    return query.first(device_pk=device_pk, user_id=user_id)


def _session_device(request):
    """django-otp's own read of the session's device (OTPMiddleware._verify_user_sync)."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    return Device.from_persistent_id(OTPMiddleware._normalize_persistent_id(persistent_id))


def _session_verified(request, user):
    """auth.get_user's checks of the session's user (ModelBackend.get_user and the session's auth
    hash), on a user already read."""
    if not _MODEL_BACKEND.user_can_authenticate(user):
        return AnonymousUser()
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback_auth_hash)
        for fallback_auth_hash in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[auth.HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return AnonymousUser()


class UserLanguageMiddleware:
    """Activate the signed-in user's saved language unless the request chose one explicitly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if not cookie:
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End a signed-in session that has been idle too long, or that is simply too old.

    Idle: longer than SESSION_IDLE_TIMEOUT_SECONDS since the last request. Absolute: longer than
    SESSION_ABSOLUTE_LIFETIME_SECONDS since signing in, however active; a stolen session cookie
    kept alive by a script still dies. Times are kept in the session itself (server side).

    The time of activity is written at most once per ACTIVITY_RESOLUTION_SECONDS: writing it on
    every request saved the session (a transaction and an UPDATE) on every page. The idle limit is
    counted from the last time written, so a session can end up to that long early, never late.
    """

    activity_key = "last_activity"
    started_key = "signed_in_at"
    ACTIVITY_RESOLUTION_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_activity = session.get(self.activity_key)
            # A session from before this rule counts from now.
            started = session.setdefault(self.started_key, now)
            if now - started > settings.SESSION_ABSOLUTE_LIFETIME_SECONDS:
                logout(request)
                request.session["signed_out_for_session_age"] = True
            elif (
                last_activity is not None
                and now - last_activity > settings.SESSION_IDLE_TIMEOUT_SECONDS
            ):
                logout(request)
                request.session["signed_out_for_inactivity"] = True
            elif (
                last_activity is None
                or now - last_activity >= self.ACTIVITY_RESOLUTION_SECONDS
                or now < last_activity  # a clock that went back: start counting again
            ):
                session[self.activity_key] = now
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            # Signed in by this request (login() keeps the session's data, so set it only once).
            request.session.setdefault(self.started_key, int(time.time()))
        return response

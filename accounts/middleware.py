"""Language remembered for signed-in users, and sessions that end when idle or too old."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation


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

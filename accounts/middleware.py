"""Language remembered for signed-in users, and sessions that expire after inactivity."""

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


class SessionIdleTimeoutMiddleware:
    """Sign the user out when the session has been idle longer than SESSION_IDLE_TIMEOUT_SECONDS."""

    session_key = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_activity = request.session.get(self.session_key)
            if (
                last_activity is not None
                and now - last_activity > settings.SESSION_IDLE_TIMEOUT_SECONDS
            ):
                logout(request)
                request.session["signed_out_for_inactivity"] = True
            else:
                request.session[self.session_key] = now
        return self.get_response(request)

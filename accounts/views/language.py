"""Django's language switch, which also remembers the choice of a signed-in user."""

from django.conf import settings
from django.views.i18n import set_language as django_set_language

from accounts.services import language_preference_save


def set_language(request):
    response = django_set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    # Saved only when Django accepted the language (it set the cookie): emails follow it too.
    if request.user.is_authenticated and settings.LANGUAGE_COOKIE_NAME in response.cookies:
        language_preference_save(user=request.user, language=language)
    return response

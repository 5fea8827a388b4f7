"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject

from core import csrf as csrf_tokens
from core.authority import authority as current_authority


def authority(request):
    return {"authority": current_authority()}


def csrf(request):
    """Django's csrf context processor (always on, and run first) with the faster mask of
    core.csrf: listed after it, this one's `csrf_token` is the one templates read. Lazy, as Django's:
    a page without a form makes no token and sends no cookie."""
    return {"csrf_token": SimpleLazyObject(lambda: csrf_tokens.get_token(request))}

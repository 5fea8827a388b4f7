"""The site's URLs plus one view that fails, to see what a visitor gets from an unexpected error."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

FAILURE_DETAIL = "personal identity code 010203A1234"


def failing_view(request):
    raise RuntimeError(FAILURE_DETAIL)


urlpatterns = [path("failing/", failing_view), *site_urlpatterns]

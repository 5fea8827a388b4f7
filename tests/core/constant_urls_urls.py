"""A URLconf for tests/core/test_constant_urls.py: addresses that depend on the language (a
language prefix, a translated route) and two instances of one application namespace."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy


def view(request, **kwargs):
    return HttpResponse()


instance_patterns = ([path("page/<int:number>/", view, name="page")], "books")

urlpatterns = [
    path("plain/<str:word>/", view, name="plain"),
    path("first/", include(instance_patterns, namespace="first")),
    path("second/", include(instance_patterns, namespace="second")),
    *i18n_patterns(path(gettext_lazy("Sign in"), view, name="translated")),
]

"""`{% url %}` with literal arguments (core.templatetags.constant_urls) writes what Django's own tag
writes, in every language, URL prefix, URLconf, current application and escaping, render after
render; anything else stays Django's node."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.template import Context, Engine, RequestContext, engines
from django.template.defaulttags import URLNode
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, path, set_script_prefix, set_urlconf
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.templatetags.constant_urls import ConstantURLNode

TEST_URLCONF = "tests.core.constant_urls_urls"
SITE_TEMPLATES = [
    "{% url 'core:index' %}",
    "{% url 'set_language' %}",
    "{% url 'cases:withdraw' 5 %}",
    "{% url 'cases:withdraw' application_id=7 %}",
    "{% url 'trust:check' %}?a=1&b=<2>",
]
TEST_TEMPLATES = [
    "{% url 'plain' 'a b&<c>' %}",
    "{% url 'plain' word='ä/ö' %}",
    "{% url 'books:page' 3 %}",
    "{% url 'translated' %}",
    "{% load i18n %}{% url 'first:page' number=1 %}{% language 'sv' %}{% url 'translated' %}{% endlanguage %}",
]


def _django_engine() -> Engine:
    """The project's engine without its builtins: Django's own {% url %}."""
    return Engine(libraries={"i18n": "django.templatetags.i18n"}, builtins=[])


_KEPT: dict[str, object] = {}


def _ours(source: str):
    """One template (one node, one set of kept addresses) per source across the examples, so
    that an address kept in one example's circumstances meets every other example's."""
    if source not in _KEPT:
        _KEPT[source] = engines["django"].engine.from_string(source)
    return _KEPT[source]


def _request(current_app: str | None, namespace: str | None) -> HttpRequest:
    request = HttpRequest()
    if current_app is not None:
        request.current_app = current_app
    if namespace is not None:
        request.resolver_match = type("Match", (), {"namespace": namespace})()
    return request


def _render(template, context_kind, autoescape, request):
    if context_kind == "plain":
        context = Context(autoescape=autoescape)
    else:
        context = RequestContext(request, autoescape=autoescape)
    try:
        return template.render(context)
    except NoReverseMatch as error:
        return ("NoReverseMatch", str(error))


def _compare(sources, language, prefix, urlconf, autoescape, context_kind, current_app, namespace):
    request = _request(current_app, namespace)
    set_script_prefix(prefix)
    set_urlconf(urlconf)
    try:
        with translation.override(language):
            for source in sources:
                ours, theirs = _ours(source), _django_engine().from_string(source)
                # Twice: the second render is the kept text.
                for _ in range(2):
                    assert _render(ours, context_kind, autoescape, request) == _render(
                        theirs, context_kind, autoescape, request
                    ), source
    finally:
        set_script_prefix("/")
        set_urlconf(None)


@settings(max_examples=150, deadline=None)
@given(
    language=st.sampled_from(["fi", "sv", "en"]),
    prefix=st.sampled_from(["/", "/permits/", "/a b/"]),
    urlconf=st.sampled_from([None, TEST_URLCONF]),
    autoescape=st.booleans(),
    context_kind=st.sampled_from(["plain", "request"]),
    current_app=st.sampled_from([None, "first", "second"]),
    namespace=st.sampled_from([None, "first", "second", ""]),
)
def test_a_literal_address_is_what_djangos_tag_writes(
    language, prefix, urlconf, autoescape, context_kind, current_app, namespace
):
    sources = SITE_TEMPLATES if urlconf is None else TEST_TEMPLATES + SITE_TEMPLATES[:1]
    _compare(sources, language, prefix, urlconf, autoescape, context_kind, current_app, namespace)


def test_only_literal_addresses_are_kept():
    def url_node(source):
        (node,) = _ours(source).nodelist.get_nodes_by_type(URLNode)
        return type(node)

    assert url_node("{% url 'core:index' %}") is ConstantURLNode
    assert url_node("{% url 'cases:withdraw' 5 %}") is ConstantURLNode
    assert url_node("{% url 'cases:withdraw' pk %}") is URLNode
    assert url_node("{% url name %}") is URLNode
    assert url_node("{% url 'cases:withdraw' '5'|add:1 %}") is URLNode
    assert url_node("{% url 'core:index' as address %}{{ address }}") is URLNode


def test_an_unknown_address_fails_every_time_as_in_django():
    template = _ours("{% url 'no-such-view' %}")
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            template.render(Context())


def test_a_changed_urlconf_setting_is_followed():
    template = _ours("{% url 'plain' 'x' %}|{% url 'core:index' %}")
    with override_settings(ROOT_URLCONF=TEST_URLCONF):
        with pytest.raises(NoReverseMatch):
            template.render(Context())  # 'core:index' is not in the test URLconf
        template = _ours("{% url 'plain' 'x' %}")
        assert template.render(Context()) == "/plain/x/"
    with pytest.raises(NoReverseMatch):
        template.render(Context())  # back to the site's URLconf, which has no 'plain'


def test_a_translated_route_is_written_in_the_language(settings):
    settings.ROOT_URLCONF = TEST_URLCONF
    template = _ours("{% url 'translated' %}")
    with translation.override("fi"):
        assert template.render(Context()) == "/fi/Kirjaudu%20sis%C3%A4%C3%A4n"
    with translation.override("en"):
        assert template.render(Context()) == "/en/Sign%20in"


def test_new_patterns_after_clear_url_caches_are_followed(settings, monkeypatch):
    from tests.core import constant_urls_urls

    settings.ROOT_URLCONF = TEST_URLCONF
    template = _ours("{% url 'plain' 'x' %}")
    assert template.render(Context()) == "/plain/x/"
    moved = [path("moved/<str:word>/", constant_urls_urls.view, name="plain")]
    monkeypatch.setattr(constant_urls_urls, "urlpatterns", moved)
    # The resolver is part of what is kept: a new one (clear_url_caches) reverses again.
    clear_url_caches()
    assert template.render(Context()) == "/moved/x/"
    monkeypatch.undo()
    clear_url_caches()

"""core.template_loader: templates compiled once per language with their literal translations as
text render exactly what Django's own loader renders, in every language and escaping state, keep
every tag that depends on the request, never show one language's text in another, and still
reload in development. Django's own cached loader over the same sources is the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Engine, NodeList
from django.template.autoreload import get_template_directories
from django.template.base import TextNode
from django.template.loaders import base, cached
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.test import Client, override_settings
from django.utils import translation
from django.utils.autoreload import file_changed

from core import template_loader

LANGUAGES = ("fi", "sv", "en")
SIGN_IN = {"fi": "Kirjaudu sisään", "sv": "Logga in", "en": "Sign in"}
LIBRARIES = {
    "i18n": "django.templatetags.i18n",
    "l10n": "django.templatetags.l10n",
    "once_per_language": "core.templatetags.once_per_language",
}
APPEAL = (
    "A person who is dissatisfied with this decision may seek to have it changed by appealing to "
    "the administrative court. An appeal may be made by the person to whom the decision is "
    "addressed or whose right, obligation or interest it directly affects."
)
# Every constant form of the tags, inside every kind of node list, in both escaping states.
CONSTANT = """{% load i18n once_per_language %}<title>{% translate "Sign in" %}</title>
<a title="{% translate 'Skip to content' %}">{% translate "Fish & <chips> \\"quoted\\" 100%" %}</a>
{% translate "Sign in" noop %} {% translate "January" context "alt. month" %}
{% translate 'Jan.' context 'abbrev. month' noop %}
{% blocktranslate %}Skip to content{% endblocktranslate %}|{% blocktranslate %} 5 % & <b>{% endblocktranslate %}
{% blocktranslate trimmed %}
  A person who is dissatisfied with this decision may seek to have it changed by appealing to
  the administrative court. An appeal may be made by the person to whom the decision is
  addressed or whose right, obligation or interest it directly affects.
{% endblocktranslate %}
{% blocktranslate context "alt. month" %}January{% endblocktranslate %}
{% if flag %}{% translate "Sign in" %}{% elif other %}{% translate "Skip to content" %}{% else %}{% translate "Sign in" %}{% endif %}
{% for item in items %}{% translate "Sign in" %}{% cycle "a" "b" %}{% empty %}{% translate "Skip to content" %}{% endfor %}
{% with name="x" %}{% translate "Sign in" %}{{ name }}{% endwith %}
{% filter upper %}{% translate "Sign in" %}{% endfilter %}
{% autoescape off %}{% translate "Fish & <chips>" %}{% blocktranslate %}<i>&{% endblocktranslate %}{% endautoescape %}
{% spaceless %} <p> {% translate "Sign in" %} </p> {% endspaceless %}
{% for item in items %}{% ifchanged item %}{% translate "Sign in" %}{% else %}{% translate "Skip to content" %}{% endifchanged %}{% endfor %}
{% once_per_language %}{% translate "Skip to content" %}{% endonce_per_language %}
{% block body %}{% translate "Sign in" %}{% endblock %}
"""
# Tags whose output depends on the request: they stay tags and render per request.
VARYING = """{% load i18n %}{% translate message %}|{% translate "Sign in" as label %}{{ label }}|
{% translate "Sign in"|upper %}|{% translate "January" context month_context %}|
{% blocktranslate with name=user_name %}Hello {{ name }}{% endblocktranslate %}|
{% blocktranslate count counter=count %}one{% plural %}{{ counter }} many{% endblocktranslate %}|
{% blocktranslate asvar saved %}Skip to content{% endblocktranslate %}{{ saved }}|
{% blocktranslate %}Hi {{ user_name }}{% endblocktranslate %}|
{% language "sv" %}{% translate "Sign in" %}{% endlanguage %}
"""
VARYING_TAGS = 9  # the tags in VARYING
TEMPLATES = {
    "constant.html": CONSTANT,
    "varying.html": VARYING,
    "child.html": (
        '{% extends "parent.html" %}{% load i18n %}'
        '{% block body %}{% translate "Sign in" %}{% include "part.html" %}{% endblock %}'
    ),
    "parent.html": '{% load i18n %}<h1>{% translate "Skip to content" %}</h1>'
    "{% block body %}{% endblock %}",
    "part.html": '{% load i18n %}<p>{% translate "Skip to content" %}</p>',
    "plain.html": "<p>{{ value }}</p>",
}


def _engine(loader: str, templates=None, **options) -> Engine:
    return Engine(
        loaders=[(loader, [("django.template.loaders.locmem.Loader", templates or TEMPLATES)])],
        libraries=LIBRARIES,
        **options,
    )


def _ours(templates=None, **options) -> Engine:
    return _engine("core.template_loader.Loader", templates, **options)


def _djangos(templates=None, **options) -> Engine:
    return _engine("django.template.loaders.cached.Loader", templates, **options)


def _render(engine: Engine, name: str, language: str, context=None, autoescape=True) -> str:
    with translation.override(language):
        template = engine.get_template(name)
        return template.render(Context(context or {}, autoescape=autoescape))


def _all_nodes(nodelist: NodeList):
    """Every node in every node list, as core.template_loader walks them."""
    for node in nodelist:
        yield node
        for value in vars(node).values():
            if isinstance(value, NodeList):
                yield from _all_nodes(value)
            elif isinstance(value, list):  # an {% if %}'s (condition, nodelist) pairs
                for pair in value:
                    if isinstance(pair, tuple) and isinstance(pair[1], NodeList):
                        yield from _all_nodes(pair[1])


def _translation_tags(template) -> list:
    return [
        node
        for node in _all_nodes(template.nodelist)
        if isinstance(node, TranslateNode | BlockTranslateNode)
    ]


CONTEXTS = [
    {"flag": True, "items": ["a", "a", "b"]},
    {"other": True, "items": []},
    {"items": ["a"]},
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("autoescape", [True, False])
def test_literal_translations_render_as_djangos_own_in_each_language(language, autoescape):
    ours, djangos = _ours(autoescape=autoescape), _djangos(autoescape=autoescape)
    for context in CONTEXTS:
        for escaping in (True, False):
            expected = _render(djangos, "constant.html", language, context, escaping)
            assert _render(ours, "constant.html", language, context, escaping) == expected
    rendered = _render(ours, "constant.html", language, CONTEXTS[0])
    assert SIGN_IN[language] in rendered
    assert (APPEAL in rendered) == (language == "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_constant_translation_tag_becomes_text(language):
    ours = _ours()
    with translation.override(language):
        template = ours.get_template("constant.html")
    assert _translation_tags(template) == []
    assert isinstance(template.nodelist, template_loader.LanguageNodeList)
    # Adjacent text is joined: the first line is one node from <title> to the {% if %}.
    assert type(template.nodelist[1]) is TextNode
    assert template.nodelist[1].s.startswith(f"<title>{SIGN_IN[language]}</title>")


def test_translations_that_depend_on_the_request_stay_tags_and_render_per_request():
    ours, djangos = _ours(), _djangos()
    with translation.override("fi"):
        template = ours.get_template("varying.html")
    assert len(_translation_tags(template)) == VARYING_TAGS
    for context in (
        {"message": "Sign in", "month_context": "alt. month", "user_name": "Anna", "count": 1},
        {"message": "Skip to content", "month_context": "x", "user_name": "<Bo>", "count": 3},
    ):
        for language in LANGUAGES:
            expected = _render(djangos, "varying.html", language, context)
            assert _render(ours, "varying.html", language, context) == expected
    first = _render(ours, "varying.html", "en", {"user_name": "Anna", "count": 1})
    second = _render(ours, "varying.html", "en", {"user_name": "Bo", "count": 2})
    assert "Hello Anna" in first and "one" in first and "Hello Bo" in second and "2 many" in second
    # {% language %} renders its own language, not the page's.
    assert _render(ours, "varying.html", "fi", {"count": 1}).endswith("Logga in\n")


def test_switching_language_between_renders_gives_the_other_languages_text():
    ours = _ours()
    for language in ("fi", "sv", "en", "fi", "en", "sv"):
        rendered = _render(ours, "child.html", language)
        assert rendered == _render(_djangos(), "child.html", language)
        assert SIGN_IN[language] in rendered
        assert not any(SIGN_IN[other] in rendered for other in SIGN_IN if other != language)


def test_a_template_kept_from_another_language_renders_in_the_active_one():
    """Template._render() renders the template's nodelist (Django's and the test runner's), and
    the nodelist checks the language: a template object looked up in one language and rendered
    in another shows the other's text."""
    ours = _ours()
    with translation.override("fi"):
        finnish = ours.get_template("constant.html")
    with translation.override("sv"):
        assert finnish.render(Context(CONTEXTS[0])) == _render(
            _djangos(), "constant.html", "sv", CONTEXTS[0]
        )


def test_extends_and_include_find_each_languages_copy():
    ours = _ours()
    for language in LANGUAGES:
        with translation.override(language):
            ours.get_template("child.html").render(Context())
    (loader,) = ours.template_loaders
    languages_of = {}
    for (_key, language), template in loader.get_template_cache.items():
        languages_of.setdefault(template.name, set()).add(language)
        assert template.nodelist.language == language
        assert _translation_tags(template) == []
    assert languages_of == {
        name: set(LANGUAGES) for name in ("child.html", "parent.html", "part.html")
    }


def test_the_cached_loader_keys_by_name_extends_chain_and_language():
    """The Django internals core.template_loader relies on: cached.Loader.get_template() keys by
    cache_key(name, skip) and compiles with super().get_template(), which the method resolution
    order makes the folding step; a recursive {% extends %} of the same name (skip) still works."""
    assert template_loader.Loader.__mro__[1:4] == (
        cached.Loader,
        template_loader._CompilerPerLanguage,
        base.Loader,
    )
    first = {
        "base.html": '{% extends "base.html" %}{% load i18n %}{% block b %}{% translate "Sign in" %}{% endblock %}'
    }
    second = {
        "base.html": '{% load i18n %}[{% translate "Skip to content" %}{% block b %}{% endblock %}]'
    }
    loaders = [
        ("django.template.loaders.locmem.Loader", first),
        ("django.template.loaders.locmem.Loader", second),
    ]
    ours = Engine(loaders=[("core.template_loader.Loader", loaders)], libraries=LIBRARIES)
    djangos = Engine(
        loaders=[("django.template.loaders.cached.Loader", loaders)], libraries=LIBRARIES
    )
    for language in ("sv", "en", "sv"):
        assert _render(ours, "base.html", language) == _render(djangos, "base.html", language)
    assert _render(ours, "base.html", "sv") == "[Hoppa till innehålletLogga in]"
    (loader,) = ours.template_loaders
    assert ("base.html", "sv") in loader.get_template_cache
    assert len(loader.get_template_cache) == 4  # the two templates of the chain, two languages
    for template in loader.get_template_cache.values():
        assert _translation_tags(template) == []


def test_a_template_without_translations_is_left_as_compiled():
    ours = _ours()
    with translation.override("fi"):
        template = ours.get_template("plain.html")
    # No language check, only the kept walks.
    assert type(template.nodelist) is template_loader.CompiledNodeList
    assert template.render(Context({"value": "<x>"})) == "<p>&lt;x&gt;</p>"


def test_a_page_switched_between_requests_shows_each_languages_text(db):
    client = Client()
    titles = {
        "fi": "Tarkista viesti tai osoite",
        "sv": "Kontrollera ett meddelande eller en adress",
        "en": "Check a message or an address",
    }
    for language in ("sv", "fi", "en", "sv", "en", "fi"):
        html = client.get("/trust/check/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f"<title>{titles[language]} – " in html
        assert not any(titles[other] in html for other in titles if other != language)
    translation.activate("en")


def _development_templates(directory: Path, settings) -> list[dict]:
    return [{**settings.TEMPLATES[0], "DIRS": [directory]}]


def test_development_mode_reloads_a_changed_template(tmp_path, settings):
    """DEBUG's autoreloader (django.template.autoreload) empties the loaders of a changed template's
    folder; ours is emptied with Django's cached loader, every language's copy."""
    page = tmp_path / "reloaded.html"
    page.write_text('{% load i18n %}before {% translate "Sign in" %}')
    with override_settings(DEBUG=True, TEMPLATES=_development_templates(tmp_path, settings)):
        from django.template import engines

        engine = engines["django"].engine
        assert engine.debug
        assert _render(engine, "reloaded.html", "fi") == "before Kirjaudu sisään"
        assert _render(engine, "reloaded.html", "sv") == "before Logga in"
        page.write_text('{% load i18n %}after {% translate "Sign in" %}')
        assert _render(engine, "reloaded.html", "fi") == "before Kirjaudu sisään"  # still cached
        results = file_changed.send(sender=None, file_path=page)
        assert any(answer for _receiver, answer in results)  # no restart: the loaders were reset
        assert _render(engine, "reloaded.html", "fi") == "after Kirjaudu sisään"
        assert _render(engine, "reloaded.html", "sv") == "after Logga in"


def test_a_changed_catalogue_empties_the_compiled_templates(tmp_path, settings):
    """In development Django reloads a changed .mo without a restart; the text folded from the
    old catalogue goes too."""
    with override_settings(TEMPLATES=_development_templates(tmp_path, settings)):
        from django.template import engines

        (tmp_path / "page.html").write_text('{% load i18n %}{% translate "Sign in" %}')
        engine = engines["django"].engine
        _render(engine, "page.html", "fi")
        (loader,) = engine.template_loaders
        assert loader.get_template_cache
        catalogue = Path(settings.BASE_DIR) / "locale" / "fi" / "LC_MESSAGES" / "django.mo"
        # Not in a template folder: Django's template receiver leaves the loaders alone.
        assert not any(catalogue.is_relative_to(folder) for folder in get_template_directories())
        file_changed.send(sender=None, file_path=catalogue)
        assert loader.get_template_cache == {}
        assert _render(engine, "page.html", "fi") == "Kirjaudu sisään"
    translation.activate("en")


VALUES = """{% load i18n l10n %}<p title="{{ text }}">{{ text }}|{{ safe }}|{{ lazy }}|{{ number }}|{{ when }}
|{{ day }}|{{ missing }}|{{ none }}|{{ text|upper }}|{{ items.0 }}|{{ flag }}</p>
{% if flag %}{% for item in items %}{{ item }}{% endfor %}{% endif %}{% autoescape off %}{{ text }}{{ when }}{% endautoescape %}
{% language "sv" %}{{ day }}{{ number }}{% endlanguage %}{% localize off %}{{ number }}{{ when }}{% endlocalize %}"""


def test_variables_are_written_by_the_value_node_as_django_writes_them():
    import datetime

    from django.template.base import VariableNode
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    templates = {"values.html": VALUES}
    ours, djangos = _ours(templates), _djangos(templates)
    with translation.override("fi"):
        template = ours.get_template("values.html")
    nodes = [node for node in _all_nodes(template.nodelist) if isinstance(node, VariableNode)]
    assert nodes and all(type(node) is template_loader.ValueNode for node in nodes)
    contexts = [
        {
            "text": "<a href='x'>&amp;</a>",
            "safe": mark_safe("<b>bold</b>"),
            "lazy": gettext_lazy("Sign in"),
            "number": 1234567.891,
            "when": datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC),
            "day": datetime.date(2026, 12, 1),
            "none": None,
            "items": ["<x>", 3, mark_safe("&")],
            "flag": True,
        },
        {"text": "", "safe": "", "number": 0, "items": [], "flag": False},
    ]
    for language in LANGUAGES:
        for context in contexts:
            for autoescape in (True, False):
                expected = _render(djangos, "values.html", language, context, autoescape)
                assert _render(ours, "values.html", language, context, autoescape) == expected


def test_the_nodes_of_a_type_are_djangos_answer_for_every_project_template():
    from django.template import engines
    from django.template.base import Node, VariableNode
    from django.template.loader_tags import BlockNode, ExtendsNode, IncludeNode

    engine = engines["django"].engine
    names = sorted(
        str(path.relative_to(directory))
        for directory in get_template_directories()
        for path in Path(directory).rglob("*.html")
        if ".venv" not in path.parts
    )
    assert len(names) > 50
    for name in names:
        with translation.override("sv"):
            template = engine.get_template(name)
        assert isinstance(template.nodelist, template_loader.CompiledNodeList)
        for nodetype in (BlockNode, ExtendsNode, IncludeNode, VariableNode, TextNode, Node):
            expected = NodeList.get_nodes_by_type(template.nodelist, nodetype)
            for _ in range(2):  # found, then kept
                found = template.nodelist.get_nodes_by_type(nodetype)
                assert found == expected and found is not expected
                found.append(None)  # a caller's list is its own

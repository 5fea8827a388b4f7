"""The layout's parts written once per language (core.templatetags.once_per_language): reused,
never stale after a change of language or configuration, and never holding a request's or a
user's data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.utils import translation

from core.templatetags import once_per_language

pytestmark = pytest.mark.django_db

FOOTER_LINK = {
    "fi": "Saavutettavuusseloste",
    "sv": "Tillgänglighetsutlåtande",
    "en": "Accessibility statement",
}
SIGN_IN = {"fi": "Kirjaudu sisään", "sv": "Logga in", "en": "Sign in"}


def _page(client, path: str, language: str) -> str:
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_each_language_gets_its_own_header_and_footer_in_one_process():
    client = Client()
    for language in ("en", "fi", "sv", "en", "sv", "fi"):
        html = _page(client, "/trust/check/", language)
        assert f'<html lang="{language}">' in html
        assert FOOTER_LINK[language] in html and SIGN_IN[language] in html
        others = [FOOTER_LINK[other] for other in FOOTER_LINK if other != language]
        assert not any(text in html for text in others), language
        assert f'lang="{language}" class="link-button current-language" aria-current="true"' in html
    translation.activate("en")


def test_a_changed_authority_profile_shows_at_once(client, settings, tmp_path):
    before = _page(client, "/", "en")
    data = json.loads(Path(settings.AUTHORITY_PROFILE).read_text(encoding="utf-8"))
    data["name"] = {language: "Example Permit Office" for language in ("fi", "sv", "en")}
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.AUTHORITY_PROFILE = str(path)
    after = _page(client, "/", "en")
    assert "Example Permit Office" not in before
    assert '<h2 id="footer-contact-title" class="footer-title">Example Permit Office</h2>' in after
    assert '<span class="brand-name">Example Permit Office</span>' in after


def test_the_language_form_carries_the_requests_own_address_and_a_token():
    first, second = Client(), Client()
    check = _page(first, "/trust/check/", "en")
    home = _page(second, "/", "en")
    assert '<input name="next" type="hidden" value="/trust/check/">' in check
    assert '<input name="next" type="hidden" value="/">' in home
    for html in (check, home):
        language_form = html.split('action="/i18n/setlang/"')[1].split("</form>")[0]
        token = language_form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        assert len(token) >= 32


def test_a_signed_in_header_is_never_shown_to_an_anonymous_visitor(applicant_client):
    signed_in = _page(applicant_client, "/", "en")
    assert "Sign out" in signed_in and "My applications" in signed_in
    anonymous = _page(Client(), "/", "en")
    assert "Sign out" not in anonymous and "My applications" not in anonymous
    assert 'href="/accounts/login/"' in anonymous


def test_the_block_sees_nothing_of_the_request_or_the_user(rf, applicant):
    request = rf.get("/secret-path/")
    request.user = applicant
    template = Template(
        "{% load once_per_language %}{% once_per_language %}"
        "[{{ user.email }}|{{ request.path }}|{% csrf_token %}|{{ authority.short_name }}]"
        "{% endonce_per_language %}"
    )
    context = Context({"user": applicant, "request": request, "csrf_token": "TOKEN"})
    html = template.render(context)
    assert applicant.email not in html and "secret-path" not in html and "TOKEN" not in html
    assert html.startswith("[|||") and len(html) > len("[|||]")


def test_the_block_is_rendered_once_and_then_reused():
    template = Template(
        "{% load once_per_language %}{% once_per_language %}{{ authority.short_name }}"
        "{% endonce_per_language %}"
    )
    (node,) = template.nodelist.get_nodes_by_type(once_per_language.OncePerLanguageNode)
    renders = []
    original = node.nodelist.render

    def counted(context):
        renders.append(translation.get_language())
        return original(context)

    node.nodelist.render = counted
    with translation.override("fi"):
        first = [template.render(Context()) for _ in range(3)]
    with translation.override("sv"):
        template.render(Context())
    assert renders == ["fi", "sv"] and len(set(first)) == 1


def test_a_changed_setting_forgets_every_copy(settings):
    template = Template(
        "{% load once_per_language %}{% once_per_language %}{% url 'core:index' %}"
        "{% endonce_per_language %}"
    )
    assert template.render(Context()) == "/"
    settings.ROOT_URLCONF = "tests.core.error_urls"  # any other URLconf: the copy is dropped
    (node,) = template.nodelist.get_nodes_by_type(once_per_language.OncePerLanguageNode)
    assert node.rendered == {}


def test_a_block_inside_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template(
            "{% load once_per_language %}{% once_per_language %}{% block title %}x{% endblock %}"
            "{% endonce_per_language %}"
        )


def test_a_language_switched_inside_the_page_gets_its_own_copy():
    template = Template(
        "{% load i18n once_per_language %}"
        '{% once_per_language %}{% translate "Sign in" %}{% endonce_per_language %}|'
        '{% language "sv" %}{% once_per_language %}{% translate "Sign in" %}'
        "{% endonce_per_language %}{% endlanguage %}|"
        '{% once_per_language %}{% translate "Sign in" %}{% endonce_per_language %}'
    )
    with translation.override("fi"):
        assert template.render(Context()) == "Kirjaudu sisään|Logga in|Kirjaudu sisään"


def test_another_url_prefix_gets_its_own_copy():
    from django.urls import get_script_prefix, set_script_prefix

    template = Template(
        "{% load once_per_language %}{% once_per_language %}{% url 'core:index' %}"
        "{% endonce_per_language %}"
    )
    original = get_script_prefix()
    try:
        assert template.render(Context()) == "/"
        set_script_prefix("/permits/")
        assert template.render(Context()) == "/permits/"
    finally:
        set_script_prefix(original)
    assert template.render(Context()) == "/"


def test_the_signed_in_menu_shows_each_role_its_own_links_and_its_own_sign_out_token(
    applicant, caseworker, client
):
    """The menu's links are written once per language, but which ones show is the user's role,
    and the sign-out form's CSRF token is the request's own."""
    from tests.conftest import sign_in_with_second_factor

    applicant_client = sign_in_with_second_factor(Client(), applicant)
    caseworker_client = sign_in_with_second_factor(Client(), caseworker)
    for _round in range(2):
        mine = _page(applicant_client, "/accounts/security/", "en")
        theirs = _page(caseworker_client, "/accounts/security/", "en")
        assert "My applications" in mine and "Case queue" not in mine
        assert "Case queue" in theirs and "My applications" not in theirs
        assert "Audit log" not in mine + theirs
        tokens = [
            re.search(
                r'logout/" class="inline-form"><input type="hidden" '
                r'name="csrfmiddlewaretoken" value="([^"]+)"',
                html,
            )
            for html in (mine, theirs)
        ]
        assert all(tokens) and tokens[0].group(1) != tokens[1].group(1)

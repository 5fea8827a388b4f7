"""The check page's errors come from the server, in the page's language, in the shared summary
at the top: no form leaves it to the browser's own required-field bubble."""

from __future__ import annotations

import pytest

from tests.accessibility.html_rules import page_structure, structure_problems

pytestmark = pytest.mark.django_db

EMPTY_MESSAGE = {
    "fi": "Liitä viesti, jonka haluat tarkistaa.",
    "sv": "Klistra in meddelandet som du vill kontrollera.",
    "en": "Paste the message you want to check.",
}


@pytest.mark.parametrize("url", ["/trust/check/", "/trust/report/", "/trust/verify/"])
def test_every_form_with_fields_is_checked_by_the_server(client, url):
    html = client.get(url).content.decode()
    forms = page_structure(html).forms
    assert [form for form in forms if form["checkable"]]
    assert all("novalidate" in form for form in forms if form["checkable"])
    assert structure_problems(html) == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_an_empty_check_is_refused_in_the_pages_language_at_the_top(client, language):
    client.cookies["django_language"] = language
    response = client.post("/trust/check/", {"mode": "text", "text-text": ""})
    html = response.content.decode()
    structure = page_structure(html)
    assert structure.error_summary is not None and "autofocus" in structure.error_summary
    assert structure.before_error_summary == []
    assert f'<a href="#id_text-text">{EMPTY_MESSAGE[language]}</a>' in html
    assert structure_problems(html) == []


def test_an_empty_verification_names_both_fields(client):
    client.cookies["django_language"] = "fi"
    html = client.post("/trust/verify/", {"code": "", "address": ""}).content.decode()
    assert '<a href="#id_code">Kirjoita viestissä oleva tarkistuskoodi.</a>' in html
    assert "Kirjoita sähköpostiosoite tai puhelinnumero, johon viesti tuli." in html


def test_the_reporters_own_address_carries_autocomplete(client):
    html = client.get("/trust/report/").content.decode()
    controls = [item for item in page_structure(html).controls if item.get("type") == "email"]
    assert controls and all(item.get("autocomplete") == "email" for item in controls)

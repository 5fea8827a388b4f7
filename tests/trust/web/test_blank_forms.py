"""The check and report pages bind only the submitted form; the other modes' blank forms are
written once per language (trust.templatetags.blank_forms) and stay blank, in the page's
language, whatever another visitor submitted."""

from __future__ import annotations

import re

import pytest
from django import forms

from core.field_rendering import form_fields_html
from trust.forms import CHECK_FORMS, REPORT_FORMS

pytestmark = pytest.mark.django_db

PAGES = {"/trust/check/": CHECK_FORMS, "/trust/report/": REPORT_FORMS}


@pytest.fixture
def forms_built(monkeypatch):
    """The forms each request builds, by class."""
    built = []
    original = forms.BaseForm.__init__

    def counting(self, *args, **kwargs):
        built.append(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(forms.BaseForm, "__init__", counting)
    return built


@pytest.mark.parametrize("path", PAGES)
def test_a_page_after_the_first_builds_no_form(client, path, forms_built):
    client.get(path)  # the first request of a process writes the blank forms
    forms_built.clear()
    assert client.get(path).status_code == 200
    assert forms_built == []


def test_a_check_builds_only_the_submitted_form(client, forms_built):
    client.get("/trust/check/")
    # The first answer of its shape also writes the submitted form's fields once
    # (trust.templatetags.submitted_form), with a form of its own.
    client.post("/trust/check/", {"mode": "url", "url-url": "https://first.example/"})
    forms_built.clear()
    response = client.post("/trust/check/", {"mode": "url", "url-url": "https://migri-fi.com/"})
    assert response.status_code == 200
    assert forms_built == [CHECK_FORMS["url"]]


@pytest.mark.parametrize(("path", "form_classes"), PAGES.items())
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_blank_forms_are_the_unbound_forms_in_the_pages_language(
    client, path, form_classes, language
):
    from django.utils import translation

    html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        for mode, form_class in form_classes.items():
            assert str(form_fields_html(form_class(prefix=mode))) in html


def test_a_submitted_message_never_reaches_another_visitors_page(client):
    message = "Pay the fee at http://migri-fi.com/pay today, unique-words-7Q3X"
    checked = client.post(
        "/trust/check/", {"mode": "text", "text-text": message, "text-channel": "sms"}
    ).content.decode()
    # The submitted form shows the message again, with the channel chosen ...
    assert re.search(r"<textarea[^>]*>\n" + re.escape(message.replace("'", "&#x27;")), checked)
    assert '<option value="sms" selected>' in checked
    # ... and the next visitor's blank forms, written once per language, do not.
    for mode in ("url", "eml"):
        client.post("/trust/check/", {"mode": mode})
    blank = client.get("/trust/check/").content.decode()
    assert "unique-words-7Q3X" not in blank
    assert '<option value="sms" selected>' not in blank
    assert '<option value="email" selected>' in blank  # the form's initial channel
    assert "error" not in blank.split("<main", 1)[1]


def test_the_submitted_forms_errors_are_summarised_and_the_others_stay_blank(client):
    response = client.post("/trust/check/", {"mode": "url", "url-url": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="field field-error"') == 1
    assert 'href="#id_url-url"' in html  # the error summary links to the failing field
    assert 'id="id_text-text"' in html and 'id="id_eml-eml"' in html

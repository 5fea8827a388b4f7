"""The error summary every form page shares (templates/includes/error_summary.html) and the
messages that name their field (core.forms)."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from core.forms import LocalizedDecimalField, OneTimeCodeInput, error_summary_entries
from core.ratelimit import try_again_message
from tests.accessibility.html_rules import structure_problems


class ExampleForm(forms.Form):
    name = forms.CharField(label="Family name", widget=forms.TextInput(attrs={"autofocus": True}))
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )
    amount = LocalizedDecimalField(label="Amount", required=False)
    agree = forms.BooleanField(
        label="I agree to a very long statement", error_messages={"required": "Tick to agree."}
    )


def _render(template: str, **context) -> str:
    return Template("{% load form_errors %}" + template).render(Context(context))


def test_each_error_names_its_field_and_links_to_the_control():
    form = ExampleForm({"amount": "lots"})
    with translation.override("en"):
        entries = error_summary_entries([form])
    assert entries == [
        {"text": "Fill in “Family name”.", "target": "id_name"},
        # A group of radios is reached through its first option.
        {"text": "Choose an answer for “Colour”.", "target": "id_colour_0"},
        {"text": "Enter “Amount” as a number, for example 3,400.50.", "target": "id_amount"},
        # A form's own message stays, and the statement in the label is not repeated.
        {"text": "Tick to agree.", "target": "id_agree"},
    ]


def test_the_messages_are_in_the_active_language():
    form = ExampleForm({"amount": "lots"})
    with translation.override("fi"):
        texts = [entry["text"] for entry in error_summary_entries([form])]
    assert texts[:3] == [
        "Täytä kohta ”Family name”.",
        "Valitse vastaus kohtaan ”Colour”.",
        "Kirjoita ”Amount” numerona, esimerkiksi 3\u00a0400,50.",
    ]
    with translation.override("sv"):
        texts = [entry["text"] for entry in error_summary_entries([form])]
    assert texts[0] == "Fyll i ”Family name”."


def test_the_summary_takes_the_focus_and_its_field_does_not():
    form = ExampleForm({})
    html = _render("{% error_summary form %}{{ form.name }}", form=form)
    assert 'tabindex="-1" autofocus' in html
    assert 'href="#id_name"' in html and 'href="#id_colour_0"' in html
    assert html.count("autofocus") == 1


def test_no_summary_without_errors_and_the_fields_autofocus_stays():
    form = ExampleForm()
    html = _render("{% error_summary %}{{ form.name }}", form=form)
    assert "error-summary" not in html
    assert "autofocus" in html


def test_the_summary_finds_forms_in_the_context_and_lists_them_in_order():
    first, second = ExampleForm({}, prefix="a"), ExampleForm({"a-name": "x"}, prefix="b")
    html = _render("{% error_summary %}", forms={"text": first, "url": second})
    assert html.index('href="#id_a-name"') < html.index('href="#id_b-name"')


def test_extra_links_join_the_summary():
    html = _render(
        "{% error_summary form links=links %}",
        form=ExampleForm({"name": "x", "colour": "r", "agree": "on"}),
        links=[{"text": "Attachment: passport", "url": "/attachments/#kind-passport"}],
    )
    assert '<a href="/attachments/#kind-passport">Attachment: passport</a>' in html


def test_a_page_with_the_summary_passes_the_structure_rules():
    body = _render("{% error_summary form %}", form=ExampleForm({}))
    page = (
        f'<html lang="en"><main>{body}<h1>Title</h1><form method="post" novalidate>'
        '<label for="id_name">Name</label><input id="id_name" name="name" required>'
        '<label for="id_colour_0">Red</label><input type="radio" id="id_colour_0" name="colour">'
        '<input type="checkbox" id="id_agree" name="agree"><label for="id_agree">Agree</label>'
        "</form></main></html>"
    )
    assert structure_problems(page) == []


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        (
            '<html lang="en"><main><h1>T</h1><div class="error-summary" tabindex="-1" autofocus>'
            "</div></main></html>",
            "the error summary comes after a <h1>",
        ),
        (
            '<html lang="en"><main><div class="error-summary"></div><h1>T</h1></main></html>',
            "the error summary does not take the focus",
        ),
        (
            '<html lang="en"><main><div class="error-summary" tabindex="-1" autofocus>'
            '<a href="#id_gone">x</a></div><h1>T</h1></main></html>',
            "the error summary links to #id_gone",
        ),
        (
            '<html lang="en"><h1>T</h1><form><label for="a">A</label>'
            '<input id="a" name="a" required></form></html>',
            "<form action=None> has fields but no novalidate",
        ),
        (
            '<html lang="en"><h1>T</h1><label for="e">E</label><input type="email" id="e"></html>',
            "<input type=email name=None> has no autocomplete",
        ),
        (
            '<html lang="en"><h1>T</h1><input autofocus aria-label="a"><input autofocus '
            'aria-label="b"></html>',
            "several elements ask for the focus",
        ),
    ],
)
def test_the_structure_rules_catch_a_misplaced_or_broken_summary(page, problem):
    assert any(found.startswith(problem) for found in structure_problems(page))


def test_a_code_input_never_types_the_refused_code_back():
    class CodeForm(forms.Form):
        code = forms.CharField(widget=OneTimeCodeInput())

    html = str(CodeForm({"code": "123456"})["code"])
    assert "123456" not in html
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html


@pytest.mark.parametrize(
    ("language", "seconds", "text"),
    [
        ("en", 1, "Try again in 1 second."),
        ("en", 45.2, "Try again in 46 seconds."),
        ("en", 900, "Try again in 15 minutes."),
        ("en", 901, "Try again in 16 minutes."),
        ("en", 3 * 3600, "Try again in 3 hours."),
        ("fi", 900, "Yritä uudelleen 15 minuutin kuluttua."),
        ("sv", 900, "Försök igen om 15 minuter."),
        ("sv", 60, "Försök igen om 60 sekunder."),
    ],
)
def test_the_wait_is_said_in_the_persons_language_and_never_too_short(language, seconds, text):
    with translation.override(language):
        assert try_again_message(seconds) == text

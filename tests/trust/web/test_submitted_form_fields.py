"""{% submitted_form_fields %} writes a submitted form's fields exactly as form_fields_html does,
from a copy written once per shape of the form, with the typed values filled in and escaped."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django import forms
from django.http import QueryDict
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from core.field_rendering import form_fields_html
from trust.forms import CHECK_FORMS, EmailCheckForm, TextCheckForm, UrlCheckForm
from trust.templatetags import submitted_form
from trust.templatetags.submitted_form import submitted_form_fields

# What a browser can send: any text but NUL (the form refuses it) and lone surrogates (no UTF-8).
TYPED = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
) | st.sampled_from(["", " ", "  x  ", "<b>\"&'</b>", "\ue000permitsafe-field-0\ue000", "\r\n"])


def _bound(form_class, mode: str, fields: dict, lang: str | None = None):
    data = QueryDict(urlencode({"mode": mode, **{f"{mode}-{k}": v for k, v in fields.items()}}))
    form = form_class(data, prefix=mode)
    form.is_valid()
    if lang and "text" in form.fields:
        form.fields["text"].widget.attrs["lang"] = lang
    return form


def _both(form_class, mode, fields, lang=None) -> tuple[str, str, str]:
    """(Django's rendering, the first written one, one written from the kept shape)."""
    expected = str(form_fields_html(_bound(form_class, mode, fields, lang)))
    first = str(submitted_form_fields(_bound(form_class, mode, fields, lang)))
    again = str(submitted_form_fields(_bound(form_class, mode, fields, lang)))
    return expected, first, again


@settings(max_examples=150, deadline=None)
@given(
    text=TYPED,
    channel=st.sampled_from(["email", "sms", "social", "bogus", ""]),
    sender=TYPED,
    recipient=TYPED,
    language=st.sampled_from(["fi", "sv", "en"]),
    lang=st.sampled_from([None, "en", "sv", "fi", "de"]),
)
def test_the_text_form_is_written_as_django_writes_it(
    text, channel, sender, recipient, language, lang
):
    fields = {"text": text, "channel": channel, "sender": sender, "recipient": recipient}
    with override(language):
        expected, first, again = _both(TextCheckForm, "text", fields, lang)
    assert first == expected
    assert again == expected


@settings(max_examples=60, deadline=None)
@given(url=TYPED, language=st.sampled_from(["fi", "sv", "en"]))
def test_the_address_form_is_written_as_django_writes_it(url, language):
    with override(language):
        expected, first, again = _both(UrlCheckForm, "url", {"url": url})
    assert first == expected == again


def test_a_missing_field_is_written_as_django_writes_it():
    with override("en"):
        expected, first, again = _both(TextCheckForm, "text", {"text": "hello", "channel": "sms"})
    assert first == expected == again


def test_a_valid_form_is_written_from_its_kept_shape(monkeypatch):
    submitted_form._SHAPES.clear()
    fields = {"text": "first <message>", "channel": "sms", "sender": "", "recipient": ""}
    with override("en"):
        submitted_form_fields(_bound(TextCheckForm, "text", fields))
        written = []
        monkeypatch.setattr(
            submitted_form, "form_fields_html", lambda form: written.append(form) or ""
        )
        html = str(
            submitted_form_fields(_bound(TextCheckForm, "text", {**fields, "text": "second & x"}))
        )
    assert written == []  # the same shape: nothing written again
    assert "\nsecond &amp; x</textarea>" in html and "first" not in html


def test_forms_with_errors_or_other_fields_are_written_by_django(monkeypatch):
    written = []
    monkeypatch.setattr(submitted_form, "form_fields_html", lambda form: written.append(form) or "")
    invalid = _bound(TextCheckForm, "text", {"text": "", "channel": "sms"})
    upload = _bound(EmailCheckForm, "eml", {"raw_b64": "aGVsbG8="})
    assert upload.is_valid()
    submitted_form_fields(invalid)
    submitted_form_fields(upload)
    assert written == [invalid, upload]


def test_the_kept_shapes_are_bounded(monkeypatch):
    submitted_form._SHAPES.clear()
    monkeypatch.setattr(submitted_form, "MAX_SHAPES", 2)
    with override("en"):
        for lang in ("a", "b", "c", "d"):
            fields = {"text": "x", "channel": "sms"}
            expected, first, again = _both(TextCheckForm, "text", fields, lang)
            assert first == expected == again
    assert len(submitted_form._SHAPES) == 2


class _Changed(forms.Form):
    name = forms.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "changed per form"


def test_a_form_that_changes_its_fields_is_written_by_django():
    form = _Changed({"name": "x"})
    assert form.is_valid()
    assert submitted_form._shape(form) is None


@pytest.mark.parametrize("mode", sorted(CHECK_FORMS))
def test_the_check_forms_are_django_forms_whose_init_is_djangos(mode):
    """The shape is the class's fields: a check form that sets up its fields per instance would
    need its own shape (and the text and address forms would be written by Django again)."""
    assert CHECK_FORMS[mode].__init__ is forms.BaseForm.__init__

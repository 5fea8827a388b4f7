"""The check form's channel list: its options written once per language (LongListSelect), the
same markup as Django's Select, whatever was chosen."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from trust.forms import CHANNEL_CHOICES, TextCheckForm


def _channel_html(widget_class, data, renderer) -> str:
    form = TextCheckForm(data, prefix="text")
    if widget_class is not None:
        form.fields["channel"].widget = widget_class(choices=CHANNEL_CHOICES)
    form.renderer = renderer
    return str(form["channel"])


@pytest.mark.parametrize("channel", [None, "sms", "social", "nonsense"])
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_channel_list_renders_as_djangos_select(channel, language):
    data = None if channel is None else {"text-text": "x", "text-channel": channel}
    with translation.override(language):
        oracle = _channel_html(forms.Select, data, DjangoTemplates())
        first = _channel_html(None, data, None)
        assert first == oracle
        assert _channel_html(None, data, None) == oracle


def test_the_channel_options_are_translated_once_per_language(gettext_calls):
    with translation.override("sv"):
        _channel_html(None, None, None)
        gettext_calls.clear()
        html = _channel_html(None, None, None)
    # The field's label is the page's (core.field_rendering); the options' texts are not
    # translated again.
    assert "Text message (SMS)" not in gettext_calls
    assert "<option" in html

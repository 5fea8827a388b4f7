"""get_FOO_display() without rebuilding the field's choices on every call."""

from __future__ import annotations

from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

# {(field, language): {value: label as get_FOO_display() returns it}}: the labels are the code's
# own literal strings, so their translation in a language is the same for the life of the process.
_LABELS: dict[tuple[models.Field, str | None], dict] = {}


def _labels(field: models.Field) -> dict:
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        # Translated in the active language, as Django's own translates them when one is shown.
        labels = _LABELS[key] = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
    return labels


class ChoiceDisplayMixin:
    """Django's get_FOO_display() builds dict(make_hashable(field.flatchoices)) on every call,
    and hashing each (value, lazily translated label) pair translates every label: a gettext per
    choice per call, dozens on a page of statuses and timeline events. The same answer from a dict
    built once per field and language, with the labels already translated (no lazy string to
    translate again on every row)."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(make_hashable(value), _MISSING)
        except TypeError:  # a value that cannot be hashed: Django's own way
            return super()._get_FIELD_display(field)
        if label is _MISSING:
            return force_str(value, strings_only=True)
        return label


_MISSING = object()


@receiver(setting_changed)
def _forget_translated_labels(*, setting, **kwargs):
    # The settings Django drops its translations on (django.test.signals).
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _LABELS.clear()

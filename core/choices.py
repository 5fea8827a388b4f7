"""get_FOO_display() without rebuilding the field's choices on every call."""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict[models.Field, dict] = {}


def _labels(field: models.Field) -> dict:
    labels = _LABELS.get(field)
    if labels is None:
        # The labels stay lazy: the language is chosen when one is shown, as in Django's own.
        labels = _LABELS[field] = {
            make_hashable(value): label for value, label in field.flatchoices
        }
    return labels


class ChoiceDisplayMixin:
    """Django's get_FOO_display() builds dict(make_hashable(field.flatchoices)) on every call,
    and hashing each (value, lazily translated label) pair translates every label: a gettext per
    choice per call, dozens on a page of statuses and timeline events. The same answer from a dict
    built once per field."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(make_hashable(value), value)
        except TypeError:  # a value that cannot be hashed: Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)

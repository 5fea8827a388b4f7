"""core.choices' get_FOO_display() answers as Django's own, in every language, for every choice
field of every model that uses it, and for a value that is not a choice."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core.choices import ChoiceDisplayMixin

CHOICE_FIELDS = [
    (model, field)
    for model in apps.get_models()
    if issubclass(model, ChoiceDisplayMixin)
    for field in model._meta.concrete_fields
    if field.choices
]


def test_there_are_choice_fields_to_compare():
    assert len(CHOICE_FIELDS) >= 4


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=lambda item: getattr(item, "name", str(item))
)
def test_a_choice_is_shown_as_django_shows_it(language, model, field):
    instance = model()
    with translation.override(language):
        for value in [value for value, _label in field.flatchoices] + ["not-a-choice", None]:
            setattr(instance, field.attname, value)
            ours = instance._get_FIELD_display(field)
            djangos = models.Model._get_FIELD_display(instance, field)
            assert ours == djangos
            assert type(ours) is type(djangos)


def test_the_label_is_translated_in_the_active_language():
    from applications.models import Application, Status

    application = Application(status=Status.SUBMITTED)
    with translation.override("en"):
        english = application.get_status_display()
    with translation.override("fi"):
        finnish = application.get_status_display()
    with translation.override("en"):
        assert application.get_status_display() == english
    assert finnish != english
    assert type(finnish) is str

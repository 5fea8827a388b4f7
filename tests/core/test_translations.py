"""The Finnish and Swedish catalogues are complete and keep every placeholder of the English."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\d*\}")
CATALOGUES = {
    language: Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    for language in ("fi", "sv")
}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing and not fuzzy, {"untranslated": missing[:10], "fuzzy": fuzzy[:10]}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_translations_keep_every_placeholder(language):
    wrong = []
    for entry in polib.pofile(str(CATALOGUES[language])):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in filter(None, translations):  # missing ones fail the test above
            # A singular form may say "one" instead of printing the count.
            if sorted(PLACEHOLDER.findall(text)) != expected and not entry.msgid_plural:
                wrong.append(entry.msgid)
    assert not wrong, wrong[:10]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fi", "Käytä asiointipalveluja turvallisesti"),
        ("sv", "Använd e-tjänsterna tryggt"),
        ("en", "Use the e-services safely"),
    ],
)
def test_the_front_page_speaks_the_chosen_language(language, heading):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert f'<html lang="{language}">' in response.content.decode()
    assert heading in response.content.decode()
    translation.activate("en")

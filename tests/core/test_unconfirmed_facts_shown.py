"""A fact the shipped profile fills in as an example (its "unconfirmed" section) is never shown as
the authority's own: the official channels, which the check relies on, and the footer's contact
details say so in the reader's language until the authority confirms them (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.authority import authority

pytestmark = pytest.mark.django_db

CHANNELS_NOTE = {
    "en": "Some of the channels below are examples that the Finnish Immigration Service has not",
    "fi": "Osa alla olevista kanavista on esimerkkejä, joita Maahanmuuttovirasto ei ole",
    "sv": "En del av kanalerna nedan är exempel som Migrationsverket ännu inte har bekräftat",
}
CONTACT_NOTE = {
    "en": "These contact details are examples that the Finnish Immigration Service has not",
    "fi": "Nämä yhteystiedot ovat esimerkkejä, joita Maahanmuuttovirasto ei ole",
    "sv": "De här kontaktuppgifterna är exempel som Migrationsverket ännu inte har bekräftat",
}


def _profile_with(tmp_path, settings, unconfirmed: dict) -> None:
    data = json.loads(Path(settings.AUTHORITY_PROFILE).read_text(encoding="utf-8"))
    data["unconfirmed"]["facts"] = unconfirmed
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.AUTHORITY_PROFILE = str(path)


def _text(client, url: str, language: str) -> str:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return " ".join(html.split())


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_shipped_profiles_examples_are_marked_where_they_are_shown(client, language):
    # The shipped profile's phone numbers and contact details are examples.
    assert authority().channels_unconfirmed and authority().contact_unconfirmed
    for url in ("/trust/channels/", "/trust/"):
        assert CHANNELS_NOTE[language] in _text(client, url, language), url
    assert CONTACT_NOTE[language] in _text(client, "/", language)


def test_a_confirmed_profile_shows_no_note(client, tmp_path, settings):
    _profile_with(tmp_path, settings, {"appeal_court": "not shown on these pages"})
    assert not authority().channels_unconfirmed and not authority().contact_unconfirmed
    for url in ("/trust/channels/", "/trust/", "/"):
        text = _text(client, url, "en")
        assert CHANNELS_NOTE["en"] not in text and CONTACT_NOTE["en"] not in text


@pytest.mark.parametrize(
    "entry,channels,contact",
    [
        ("phone_numbers", True, False),
        ("social_media_accounts[0].url", True, False),
        ("official_web_domains[enterfinland.fi]", True, False),
        ("contact.phone", False, True),
        ("contact", False, True),
        ("privacy", False, False),
    ],
)
def test_one_unconfirmed_entry_marks_only_the_list_it_belongs_to(
    tmp_path, settings, entry, channels, contact
):
    _profile_with(tmp_path, settings, {entry: "an example for the test"})
    assert authority().channels_unconfirmed is channels
    assert authority().contact_unconfirmed is contact

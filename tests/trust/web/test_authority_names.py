"""The authority's names reach readers whole, in the reader's language: the stems the check engine
matches with ("Migrationsverke", "Finnish Immigration Servic") never appear in a page or an email."""

import re

import pytest

from core.authority import authority
from notifications.services import email_render
from trust.engine import EngineConfig
from trust.engine.policy import DomainPolicy

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]
FULL_NAME_IN_TEXT = {
    "fi": "Maahanmuuttovirasto",
    "sv": "Migrationsverket",
    "en": "the Finnish Immigration Service",
}
# A stem cut from a name: the name less its last letters, not followed by the rest of the word.
STEMS = re.compile(
    r"Maahanmuuttovirast(?![a-zäö])|Migrationsverke(?![a-z])|Immigration Servic(?!e)"
)

MESSAGES = {
    "fi": "Täällä Maahanmuuttovirasto. Oleskelulupasi peruutetaan, lähetä passinumerosi heti.",
    "sv": "Hej, här är Migrationsverket. Ditt uppehållstillstånd återkallas, skicka passnumret.",
    "en": "This is the Finnish Immigration Service. Your permit is revoked: send your passport "
    "number today.",
}


def _page(client, language, path, data=None):
    client.cookies["django_language"] = language
    response = client.post(path, data) if data else client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_engine_gives_the_name_as_written_never_its_stem():
    policy = DomainPolicy(EngineConfig(authority_names=authority().all_names))
    assert policy.names_authority("Hej från Migrationsverket!") == "Migrationsverket"
    assert policy.names_authority("på Migrationsverkets vägnar") == "Migrationsverkets"
    assert policy.names_authority("Finnish Immigration Service here") == (
        "Finnish Immigration Service"
    )
    assert policy.names_authority("Maahanmuuttovirastosta hei") == "Maahanmuuttovirastosta"
    assert policy.domain_carries_name("migrationsverket.se", "Migrationsverkets")


@pytest.mark.parametrize("page_language", LANGUAGES)
@pytest.mark.parametrize("message_language", LANGUAGES)
def test_the_check_page_names_the_authority_whole_in_the_readers_language(
    client, page_language, message_language
):
    html = _page(
        client,
        page_language,
        "/trust/check/",
        {"mode": "text", "text-text": MESSAGES[message_language], "text-channel": "sms"},
    )
    assert not STEMS.search(html), STEMS.search(html).group(0)
    expected = {
        "fi": "Viesti esiintyy viranomaisen nimissä: Maahanmuuttovirasto.",
        "sv": "Meddelandet utger sig för att komma från Migrationsverket.",
        "en": "The message speaks in the name of the Finnish Immigration Service.",
    }[page_language]
    assert expected in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trust_centre_pages_name_the_authority_whole(client, language):
    for path in ("/trust/", "/trust/channels/"):
        html = _page(client, language, path)
        assert not STEMS.search(html)
        assert FULL_NAME_IN_TEXT[language] in html
    assert "in the name of the Finnish Immigration Service" in _page(client, "en", "/trust/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_emails_sign_with_the_whole_name(language):
    subject, text, html = email_render(
        template_prefix="notifications/case_received",
        context={"eservice_address": "enterfinland.fi", "code": "ABC-123"},
        language=language,
    )
    name = authority().name(language)
    assert name in subject and name in text and name in html
    assert not STEMS.search(subject + text + html)


def test_the_api_description_names_the_authority_with_its_article(client):
    description = client.get("/api/v1/openapi.json").json()["info"]["description"]
    assert "really comes from the Finnish Immigration Service." in description

"""WCAG 3.1.2 on the check's verdict: the person's message, shown again, and the words the
explanations quote from it carry the message's language when it is not the page's; none when the
engine is not sure (a wrong `lang` makes a screen reader read with the wrong rules)."""

from __future__ import annotations

import re

import pytest
from django.test import TestCase

pytestmark = pytest.mark.django_db

ENGLISH_SCAM = (
    "Your residence permit will be cancelled today. You must pay the fee now or your "
    "application will be rejected. Pay at http://migri-fi.com/pay and confirm your passport "
    "number."
)
GERMAN_SCAM = (
    "Sehr geehrter Kunde, Ihre Aufenthaltserlaubnis wird heute storniert. Bitte zahlen Sie die "
    "Gebühr sofort unter http://migri-fi.com/pay, damit Ihr Antrag nicht abgelehnt wird."
)
FINNISH_SCAM = (
    "Oleskelulupasi perutaan tänään. Sinun täytyy maksaa maksu heti tai hakemuksesi hylätään. "
    "Maksa osoitteessa http://migri-fi.com/maksu ja vahvista passinumerosi."
)


def _main(client, text: str, language: str) -> str:
    response = client.post(
        "/trust/check/",
        {"mode": "text", "text-text": text, "text-channel": "sms"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert "verdict verdict-" in html
    return html[html.index("<main") : html.index("</main>")]


def _lang_attributes(html: str) -> list[str]:
    return re.findall(r'\slang="([^"]*)"', html)


def test_an_english_message_on_a_finnish_page_is_marked_english(client):
    main = _main(client, ENGLISH_SCAM, "fi")
    # The message in its field again, and in the hidden field of the report button.
    assert re.search(r'<textarea[^>]*name="text-text"[^>]*lang="en"', main)
    assert re.search(r'<textarea name="text-text" hidden lang="en">', main)
    # A finding quotes the message's words: they are in a span of their own language, inside a
    # Finnish sentence.
    quoted = re.findall(r'<span lang="en">([^<]+)</span>', main)
    assert quoted and all(part.strip() in ENGLISH_SCAM for part in quoted), quoted
    assert set(_lang_attributes(main)) == {"en"}


def test_a_message_in_the_pages_language_is_not_marked(client):
    assert _lang_attributes(_main(client, ENGLISH_SCAM, "en")) == []
    assert _lang_attributes(_main(client, FINNISH_SCAM, "fi")) == []


def test_a_finnish_message_on_a_swedish_page_is_marked_finnish(client):
    main = _main(client, FINNISH_SCAM, "sv")
    assert set(_lang_attributes(main)) == {"fi"}
    assert re.search(r'<span lang="fi">[^<]+</span>', main)


def test_a_german_message_is_marked_german_on_every_page(client):
    for language in ("fi", "sv", "en"):
        main = _main(client, GERMAN_SCAM, language)
        assert set(_lang_attributes(main)) == {"de"}, language
        assert re.search(r'<textarea[^>]*name="text-text"[^>]*lang="de"', main)


def test_a_message_too_short_to_tell_gets_no_lang_rather_than_a_wrong_one(client):
    main = _main(client, "Pay now: http://migri-fi.com/pay", "fi")
    # Neither a guessed language nor an empty attribute.
    assert _lang_attributes(main) == []


def test_quoted_words_are_escaped_inside_their_span(client):
    text = ENGLISH_SCAM.replace("Pay at", "Pay <b>now</b> at")
    main = _main(client, text, "fi")
    assert "<b>now</b>" not in main


def test_the_report_page_marks_the_quoted_words_with_the_messages_language_too(client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/trust/report/",
            {"mode": "text", "text-text": ENGLISH_SCAM, "text-channel": "sms"},
            HTTP_ACCEPT_LANGUAGE="fi",
        )
    assert response.status_code == 302
    finnish = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    main = finnish[finnish.index("<main") : finnish.index("</main>")]
    assert re.search(r'<span lang="en">[^<]+</span>', main)
    english = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _lang_attributes(english[english.index("<main") : english.index("</main>")]) == []

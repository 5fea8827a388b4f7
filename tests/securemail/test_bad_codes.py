"""Issue 9's bad input on the code page, through the test client in fi, sv and en: expired, used,
forged and wrong-address codes each give a clear page that says what happened and what to do next
(never a 500, never a way in), tries are limited per code and per client address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.securemail.conftest import SENDER
from tests.securemail.test_public_pages import _code_from, _run_commits, post  # noqa: F401

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]
SAYS = {
    "expired": {
        "fi": "Koodi on vanhentunut.",
        "sv": "Koden har gått ut.",
        "en": "The code has expired.",
    },
    "used": {
        "fi": "Koodi on jo käytetty.",
        "sv": "Koden har redan använts.",
        "en": "The code has already been used.",
    },
    "wrong": {
        "fi": "Koodi ei ole oikein. Tarkista se ja kirjoita uudelleen.",
        "sv": "Koden är inte rätt. Kontrollera den och skriv den igen.",
        "en": "The code is not right. Check it and type it again.",
    },
    "too_many_tries": {
        "fi": "Koodi kirjoitettiin väärin liian monta kertaa.",
        "sv": "Koden skrevs fel för många gånger.",
        "en": "The code was typed wrong too many times.",
    },
}
ASK_AGAIN = {"fi": "Pyydä uusi koodi", "sv": "Begär en ny kod", "en": "Ask for a new code"}


@pytest.fixture
def browser(client, language):
    client.cookies["django_language"] = language
    return client


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


def ask(browser, smtp_server, email=SENDER) -> str:
    smtp_server.clear()
    assert post(browser, reverse("securemail:start"), {"email": email}).status_code == 302
    [mail] = smtp_server.outbox
    return _code_from(mail)


def type_code(browser, code: str):
    response = post(browser, reverse("securemail:code"), {"code": code})
    assert response.status_code in {302, 400}, response.status_code
    return response


def assert_refused(browser, response, reason: str, language: str) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    assert f'lang="{language}"' in page
    assert 'role="alert"' in page
    assert SAYS[reason][language] in page
    for other, texts in SAYS.items():
        if other != reason:
            assert texts[language] not in page
    # Refused means no way in.
    inbox = browser.get(reverse("securemail:inbox"))
    assert inbox.status_code == 302 and inbox["Location"] == reverse("securemail:start")


def test_an_expired_code_gives_a_clear_page(browser, smtp_server, settings, language):
    settings.SECUREMAIL_CODE_VALID_SECONDS = 0
    code = ask(browser, smtp_server)
    response = type_code(browser, code)
    assert_refused(browser, response, "expired", language)
    assert ASK_AGAIN[language] in response.content.decode()


def test_a_used_code_gives_a_clear_page(browser, smtp_server, language):
    code = ask(browser, smtp_server)
    assert type_code(browser, code).status_code == 302
    response = type_code(browser, code)
    page = response.content.decode()
    assert response.status_code == 400
    assert SAYS["used"][language] in page and ASK_AGAIN[language] in page


@pytest.mark.parametrize("forged", ["1234 5678", "0000-0000", "not a code", "١٢٣٤٥٦٧٨"])
def test_a_forged_code_gives_a_clear_page(browser, smtp_server, language, forged):
    ask(browser, smtp_server)
    response = type_code(browser, forged)
    assert_refused(browser, response, "wrong", language)


@pytest.mark.parametrize("typed", ["", "9" * 40])
def test_an_empty_or_overlong_code_is_bad_input_with_the_error_summary(
    browser, smtp_server, language, typed
):
    ask(browser, smtp_server)
    response = type_code(browser, typed)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()
    assert browser.get(reverse("securemail:inbox")).status_code == 302


def test_the_code_sent_to_another_address_does_not_open_this_browser(
    browser, smtp_server, language
):
    # The browser asked for a code for one address, then for another: only the latest code of
    # the session counts, so the first address's code is wrong here.
    first_address_code = ask(browser, smtp_server, email="first@example.org")
    second_address_code = ask(browser, smtp_server, email="second@example.org")
    response = type_code(browser, first_address_code)
    assert_refused(browser, response, "wrong", language)
    assert type_code(browser, second_address_code).status_code == 302


def test_tries_are_limited_and_a_new_code_starts_again(browser, smtp_server, settings, language):
    code = ask(browser, smtp_server)
    wrong = f"{(int(code.replace(' ', '')) + 1) % 10**8:08d}"
    for _attempt in range(settings.SECUREMAIL_CODE_MAX_ATTEMPTS - 1):
        assert_refused(browser, type_code(browser, wrong), "wrong", language)
    assert_refused(browser, type_code(browser, wrong), "too_many_tries", language)
    # Past the limit even the right code is refused, and the page says to ask for a new one.
    response = type_code(browser, code)
    assert_refused(browser, response, "too_many_tries", language)
    assert ASK_AGAIN[language] in response.content.decode()
    assert type_code(browser, ask(browser, smtp_server)).status_code == 302


def test_tries_are_limited_per_client_address_across_codes(browser, smtp_server, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "securemail.code_verify.client": (3, 3600)}
    for _attempt in range(3):
        ask(browser, smtp_server)
        type_code(browser, "1111 1111")
    code = ask(browser, smtp_server)
    response = post(browser, reverse("securemail:code"), {"code": code})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert browser.get(reverse("securemail:inbox")).status_code == 302

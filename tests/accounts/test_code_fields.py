"""Code fields at sign-in and enrolment: the phone's keypad, the refused code cleared, and how
long to wait after too many, in the person's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.authenticators import AuthenticatorDevice
from core.ratelimit import try_again_message
from tests.accessibility.html_rules import page_structure
from tests.accounts.helpers import totp_now

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _sign_in(client, user, language="en"):
    client.cookies["django_language"] = language
    return client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})


def _control(html: str, name: str) -> dict:
    return next(item for item in page_structure(html).controls if item.get("name") == name)


def _wrong(device) -> str:
    return f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"


@pytest.mark.parametrize(
    ("language", "wait"),
    [
        ("fi", "Liian monta väärää koodia. Yritä uudelleen 1 sekunnin kuluttua."),
        ("sv", "För många felaktiga koder. Försök igen om 1 sekund."),
    ],
)
def test_a_wrong_code_at_sign_in_is_cleared_and_the_wait_is_said(client, applicant, language, wait):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    _sign_in(client, applicant, language)
    wrong = _wrong(device)

    first = client.post("/accounts/two-factor/", {"token": wrong}).content.decode()
    second = client.post("/accounts/two-factor/", {"token": totp_now(device)}).content.decode()

    token = _control(first, "token")
    assert "value" not in token and wrong not in first
    assert token["autocomplete"] == "one-time-code"
    # Recovery codes hold letters: no digits-only keypad on this field.
    assert "inputmode" not in token
    assert 'class="error-summary"' in first and 'href="#id_token"' in first
    assert wait in second
    assert "value" not in _control(second, "token")


def test_a_wrong_code_at_enrolment_is_cleared_and_the_keypad_shows_digits(client, applicant):
    _sign_in(client, applicant)
    client.get("/accounts/two-factor/setup/")
    device = AuthenticatorDevice.objects.get(user=applicant)
    wrong = _wrong(device)

    page = client.post("/accounts/two-factor/setup/", {"token": wrong}).content.decode()

    token = _control(page, "token")
    assert "value" not in token and wrong not in page
    assert token["inputmode"] == "numeric" and token["autocomplete"] == "one-time-code"
    assert "The code is not right" in page


def test_an_empty_code_asks_for_the_code_in_the_persons_language(client, applicant):
    AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    _sign_in(client, applicant, "fi")
    page = client.post("/accounts/two-factor/", {"token": ""}).content.decode()
    assert '<a href="#id_token">Kirjoita koodi.</a>' in page


@pytest.mark.parametrize(
    ("language", "wait"),
    [
        ("fi", "Yritä uudelleen 15 minuutin kuluttua."),
        ("sv", "Försök igen om 15 minuter."),
        ("en", "Try again in 15 minutes."),
    ],
)
def test_a_locked_sign_in_says_how_long_to_wait(client, applicant, settings, language, wait):
    client.cookies["django_language"] = language
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": applicant.email, "password": "wrong one"})
    response = _sign_in(client, applicant, language)
    assert response.status_code == 429
    assert wait in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "Yritä uudelleen"), ("sv", "Försök igen om"), ("en", "Try again in")],
)
def test_a_rate_limited_form_says_how_long_to_wait(client, settings, language, words):
    settings.RATE_LIMITS = {"accounts.register": (0, 3600)}
    client.cookies["django_language"] = language
    response = client.post(
        "/accounts/register/",
        {
            "email": "someone@example.org",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
            "preferred_language": language,
        },
    )
    assert response.status_code == 429
    # The fixed window ends anywhere within the hour: the page says what the header says.
    with translation.override(language):
        wait = try_again_message(int(response["Retry-After"]))
    assert wait.startswith(words)
    assert wait in response.content.decode()


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/accounts/login/", {"username": "email", "password": "current-password"}),
        (
            "/accounts/register/",
            {"email": "email", "new_password1": "new-password", "new_password2": "new-password"},
        ),
        ("/accounts/password-reset/", {"email": "email"}),
    ],
)
def test_the_account_forms_say_what_each_field_holds(client, url, fields):
    html = client.get(url).content.decode()
    for name, token in fields.items():
        assert _control(html, name)["autocomplete"] == token

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.authenticators import AuthenticatorDevice
from accounts.codes import recovery_code_digest
from audit.models import AuditEvent
from tests.accounts.helpers import recovery_codes_shown, totp_now
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _sign_in(client, user, password=PASSWORD, next_url=None):
    data = {"username": user.email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def _confirm_totp(client, user):
    client.get("/accounts/two-factor/setup/")
    device = AuthenticatorDevice.objects.get(user=user)
    response = client.post("/accounts/two-factor/setup/", {"token": totp_now(device)})
    return device, response


def test_first_sign_in_leads_to_authenticator_setup_with_an_inline_qr_code(client, applicant):
    response = _sign_in(client, applicant)
    assert response["Location"] == "/accounts/two-factor/setup/"

    page = client.get("/accounts/two-factor/setup/")

    device = AuthenticatorDevice.objects.get(user=applicant, confirmed=False)
    content = page.content.decode()
    assert '<svg viewBox="' in content and "<title>" in content
    assert "<img" not in content and "<script" not in content
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] + " " + secret[4:8] in content
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]


def test_reloading_the_setup_page_keeps_the_same_secret(client, applicant):
    _sign_in(client, applicant)
    client.get("/accounts/two-factor/setup/")
    client.get("/accounts/two-factor/setup/")
    assert AuthenticatorDevice.objects.filter(user=applicant).count() == 1


def _statements(client, path) -> list[str]:
    """The statements of one GET, without the savepoints that the test's own transaction adds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_the_setup_page_asks_for_second_factors_once_per_kind_and_names_the_user_from_memory(
    client, applicant
):
    # Session, user, the two kinds of device verification accepts, the unconfirmed device, then
    # on the first visit the new device (user check, insert, sealed secret) and the session.
    # Not otp_totp's table (always empty), not the user again for the QR code.
    _sign_in(client, applicant)
    first = _statements(client, "/accounts/two-factor/setup/")
    assert len(first) <= 9, first
    assert not any("otp_totp_totpdevice" in sql for sql in first)
    again = _statements(client, "/accounts/two-factor/setup/")
    assert len(again) <= 5, again


def test_recovery_codes_alone_count_as_a_second_factor(client, applicant):
    StaticDevice.objects.create(user=applicant, name="Recovery codes", confirmed=True)
    response = _sign_in(client, applicant)
    assert response["Location"] == "/accounts/two-factor/"


def test_a_code_from_the_authenticator_confirms_it_and_shows_ten_recovery_codes_once(
    client, applicant
):
    _sign_in(client, applicant, next_url="/accounts/security/")
    device, response = _confirm_totp(client, applicant)

    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    shown = recovery_codes_shown(response)
    stored = set(StaticToken.objects.filter(device__user=applicant).values_list("token", flat=True))
    assert len(shown) == len(set(shown)) == 10
    assert stored == {recovery_code_digest(code) for code in shown}
    assert "no-store" in response["Cache-Control"]
    assert client.get("/accounts/security/").status_code == 200
    assert AuditEvent.objects.filter(action="account.second_factor_set_up").exists()


def test_a_wrong_authenticator_code_is_refused_at_setup(client, applicant):
    _sign_in(client, applicant)
    client.get("/accounts/two-factor/setup/")
    device = AuthenticatorDevice.objects.get(user=applicant)
    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/two-factor/setup/", {"token": wrong})

    assert response.status_code == 200
    assert b"The code is not right" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/accounts/security/")["Location"].startswith("/accounts/two-factor/setup/")


def test_signing_in_again_asks_for_the_authenticator_code(client, applicant):
    AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    response = _sign_in(client, applicant)
    assert response["Location"] == "/accounts/two-factor/"
    device = AuthenticatorDevice.objects.get(user=applicant)

    response = client.post("/accounts/two-factor/", {"token": totp_now(device)})

    assert response["Location"] == "/applications/"
    assert client.get("/accounts/security/").status_code == 200


def test_a_wrong_authenticator_code_is_refused_and_guessing_is_slowed_down(client, applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    _sign_in(client, applicant)
    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"

    first = client.post("/accounts/two-factor/", {"token": wrong})
    second = client.post("/accounts/two-factor/", {"token": totp_now(device)})

    assert b"The code is not right" in first.content
    # The refused code is not typed back into the field: the person types the new one.
    assert wrong.encode() not in first.content
    # django-otp refuses to check any code for a second after a failure: the page says how long.
    assert second.status_code == 200
    assert b"Too many wrong codes. Try again in 1 second." in second.content
    assert client.get("/accounts/security/").status_code == 302


def test_a_recovery_code_signs_in_once(client, applicant):
    AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    device = StaticDevice.objects.create(user=applicant, name="Recovery codes", confirmed=True)
    device.token_set.create(token=recovery_code_digest("abcd2345"))
    device.token_set.create(token=recovery_code_digest("efgh6723"))
    _sign_in(client, applicant)

    response = client.post("/accounts/two-factor/", {"token": "ABCD 2345"})
    assert response["Location"] == "/applications/"
    client.post("/accounts/logout/")

    _sign_in(client, applicant)
    again = client.post("/accounts/two-factor/", {"token": "abcd2345"})
    assert again.status_code == 200
    assert b"The code is not right" in again.content
    assert list(device.token_set.values_list("token", flat=True)) == [
        recovery_code_digest("efgh6723")
    ]


def test_no_recovery_code_shown_at_setup_is_stored_in_clear_and_each_signs_in_once(
    client, applicant
):
    _sign_in(client, applicant)
    device, response = _confirm_totp(client, applicant)
    shown = recovery_codes_shown(response)
    stored = list(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not set(stored) & set(shown)
    assert not any(code in token for code in shown for token in stored)
    client.post("/accounts/logout/")

    _sign_in(client, applicant)
    first = client.post("/accounts/two-factor/", {"token": shown[0].upper()})
    assert first["Location"] == "/applications/"
    client.post("/accounts/logout/")
    _sign_in(client, applicant)
    # The stored digest itself is not a code: a copy of the table does not sign anyone in.
    by_digest = client.post("/accounts/two-factor/", {"token": stored[1]})
    assert b"The code is not right" in by_digest.content
    device = StaticDevice.objects.get(user=applicant)
    device.throttle_reset()
    again = client.post("/accounts/two-factor/", {"token": shown[0]})
    assert b"The code is not right" in again.content
    assert client.get("/accounts/security/").status_code == 302
    assert StaticToken.objects.filter(device__user=applicant).count() == 9


def test_personal_pages_redirect_to_the_second_factor_before_it_is_passed(client, applicant):
    AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    _sign_in(client, applicant)
    response = client.get("/accounts/security/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Faccounts%2Fsecurity%2F"


def test_the_next_address_is_followed_only_within_the_site(client, applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    _sign_in(client, applicant)
    response = client.post(
        "/accounts/two-factor/", {"token": totp_now(device), "next": "https://evil.example/x"}
    )
    assert response["Location"] == "/applications/"


def test_the_next_address_is_followed_after_both_steps(client, applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    response = _sign_in(client, applicant, next_url="/accounts/security/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Faccounts%2Fsecurity%2F"
    response = client.post(
        "/accounts/two-factor/", {"token": totp_now(device), "next": "/accounts/security/"}
    )
    assert response["Location"] == "/accounts/security/"


@pytest.mark.parametrize(
    ("role", "home"),
    [("applicant", "/applications/"), ("administrator", "/audit/"), ("caseworker", "/casework/")],
)
def test_each_role_lands_on_its_own_page(client, make_user, role, home):
    user = make_user(role=role)
    device = AuthenticatorDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, user)
    assert client.post("/accounts/two-factor/", {"token": totp_now(device)})["Location"] == home


def test_a_wrong_password_gives_one_message_for_known_and_unknown_addresses(client, applicant):
    known = client.post("/accounts/login/", {"username": applicant.email, "password": "wrong one"})
    unknown = client.post(
        "/accounts/login/", {"username": "nobody@example.org", "password": "wrong one"}
    )
    assert known.status_code == unknown.status_code == 200
    assert b"The email address or the password is not right" in known.content
    assert b"The email address or the password is not right" in unknown.content
    failures = AuditEvent.objects.filter(action="account.sign_in_failed")
    assert failures.count() == 2
    assert {event.object_id for event in failures} == {str(applicant.pk), ""}
    for event in failures:
        assert applicant.email not in str(event.details)


def test_an_unverified_address_is_verified_before_the_second_factor(client, make_user):
    user = make_user(email_verified_at=None)
    assert _sign_in(client, user)["Location"] == "/accounts/verify-email/"
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/verify-email/"


def test_an_account_is_locked_after_the_failure_limit(client, applicant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, applicant, password="wrong password")
    response = _sign_in(client, applicant)
    assert response.status_code == 429
    assert b"Signing in is paused" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_the_failure_limit_across_accounts(client, make_user, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": f"guess{number}@example.org", "password": "x" * 12}
        )
    victim = make_user()
    response = _sign_in(client, victim)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_can_still_sign_in_while_one_is_locked(client, applicant, settings):
    from django.test import Client

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "someone@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
        )
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert _sign_in(other, applicant)["Location"] == "/accounts/two-factor/setup/"


def test_sign_out_is_a_post_and_ends_the_session(client, applicant):
    sign_in_with_second_factor(client, applicant)
    assert client.get("/accounts/logout/").status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/accounts/security/")["Location"].startswith("/accounts/login/")

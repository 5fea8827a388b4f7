import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.authenticators import AuthenticatorDevice
from accounts.models import User
from audit.models import AuditEvent
from tests.accounts.helpers import totp_now
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_a_session_idle_longer_than_the_limit_is_signed_out(applicant_client, settings):
    assert applicant_client.get("/accounts/security/").status_code == 200
    session = applicant_client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_SECONDS - 1
    session.save()

    response = applicant_client.get("/accounts/security/")

    assert response["Location"].startswith("/accounts/login/")
    login_page = applicant_client.get(response["Location"])
    assert b"You were signed out because you were inactive" in login_page.content


def test_an_active_session_stays_signed_in(applicant_client, settings):
    session = applicant_client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_SECONDS + 60
    session.save()
    assert applicant_client.get("/accounts/security/").status_code == 200


def test_pages_within_a_minute_of_each_other_do_not_write_the_session(applicant_client):
    assert applicant_client.get("/accounts/security/").status_code == 200
    recorded = applicant_client.session["last_activity"]

    with CaptureQueriesContext(connection) as queries:
        assert applicant_client.get("/accounts/security/").status_code == 200

    assert not [
        query
        for query in queries
        if "accounts_session" in query["sql"] and "UPDATE" in query["sql"]
    ]
    assert applicant_client.session["last_activity"] == recorded


def test_activity_is_written_again_once_the_last_record_is_a_minute_old(applicant_client):
    session = applicant_client.session
    session["last_activity"] = int(time.time()) - 61
    session.save()

    assert applicant_client.get("/accounts/security/").status_code == 200

    assert applicant_client.session["last_activity"] >= int(time.time()) - 1


def test_signing_out_everywhere_ends_the_other_sessions_and_this_one(applicant):
    laptop = sign_in_with_second_factor(Client(), applicant)
    phone = sign_in_with_second_factor(Client(), applicant)
    assert phone.get("/accounts/security/").status_code == 200

    response = laptop.post("/accounts/security/", {"action": "sign_out_everywhere"})

    assert response["Location"] == "/accounts/login/"
    assert phone.get("/accounts/security/")["Location"].startswith("/accounts/login/")
    assert laptop.get("/accounts/security/")["Location"].startswith("/accounts/login/")
    assert User.objects.get(pk=applicant.pk).session_generation == 1
    assert AuditEvent.objects.filter(action="account.signed_out_everywhere").count() == 1


def test_a_post_with_a_bad_csrf_token_is_refused_without_a_crash(applicant):
    client = sign_in_with_second_factor(Client(enforce_csrf_checks=True), applicant)
    response = client.post("/accounts/security/", {"action": "sign_out_everywhere"})
    assert response.status_code == 403
    assert User.objects.get(pk=applicant.pk).session_generation == 0


def test_posting_to_the_security_page_after_the_session_expired_asks_to_sign_in(applicant):
    client = sign_in_with_second_factor(Client(), applicant)
    client.cookies.clear()
    response = client.post("/accounts/security/", {"action": "sign_out_everywhere"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "data",
    [
        {"action": "password", "password-current_password": ["a", "b"]},
        {"action": "recovery_codes", "recovery-token": "x" * 500},
        {"action": "language", "language-preferred_language": "xx"},
        {"action": "something else"},
        {},
    ],
)
def test_tampered_security_posts_answer_without_a_crash(applicant_client, data):
    response = applicant_client.post("/accounts/security/", data)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/login/", {"username": "x" * 5000, "password": ""}),
        ("/accounts/login/", {"username": "a@example.org", "password": "p", "next": "//evil"}),
        ("/accounts/two-factor/", {"token": "1" * 5000}),
        ("/accounts/verify-email/", {"action": "verify", "code": "\x00"}),
        ("/accounts/password-reset/", {"email": "not an address"}),
        ("/accounts/password-reset/code/", {"code": "123"}),
        ("/accounts/password-reset/new/", {"new_password1": "x"}),
        ("/accounts/logout/", {}),
        ("/i18n/setlang/", {"language": "klingon", "next": "https://evil.example/"}),
    ],
)
def test_tampered_or_out_of_order_posts_never_crash(client, path, data):
    response = client.post(path, data)
    assert response.status_code < 500


def test_a_double_submitted_second_factor_code_does_not_crash(client, applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    client.post(
        "/accounts/login/",
        {"username": applicant.email, "password": "correct horse battery staple"},
    )
    code = totp_now(device)
    first = client.post("/accounts/two-factor/", {"token": code})
    second = client.post("/accounts/two-factor/", {"token": code})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/applications/"


def test_a_double_submitted_registration_creates_one_account(
    client, django_capture_on_commit_callbacks
):
    data = {
        "email": "twice@example.org",
        "new_password1": "purple elephants dance quietly",
        "new_password2": "purple elephants dance quietly",
        "preferred_language": "en",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/accounts/register/", data)
        second = client.post("/accounts/register/", data)
    assert first.status_code == second.status_code == 302
    assert User.objects.filter(email="twice@example.org").count() == 1

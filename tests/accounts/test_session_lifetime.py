"""A session ends a fixed time after signing in, however active it is."""

import time

import pytest
from django.test import Client

from accounts.middleware import SessionLifetimeMiddleware

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
STARTED = SessionLifetimeMiddleware.started_key


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[STARTED] = int(time.time()) - seconds
    session["last_activity"] = int(time.time())  # active a moment ago
    session.save()


def test_signing_in_records_when_the_session_began(applicant):
    client = Client()
    before = int(time.time())
    client.post("/accounts/login/", {"username": applicant.email, "password": PASSWORD})
    assert before <= client.session[STARTED] <= int(time.time())


def test_an_active_session_older_than_the_absolute_lifetime_is_ended(applicant_client, settings):
    assert applicant_client.get("/accounts/security/").status_code == 200
    _age_session(applicant_client, settings.SESSION_ABSOLUTE_LIFETIME_SECONDS + 1)

    response = applicant_client.get("/accounts/security/")

    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in applicant_client.session
    login_page = applicant_client.get(response["Location"])
    assert b"signed in for a long time" in login_page.content


def test_a_session_within_the_absolute_lifetime_continues(applicant_client, settings):
    applicant_client.get("/accounts/security/")
    _age_session(applicant_client, settings.SESSION_ABSOLUTE_LIFETIME_SECONDS - 60)
    assert applicant_client.get("/accounts/security/").status_code == 200


def test_the_lifetime_is_a_setting(applicant_client, settings):
    settings.SESSION_ABSOLUTE_LIFETIME_SECONDS = 60
    applicant_client.get("/accounts/security/")
    _age_session(applicant_client, 61)
    assert applicant_client.get("/accounts/security/").status_code == 302

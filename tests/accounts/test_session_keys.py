"""A session key known before signing in (planted, or seen) is worthless after each step."""

import pytest
from django.conf import settings

from accounts.authenticators import AuthenticatorDevice
from accounts.sessions import SessionStore
from tests.accounts.helpers import totp_now

pytestmark = pytest.mark.django_db


def _session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_session_key_changes_at_the_password_and_again_at_the_second_factor(client, applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    client.get("/accounts/login/")
    session = client.session
    session["planted"] = True
    session.save()
    planted = _session_key(client)

    client.post(
        "/accounts/login/",
        {"username": applicant.email, "password": "correct horse battery staple"},
    )
    after_password = _session_key(client)
    response = client.post("/accounts/two-factor/", {"token": totp_now(device)})
    after_second_factor = _session_key(client)

    assert response["Location"] == "/applications/"
    assert len({planted, after_password, after_second_factor}) == 3
    assert not SessionStore().exists(planted)
    assert not SessionStore().exists(after_password)

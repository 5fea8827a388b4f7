"""The public account forms that send mail or take codes are rate-limited per client address."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.views.registration import PENDING_EMAIL_SESSION_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "purple elephants dance quietly"


def _register(client, email):
    return client.post(
        "/accounts/register/",
        {
            "email": email,
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
            "preferred_language": "en",
        },
    )


def test_registrations_from_one_address_past_the_limit_are_refused_and_mail_nobody(
    client, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {"accounts.register": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        assert _register(client, "first@example.org").status_code == 302
        assert _register(client, "second@example.org").status_code == 302
        refused = _register(client, "third@example.org")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert b"Too many attempts" in refused.content
    assert not User.objects.filter(email="third@example.org").exists()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "first@example.org",
        "second@example.org",
    ]


def test_the_limit_counts_per_client_address(settings):
    settings.RATE_LIMITS = {"accounts.register": (1, 3600)}
    one, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert _register(one, "first@example.org").status_code == 302
    assert _register(one, "second@example.org").status_code == 429
    assert _register(other, "third@example.org").status_code == 302


def test_the_registration_page_itself_is_never_refused(client, settings):
    settings.RATE_LIMITS = {"accounts.register": (1, 3600)}
    _register(client, "first@example.org")
    _register(client, "second@example.org")
    assert client.get("/accounts/register/").status_code == 200


def test_password_reset_requests_past_the_limit_are_refused_and_mail_nobody(
    client, make_user, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {"accounts.password_reset": (2, 3600)}
    users = [make_user(email=f"person{number}@example.org") for number in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for user in users[:2]:
            response = client.post("/accounts/password-reset/", {"email": user.email})
            assert response.status_code == 302
        refused = client.post("/accounts/password-reset/", {"email": users[2].email})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert users[2].email not in [message.to[0] for message in mail.outbox]


def test_password_reset_codes_past_the_limit_are_refused(client, applicant, settings):
    settings.RATE_LIMITS = {"accounts.password_reset_code": (2, 3600)}
    client.post("/accounts/password-reset/", {"email": applicant.email})
    for _ in range(2):
        response = client.post("/accounts/password-reset/code/", {"code": "00000000"})
        assert response.status_code == 200
    assert client.post("/accounts/password-reset/code/", {"code": "00000000"}).status_code == 429


def test_email_codes_and_resends_past_the_limit_are_refused(
    client, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {"accounts.verify_email": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, "new.person@example.org")
    assert client.session[PENDING_EMAIL_SESSION_KEY] == "new.person@example.org"
    client.post("/accounts/verify-email/", {"action": "verify", "code": "00000000"})
    client.post("/accounts/verify-email/", {"action": "resend"})

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/accounts/verify-email/", {"action": "resend"})

    assert refused.status_code == 429
    assert len(mail.outbox) == 1

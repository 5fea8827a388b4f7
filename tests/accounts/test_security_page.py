import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.authenticators import AuthenticatorDevice
from accounts.codes import recovery_code_digest
from audit.models import AuditEvent
from tests.accounts.helpers import recovery_codes_shown, totp_now
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "another quite long passphrase"


def _change(client, current=OLD, new=NEW, again=None):
    return client.post(
        "/accounts/security/",
        {
            "action": "password",
            "password-current_password": current,
            "password-new_password1": new,
            "password-new_password2": new if again is None else again,
        },
    )


def test_the_security_page_is_shown_and_recorded(applicant_client, applicant):
    response = applicant_client.get("/accounts/security/")
    assert response.status_code == 200
    assert b"Recovery codes" in response.content
    assert AuditEvent.objects.filter(action="account.security_viewed", actor=applicant).exists()


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    applicant_client, applicant, django_capture_on_commit_callbacks
):
    other = sign_in_with_second_factor(Client(), applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(applicant_client)
    assert response["Location"] == "/accounts/security/"
    applicant.refresh_from_db()
    assert applicant.check_password(NEW)
    assert applicant_client.get("/accounts/security/").status_code == 200
    assert other.get("/accounts/security/")["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action="account.password_changed").count() == 1
    assert mail.outbox[-1].subject == "Your password was changed"


def test_a_wrong_current_password_is_refused(applicant_client, applicant):
    response = _change(applicant_client, current="not my password")
    assert response.status_code == 200
    assert b"The current password is not right" in response.content
    applicant.refresh_from_db()
    assert applicant.check_password(OLD)


def test_a_common_new_password_is_refused(applicant_client, applicant):
    response = _change(applicant_client, new="password1234")
    assert b"This password is too common" in response.content
    applicant.refresh_from_db()
    assert applicant.check_password(OLD)


def test_new_recovery_codes_need_a_fresh_authenticator_code(applicant_client, applicant):
    device = AuthenticatorDevice.objects.get(user=applicant)
    static = StaticDevice.objects.create(user=applicant, name="Recovery codes", confirmed=True)
    old = recovery_code_digest("oldcode1")
    static.token_set.create(token=old)

    refused = applicant_client.post(
        "/accounts/security/", {"action": "recovery_codes", "recovery-token": "oldcode1"}
    )
    assert b"The code is not right" in refused.content
    assert StaticToken.objects.filter(token=old).exists()

    response = applicant_client.post(
        "/accounts/security/", {"action": "recovery_codes", "recovery-token": totp_now(device)}
    )
    assert response.status_code == 200
    tokens = list(
        StaticToken.objects.filter(device__user=applicant).values_list("token", flat=True)
    )
    shown = recovery_codes_shown(response)
    assert len(tokens) == 10 and old not in tokens
    assert set(tokens) == {recovery_code_digest(code) for code in shown}
    assert not set(tokens) & set(shown)
    assert AuditEvent.objects.filter(action="account.recovery_codes_regenerated").exists()


def test_the_preferred_language_is_saved_on_the_security_page(applicant_client, applicant):
    response = applicant_client.post(
        "/accounts/security/", {"action": "language", "language-preferred_language": "sv"}
    )
    assert response["Location"] == "/accounts/security/"
    applicant.refresh_from_db()
    assert applicant.preferred_language == "sv"
    assert response.cookies["django_language"].value == "sv"


def test_the_security_page_needs_both_factors(client, applicant):
    client.force_login(applicant)
    response = client.get("/accounts/security/")
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Faccounts%2Fsecurity%2F"

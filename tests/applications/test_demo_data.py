"""Demo data: idempotent, known secrets that work, and never outside development or test mode."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from accounts.authenticators import AuthenticatorDevice
from accounts.codes import recovery_code_digest
from accounts.models import User
from accounts.services import second_factor_verify
from applications.demo import DEMO_ACCOUNTS
from applications.models import Application, CaseEvent, Status

pytestmark = pytest.mark.django_db


def load(port: int | None = None) -> str:
    out = io.StringIO()
    call_command("load_demo_data", *(["--port", str(port)] if port else []), stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("email", "password", "role", "is_staff")),
        "applications": sorted(
            Application.objects.values_list("id", "status", "case_number", "updated_at")
        ),
        "events": CaseEvent.objects.count(),
        "totp": sorted(
            AuthenticatorDevice.objects.values_list("user__email", "key_sealed", "confirmed")
        ),
        "tokens": sorted(StaticToken.objects.values_list("device__user__email", "token")),
    }


def test_running_twice_changes_nothing():
    load()
    first = snapshot()
    load()
    assert snapshot() == first


def test_it_creates_the_accounts_and_applications_in_each_state():
    output = load(port=8123)
    assert "http://localhost:8123/" in output
    for account in DEMO_ACCOUNTS:
        assert account.email in output and account.password in output
        assert account.totp_key_base32 in output
        user = User.objects.get(email=account.email)
        assert user.check_password(account.password) and user.email_verified
    statuses = set(Application.objects.values_list("status", flat=True))
    # The back office's demo moves some submitted cases on: every state of the life of a case.
    assert statuses == {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.IN_PROCESSING,
        Status.WAITING_FOR_SUPPLEMENT,
        Status.DECIDED,
    }
    assert Application.objects.filter(applicant__email="applicant@demo.invalid").count() == 4


def test_the_printed_totp_key_produces_codes_the_device_accepts():
    output = load()
    account = DEMO_ACCOUNTS[0]
    key = base64.b32decode(account.totp_key_base32)
    assert account.totp_key_base32 in output
    device = AuthenticatorDevice.objects.get(user__email=account.email)
    assert device.verify_token(f"{totp(key):06d}")


def test_the_printed_recovery_codes_are_stored_only_as_digests():
    output = load()
    for account in DEMO_ACCOUNTS:
        stored = set(
            StaticToken.objects.filter(device__user__email=account.email).values_list(
                "token", flat=True
            )
        )
        assert all(code in output for code in account.recovery_codes)
        assert stored == {recovery_code_digest(code) for code in account.recovery_codes}
        assert not stored & set(account.recovery_codes)


def test_a_used_recovery_code_is_recreated_on_the_next_run():
    load()
    account = DEMO_ACCOUNTS[0]
    user = User.objects.get(email=account.email)
    assert second_factor_verify(user=user, token=account.recovery_codes[0]).device is not None
    assert second_factor_verify(user=user, token=account.recovery_codes[0]).device is None
    load()
    assert StaticToken.objects.filter(
        device__user=user, token=recovery_code_digest(account.recovery_codes[0])
    ).exists()
    assert StaticToken.objects.filter(device__user=user).count() == len(account.recovery_codes)


def test_a_changed_demo_password_is_set_back():
    load()
    user = User.objects.get(email="applicant@demo.invalid")
    user.set_password("something else entirely")
    user.save()
    load()
    user.refresh_from_db()
    assert user.check_password(DEMO_ACCOUNTS[0].password)


def test_it_refuses_to_run_in_production(settings):
    settings.MODE = "production"
    with pytest.raises(CommandError, match="development or test"):
        load()
    assert not User.objects.exists()

"""Authenticator secrets are sealed at rest, bound to their row, and follow key rotation."""

from __future__ import annotations

import base64
import importlib
import os
from binascii import hexlify

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.authenticators import AuthenticatorDevice
from accounts.services import second_factor_verify
from core.crypto import DecryptionError, sealed_key_id
from tests.accounts.helpers import totp_now

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _every_stored_value() -> list[bytes]:
    """Every value in every table of the database, as bytes."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        values.append(bytes(value))
                    elif value is not None:
                        values.append(str(value).encode())
    return values


def _forms_of(secret: bytes) -> list[bytes]:
    return [
        secret,
        hexlify(secret),
        hexlify(secret).upper(),
        base64.b32encode(secret),
        base64.b32encode(secret).rstrip(b"="),
        base64.b64encode(secret),
    ]


def test_no_form_of_the_secret_is_in_the_database_after_enrolment(applicant):
    client = Client()
    client.post("/accounts/login/", {"username": applicant.email, "password": PASSWORD})
    client.get("/accounts/two-factor/setup/")
    device = AuthenticatorDevice.objects.get(user=applicant)
    response = client.post("/accounts/two-factor/setup/", {"token": totp_now(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    secret = device.bin_key
    assert len(secret) == 20
    stored = _every_stored_value()
    for form in _forms_of(secret):
        assert not any(form in value for value in stored), form
    assert not TOTPDevice.objects.exists()


def test_sign_in_with_the_authenticator_still_works(applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    client = Client()
    client.post("/accounts/login/", {"username": applicant.email, "password": PASSWORD})
    fresh = AuthenticatorDevice.objects.get(pk=device.pk)
    response = client.post("/accounts/two-factor/", {"token": totp_now(fresh)})
    assert response.status_code == 302
    assert client.get("/accounts/security/").status_code == 200


def test_django_otp_refuses_a_replayed_code_and_throttles_wrong_ones(applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    code = totp_now(device)
    assert second_factor_verify(user=applicant, token=code).device == device
    assert second_factor_verify(user=applicant, token=code).device is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_sealed_secret_copied_to_another_row_does_not_open(applicant, other_applicant):
    mine = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    theirs = AuthenticatorDevice.objects.create(user=other_applicant, name="app", confirmed=True)
    AuthenticatorDevice.objects.filter(pk=theirs.pk).update(key_sealed=mine.key_sealed)
    with pytest.raises(DecryptionError):
        _ = AuthenticatorDevice.objects.get(pk=theirs.pk).bin_key


def test_after_rotation_and_removal_of_the_old_key_the_device_still_verifies(applicant, settings):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    secret = device.bin_key
    old_spec = settings.KEY_ENCRYPTION_KEYS
    new_spec = f"rotated:{_new_key()}"

    settings.KEY_ENCRYPTION_KEYS = f"{new_spec},{old_spec}"
    call_command("rewrap_data_keys")
    settings.KEY_ENCRYPTION_KEYS = new_spec

    reloaded = AuthenticatorDevice.objects.get(pk=device.pk)
    assert sealed_key_id(bytes(reloaded.key_sealed)) == "rotated"
    assert reloaded.bin_key == secret
    assert second_factor_verify(user=applicant, token=f"{totp(secret):06d}").device == reloaded


def test_verifying_a_code_does_not_write_back_a_key_that_rotation_replaced(applicant, settings):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    code = totp_now(device)
    loaded = AuthenticatorDevice.objects.get(pk=device.pk)
    _ = loaded.bin_key
    settings.KEY_ENCRYPTION_KEYS = f"rotated:{_new_key()},{settings.KEY_ENCRYPTION_KEYS}"
    call_command("rewrap_data_keys")

    assert loaded.verify_token(code)  # saves the device: last_t, drift, throttling

    stored = AuthenticatorDevice.objects.get(pk=device.pk)
    assert sealed_key_id(bytes(stored.key_sealed)) == "rotated"
    assert stored.last_t > -1


def test_the_migration_seals_clear_secrets_and_empties_the_clear_table(applicant):
    migration = importlib.import_module("accounts.migrations.0005_seal_totp_secrets")
    clear = TOTPDevice.objects.create(user=applicant, name="Phone", confirmed=True, drift=1)
    secret = clear.bin_key

    assert migration.seal_clear_secrets(TOTPDevice, AuthenticatorDevice) == 1

    assert not TOTPDevice.objects.exists()
    device = AuthenticatorDevice.objects.get(user=applicant)
    assert (device.name, device.confirmed, device.drift) == ("Phone", True, 1)
    assert device.bin_key == secret
    assert hexlify(secret) not in bytes(device.key_sealed)


def test_the_owner_is_told_by_email_when_an_authenticator_is_set_up(
    applicant, django_capture_on_commit_callbacks
):
    from django.core import mail

    client = Client()
    client.post("/accounts/login/", {"username": applicant.email, "password": PASSWORD})
    client.get("/accounts/two-factor/setup/")
    device = AuthenticatorDevice.objects.get(user=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/two-factor/setup/", {"token": totp_now(device)})

    [notice] = [message for message in mail.outbox if message.to == [applicant.email]]
    assert "authenticator app was just set up" in notice.body
    assert "choose a new password" in notice.body

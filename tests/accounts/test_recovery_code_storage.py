"""Recovery codes stored before digests were introduced are converted once, in place."""

import importlib

import pytest
from django.apps import apps
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.codes import recovery_code_digest
from accounts.services import second_factor_verify

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0003_hash_recovery_codes")


def test_the_migration_replaces_clear_codes_by_the_digest_sign_in_checks(applicant):
    device = StaticDevice.objects.create(user=applicant, name="Recovery codes", confirmed=True)
    device.token_set.create(token="abcd2345")
    device.token_set.create(token="demoapplicant01")

    migration.hash_recovery_codes(apps, None)
    migration.hash_recovery_codes(apps, None)

    assert set(device.token_set.values_list("token", flat=True)) == {
        recovery_code_digest("abcd2345"),
        recovery_code_digest("demoapplicant01"),
    }
    assert second_factor_verify(user=applicant, token="ABCD 2345").device == device
    assert device.token_set.count() == 1


def test_the_digest_ignores_spaces_and_case_but_not_the_code():
    assert recovery_code_digest(" AbCd 2345\n") == recovery_code_digest("abcd2345")
    assert recovery_code_digest("abcd2346") != recovery_code_digest("abcd2345")
    assert len(recovery_code_digest("abcd2345")) == 16


def test_the_digest_depends_on_the_secret_key(settings):
    before = recovery_code_digest("abcd2345")
    settings.SECRET_KEY = "another secret key that is long enough for the checks, " * 2
    assert recovery_code_digest("abcd2345") != before

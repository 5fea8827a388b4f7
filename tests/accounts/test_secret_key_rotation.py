"""Rotating SECRET_KEY (README, "Rotating the secret key") signs nobody out and locks nobody out
while the old key is in SECRET_KEY_FALLBACKS; without it, what was made under it stops working."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.db import transaction
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.codes import code_consume, code_issue
from accounts.models import CodePurpose
from accounts.services import recovery_codes_generate, second_factor_verify
from tests.conftest import sign_in_with_second_factor
from tests.secret_key_rotation import OLD_KEY, after_rotation, before_rotation

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGE = "/accounts/security/"


def test_the_fallback_session_hash_is_ours_under_the_old_key(applicant):
    with before_rotation():
        under_old_key = applicant.get_session_auth_hash()
    with after_rotation():
        assert applicant.get_session_auth_hash() != under_old_key
        assert list(applicant.get_session_auth_fallback_hash()) == [under_old_key]


def test_a_signed_in_session_survives_the_rotation_and_moves_to_the_new_key(client, applicant):
    with before_rotation():
        sign_in_with_second_factor(client, applicant)
        assert client.get(SIGNED_IN_PAGE).status_code == 200
        old_session_key = client.session.session_key

    with after_rotation():
        assert client.get(SIGNED_IN_PAGE).status_code == 200
        assert client.session[HASH_SESSION_KEY] == applicant.get_session_auth_hash()
        assert client.session.session_key != old_session_key

    # Upgraded: the session no longer needs the old key.
    with after_rotation(fallback=False):
        assert client.get(SIGNED_IN_PAGE).status_code == 200


def test_a_session_of_the_old_key_is_signed_out_without_the_fallback(client, applicant):
    with before_rotation():
        sign_in_with_second_factor(client, applicant)
        assert client.get(SIGNED_IN_PAGE).status_code == 200

    with after_rotation(fallback=False):
        response = client.get(SIGNED_IN_PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signing_out_everywhere_still_ends_a_session_of_the_old_key(client, applicant):
    with before_rotation():
        sign_in_with_second_factor(client, applicant)
    applicant.session_generation += 1
    applicant.save(update_fields=["session_generation"])

    with after_rotation():
        assert client.get(SIGNED_IN_PAGE).status_code == 302


@pytest.mark.parametrize(("fallback", "accepted"), [(True, True), (False, False)])
def test_an_emailed_code_of_the_old_key_works_only_with_the_fallback(applicant, fallback, accepted):
    with before_rotation():
        code = code_issue(user=applicant, purpose=CodePurpose.PASSWORD_RESET)
    with after_rotation(fallback=fallback), transaction.atomic():
        assert (
            code_consume(user=applicant, purpose=CodePurpose.PASSWORD_RESET, code=code) is accepted
        )


def test_recovery_codes_of_the_old_key_keep_working_after_the_rotation(applicant):
    with before_rotation():
        codes = recovery_codes_generate(user=applicant)
    device = StaticDevice.objects.get(user=applicant)

    with after_rotation():
        assert second_factor_verify(user=applicant, token=codes[0]).device == device
        # Single use, whichever key it was made under.
        assert second_factor_verify(user=applicant, token=codes[0]).device is None
        assert device.token_set.count() == 9


def test_a_wrong_recovery_code_counts_once_however_many_keys_are_tried(applicant):
    with before_rotation():
        recovery_codes_generate(user=applicant)
    with after_rotation():
        assert second_factor_verify(user=applicant, token="wrongcode").device is None
    assert StaticDevice.objects.get(user=applicant).throttling_failure_count == 1


def test_recovery_codes_of_the_old_key_fail_once_the_fallback_is_dropped(applicant):
    with before_rotation():
        codes = recovery_codes_generate(user=applicant)
    with after_rotation(fallback=False):
        assert second_factor_verify(user=applicant, token=codes[0]).device is None


def test_recovery_codes_pinned_to_the_old_key_outlive_the_fallback(applicant):
    with before_rotation():
        codes = recovery_codes_generate(user=applicant)
    with after_rotation(fallback=False), override_settings(RECOVERY_CODE_KEY=OLD_KEY):
        assert second_factor_verify(user=applicant, token=codes[0]).device is not None
        new_codes = recovery_codes_generate(user=applicant)
    # New codes are made under the pinned key too, whatever SECRET_KEY is later.
    with before_rotation(), override_settings(RECOVERY_CODE_KEY=OLD_KEY):
        assert second_factor_verify(user=applicant, token=new_codes[0]).device is not None

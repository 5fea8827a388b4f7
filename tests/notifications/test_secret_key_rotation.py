"""Rotating SECRET_KEY: verification codes printed in notifications and the "recently sent" record
of an address still answer while the old key is a fallback (or, for codes, its own key is set)."""

from datetime import timedelta

import pytest
from django.test import override_settings

from notifications.selectors import email_recently_sent
from notifications.services import email_send
from notifications.verification import verification_code_check, verification_code_issue
from tests.secret_key_rotation import OLD_KEY, after_rotation, before_rotation

pytestmark = pytest.mark.django_db

READER = "reader@example.org"


@pytest.mark.parametrize(("fallback", "answers"), [(True, True), (False, False)])
def test_a_printed_code_of_the_old_key_answers_only_with_the_fallback(fallback, answers):
    with before_rotation():
        code = verification_code_issue(recipient=READER, channel="email", kind="test")
    with after_rotation(fallback=fallback):
        assert (verification_code_check(code=code, recipient=READER) is not None) is answers
        assert (verification_code_check(code=code, recipient=None) is not None) is answers
        assert verification_code_check(code=code, recipient="someone@example.org") is None


def test_printed_codes_keyed_by_their_own_setting_ignore_the_rotation():
    with before_rotation(), override_settings(TRUST_VERIFICATION_CODE_KEY=OLD_KEY):
        code = verification_code_issue(recipient=READER, channel="email", kind="test")
    with after_rotation(fallback=False), override_settings(TRUST_VERIFICATION_CODE_KEY=OLD_KEY):
        assert verification_code_check(code=code, recipient=READER) is not None


@pytest.mark.parametrize(("fallback", "recorded"), [(True, True), (False, False)])
def test_mail_sent_under_the_old_key_counts_as_recently_sent_with_the_fallback(fallback, recorded):
    with before_rotation():
        email_send(
            to=READER, subject="s", text_body="t", html_body=None, language="en", kind="notice"
        )
    with after_rotation(fallback=fallback):
        sent = email_recently_sent(to=READER, kind="notice", within=timedelta(hours=1))
    assert sent is recorded

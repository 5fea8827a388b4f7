"""Rotating SECRET_KEY: a code sent or a session verified under the old key works while it is a
fallback; conversations move to the new key, so their correspondent finds them after it is gone."""

from __future__ import annotations

import re

import pytest

from securemail.access import (
    AccessCodeRefused,
    access_code_request,
    access_code_verify,
    correspondents_rehash,
    email_hash,
    verified_access,
)
from securemail.models import Conversation
from securemail.selectors import conversations_for_correspondent
from tests.secret_key_rotation import after_rotation, before_rotation
from tests.securemail.conftest import SENDER

pytestmark = pytest.mark.django_db

BINDING = "r" * 43
CLIENT = "192.0.2.7"


@pytest.fixture
def request_code(smtp_server, django_capture_on_commit_callbacks):
    def _request():
        smtp_server.clear()
        with django_capture_on_commit_callbacks(execute=True):
            access_code_request(email=SENDER, binding=BINDING, client_key=CLIENT, language="en")
        [mail] = smtp_server.outbox
        return re.search(r"\b(\d{4} \d{4})\b", mail.text).group(1)

    return _request


def _verify(code: str):
    return access_code_verify(binding=BINDING, code=code, client_key=CLIENT)


def test_a_code_sent_under_the_old_key_opens_securemail_after_the_rotation(request_code):
    with before_rotation():
        code = request_code()
    with after_rotation():
        access = _verify(code)
        assert access.email == SENDER
        assert access.email_hash == email_hash(SENDER)
        assert verified_access(binding=BINDING) == access


def test_a_code_sent_under_the_old_key_is_refused_without_the_fallback(request_code):
    with before_rotation():
        code = request_code()
    with after_rotation(fallback=False), pytest.raises(AccessCodeRefused):
        _verify(code)


def test_a_session_verified_under_the_old_key_lasts_only_while_it_is_a_fallback(request_code):
    with before_rotation():
        access = _verify(request_code())
    with after_rotation():
        assert verified_access(binding=BINDING).access_code_id == access.access_code_id
    with after_rotation(fallback=False):
        assert verified_access(binding=BINDING) is None


def test_the_correspondent_finds_old_conversations_when_verifying_after_the_rotation(
    request_code, start_conversation
):
    with before_rotation():
        old = start_conversation(email=SENDER)
        code = request_code()
    with after_rotation():
        access = _verify(code)
        assert list(conversations_for_correspondent(email_hash=access.email_hash)) == [old]
    # Moved to the new key: found once the fallback is dropped.
    with after_rotation(fallback=False):
        assert list(conversations_for_correspondent(email_hash=email_hash(SENDER))) == [old]


def test_a_session_verified_before_the_rotation_sees_old_and_new_conversations(
    request_code, start_conversation
):
    with before_rotation():
        old = start_conversation(email=SENDER)
        _verify(request_code())
    with after_rotation():
        new = start_conversation(email=SENDER)
        access = verified_access(binding=BINDING)
        assert set(conversations_for_correspondent(email_hash=access.email_hash)) == {old, new}


def test_conversations_of_correspondents_who_do_not_come_back_are_rehashed(start_conversation):
    with before_rotation():
        old = start_conversation(email=SENDER)
        other = start_conversation(email="someone@example.org")
    with after_rotation():
        assert correspondents_rehash() == 2
        assert correspondents_rehash() == 0
    with after_rotation(fallback=False):
        assert list(conversations_for_correspondent(email_hash=email_hash(SENDER))) == [old]
        other.refresh_from_db()
        assert other.correspondent_email_hash == email_hash("someone@example.org")
    assert Conversation.objects.count() == 2


def test_without_the_fallback_old_conversations_are_not_found(start_conversation):
    with before_rotation():
        start_conversation(email=SENDER)
    with after_rotation(fallback=False):
        assert not conversations_for_correspondent(email_hash=email_hash(SENDER)).exists()

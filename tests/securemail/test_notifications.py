"""Securemail's emails (code, receipt, new message) carry no content, no personal data and no
link, in all three languages; their verification code is recognised by "Did we send this?"."""

from __future__ import annotations

import re

import pytest

from tests.notifications.test_case_notifications import CODE_PATTERN, LINK_MARKERS
from tests.securemail.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db

PERSON = "lan.nguyen@example.org"
SUBJECT = "Residence card lost in Tampere"
BODY = "My passport number is XP1234567 and I live at Tran Hung Dao 5."
FORBIDDEN = [
    PERSON,
    "lan.nguyen",
    "nguyen",
    SUBJECT,
    "Tampere",
    "XP1234567",
    "Tran Hung Dao",
    "letter",
]


def _sent_mails(smtp_server, language, start_conversation, make_user, capture):
    from securemail.access import access_code_request
    from securemail.services import message_send_from_authority

    smtp_server.clear()
    with capture(execute=True):
        access_code_request(
            email=PERSON, binding="x" * 43, client_key="192.0.2.9", language=language
        )
    conversation = start_conversation(
        email=PERSON, subject=SUBJECT, body=BODY, uploads=[upload(PDF_BYTES)], language=language
    )
    with capture(execute=True):
        message_send_from_authority(
            conversation=conversation,
            author=make_user(role="caseworker"),
            body="Answer about XP1234567",
            uploads=[upload(PDF_BYTES, "letter.pdf")],
        )
    return smtp_server.outbox


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_securemail_email_carries_content_personal_data_or_a_link(
    language, smtp_server, start_conversation, make_user, django_capture_on_commit_callbacks
):
    mails = _sent_mails(
        smtp_server, language, start_conversation, make_user, django_capture_on_commit_callbacks
    )
    assert len(mails) == 3  # the code, the receipt, the reply's notification
    for mail in mails:
        assert mail.envelope_to == [PERSON]
        for part_name, part in (
            ("subject", str(mail.message["Subject"])),
            ("text", mail.text),
            ("html", mail.html),
        ):
            lowered = part.lower()
            for marker in LINK_MARKERS:
                assert marker not in lowered, f"{language} {part_name} has a link ({marker})"
            for value in FORBIDDEN:
                assert value.lower() not in lowered, f"{language} {part_name} carries {value!r}"
        assert CODE_PATTERN.search(mail.text), "every notification carries a verification code"


def test_the_reply_notification_says_where_to_read_and_the_trust_center_confirms_it(
    smtp_server, start_conversation, make_user, django_capture_on_commit_callbacks
):
    from notifications.verification import verification_code_check
    from securemail.access import official_address

    mails = _sent_mails(
        smtp_server, "en", start_conversation, make_user, django_capture_on_commit_callbacks
    )
    reply_notification = mails[-1]
    assert "You have a new secure message" in reply_notification.text
    assert official_address() in reply_notification.text
    code = CODE_PATTERN.search(reply_notification.text).group(0)
    assert verification_code_check(code=code, recipient=PERSON) is not None
    assert verification_code_check(code=code, recipient="someone@example.org") is None


def test_the_code_email_names_the_address_to_type(smtp_server, django_capture_on_commit_callbacks):
    from securemail.access import access_code_request, official_address

    with django_capture_on_commit_callbacks(execute=True):
        access_code_request(email=PERSON, binding="y" * 43, client_key="192.0.2.8", language="fi")
    [mail] = smtp_server.outbox
    assert official_address() in mail.text
    assert re.search(r"\b\d{4} \d{4}\b", mail.text)

"""The public's pages end to end through the test client and the real SMTP server on loopback:
code by email, write with attachments, receipt, read the authority's reply, answer; bad codes,
other people's ids and oversize uploads."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.securemail.conftest import PDF_BYTES, PNG_BYTES, SENDER, upload

pytestmark = pytest.mark.django_db

_commits = {}


@pytest.fixture(autouse=True)
def _run_commits(django_capture_on_commit_callbacks):
    # Requests in these tests run inside the test's transaction; their on-commit work (the email,
    # the virus scan) runs as it would after a committed request.
    _commits["capture"] = django_capture_on_commit_callbacks
    yield
    _commits.clear()


def post(client, url, data):
    with _commits["capture"](execute=True):
        return client.post(url, data)


def _code_from(mail) -> str:
    return re.search(r"\b(\d{4} \d{4})\b", mail.text).group(1)


def sign_in(client, smtp_server, email=SENDER):
    smtp_server.clear()
    response = post(client, reverse("securemail:start"), {"email": email})
    assert response.status_code == 302
    [mail] = smtp_server.outbox
    response = post(client, reverse("securemail:code"), {"code": _code_from(mail)})
    assert response.status_code == 302
    assert response["Location"] == reverse("securemail:inbox")
    smtp_server.clear()
    return mail


def send_new(client, topic, body="Hello", files=()):
    return post(
        client,
        reverse("securemail:new"),
        {
            "topic": topic.code,
            "subject": "About my permit",
            "body": body,
            "attachments": list(files),
        },
    )


def test_the_whole_round_trip(client, smtp_server, topic, make_user, settings):
    from securemail.models import Conversation
    from securemail.services import message_send_from_authority

    sign_in(client, smtp_server)
    response = send_new(
        client, topic, body="First message", files=[upload(PDF_BYTES), upload(PNG_BYTES, "p.png")]
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("securemail:sent", args=[conversation.pk])
    receipt = client.get(response["Location"])
    # The receipt page and the receipt email say what is accepted and when to expect an answer.
    accepted = "We open only messages sent through Securemail"
    answer_within = f"We usually answer within {settings.SECUREMAIL_ANSWER_WITHIN_DAYS} days."
    assert answer_within in receipt.content.decode()
    assert accepted in receipt.content.decode()
    [receipt_mail] = smtp_server.outbox
    assert "We received your secure message" in receipt_mail.text
    assert answer_within in receipt_mail.text and accepted in receipt_mail.text
    assert conversation.messages.get().attachments.count() == 2

    caseworker = make_user(role="caseworker")
    smtp_server.clear()
    with _commits["capture"](execute=True):
        message_send_from_authority(
            conversation=conversation, author=caseworker, body="Reply text", uploads=[upload()]
        )
    [notification] = smtp_server.outbox
    assert "new secure message" in notification.text

    other_client = client.__class__()
    sign_in(other_client, smtp_server)
    page = other_client.get(reverse("securemail:conversation", args=[conversation.pk]))
    text = page.content.decode()
    assert "Reply text" in text and "First message" in text
    reply = conversation.messages.get(author=caseworker)
    attachment = reply.attachments.get()
    download = other_client.get(
        reverse("securemail:attachment", args=[conversation.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content) == PDF_BYTES
    response = post(
        other_client,
        reverse("securemail:conversation", args=[conversation.pk]),
        {"body": "Thanks, answer"},
    )
    assert response.status_code == 302
    assert conversation.messages.count() == 3


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_pages_speak_the_three_languages(client, smtp_server, topic, language):
    client.cookies["django_language"] = language
    page = client.get(reverse("securemail:start"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert f'lang="{language}"' in page.content.decode()
    button = {"fi": "Lähetä minulle koodi", "sv": "Skicka mig en kod", "en": "Send me a code"}
    assert button[language] in page.content.decode()
    sign_in(client, smtp_server)
    page = client.get(reverse("securemail:new"), HTTP_ACCEPT_LANGUAGE=language)
    assert {"fi": "Oleskelulupa", "sv": "Uppehållstillstånd", "en": "Residence permit"}[
        language
    ] in page.content.decode()


def test_pages_need_a_verified_session(client, topic):
    for name in ("securemail:inbox", "securemail:new"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("securemail:start")


def test_another_persons_conversation_is_not_found(client, smtp_server, start_conversation):
    theirs = start_conversation(email="someone@example.org", uploads=[upload()])
    sign_in(client, smtp_server)
    assert client.get(reverse("securemail:conversation", args=[theirs.pk])).status_code == 404
    attachment = theirs.messages.get().attachments.get()
    url = reverse("securemail:attachment", args=[theirs.pk, attachment.pk])
    assert client.get(url).status_code == 404
    response = post(
        client, reverse("securemail:conversation", args=[theirs.pk]), {"body": "intrusion"}
    )
    assert response.status_code == 404
    assert theirs.messages.count() == 1


def test_conversation_ids_are_random_and_a_guessed_one_is_not_found(
    client, smtp_server, start_conversation
):
    import uuid

    mine = [start_conversation(email=SENDER) for _attempt in range(2)]
    # Random (version 4) UUIDs: no order, no neighbour to guess from one's own id.
    assert all(conversation.pk.version == 4 for conversation in mine)
    assert abs(mine[0].pk.int - mine[1].pk.int) > 2**64
    sign_in(client, smtp_server)
    for conversation in mine:
        url = reverse("securemail:conversation", args=[conversation.pk])
        assert client.get(url).status_code == 200
    for guess in (uuid.UUID(int=mine[0].pk.int + 1), uuid.uuid4()):
        assert client.get(reverse("securemail:conversation", args=[guess])).status_code == 404
        assert client.get(reverse("securemail:sent", args=[guess])).status_code == 404
    assert client.get("/securemail/messages/1/").status_code == 404


@pytest.mark.parametrize("typed", ["1234 5678", "not a code", "", "9" * 40])
def test_a_wrong_or_forged_code_gives_a_clear_page(client, smtp_server, typed):
    post(client, reverse("securemail:start"), {"email": SENDER})
    response = post(client, reverse("securemail:code"), {"code": typed})
    assert response.status_code in {200, 400}
    assert client.get(reverse("securemail:inbox")).status_code == 302


def test_a_used_code_and_a_code_without_a_request_say_so(client, smtp_server):
    response = post(client, reverse("securemail:code"), {"code": "1234 5678"})
    assert "No code has been sent to this browser" in response.content.decode()
    mail = sign_in(client, smtp_server)
    response = post(client, reverse("securemail:code"), {"code": _code_from(mail)})
    assert "already been used" in response.content.decode()


def test_the_code_of_another_browser_does_not_work(client, smtp_server):
    post(client, reverse("securemail:start"), {"email": SENDER})
    [mail] = smtp_server.outbox
    stranger = client.__class__()
    post(stranger, reverse("securemail:start"), {"email": "stranger@example.org"})
    response = post(stranger, reverse("securemail:code"), {"code": _code_from(mail)})
    assert response.status_code == 400
    assert stranger.get(reverse("securemail:inbox")).status_code == 302


def test_code_requests_past_the_limit_get_a_429_page(client, smtp_server):
    from securemail.access import REQUESTS_PER_ADDRESS

    for _attempt in range(REQUESTS_PER_ADDRESS[0]):
        assert post(client, reverse("securemail:start"), {"email": SENDER}).status_code == 302
    response = post(client, reverse("securemail:start"), {"email": SENDER})
    assert response.status_code == 429
    assert response["Retry-After"]


def test_a_refused_file_keeps_the_text_and_saves_nothing(client, smtp_server, topic):
    from securemail.models import Conversation

    sign_in(client, smtp_server)
    response = send_new(client, topic, body="Keep this text", files=[upload(b"MZ" + bytes(50))])
    assert response.status_code == 400
    assert "Keep this text" in response.content.decode()
    assert not Conversation.objects.exists()


def test_an_upload_over_the_limit_is_refused_without_storing_it(
    client, smtp_server, topic, settings, tmp_path
):
    from securemail.models import Conversation

    settings.SECUREMAIL_UPLOAD_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    sign_in(client, smtp_server)
    big = upload(PDF_BYTES + bytes(1024 * 1024), "big.pdf")
    response = send_new(client, topic, body="Too big", files=[big])
    assert response.status_code == 400
    # One file over both limits: the file's own limit is the one named.
    assert "The file is larger than 0.062 MB" in response.content.decode()
    assert not Conversation.objects.exists()
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.stat().st_size > 64 * 1024]
    assert leftovers == []


def test_a_signed_in_user_writes_without_a_code_and_sees_only_their_own(
    applicant_client, applicant, topic, start_conversation, smtp_server
):
    from securemail.models import Conversation

    theirs = start_conversation(email="someone@example.org")
    assert applicant_client.get(reverse("securemail:inbox")).status_code == 200
    response = post(
        applicant_client,
        reverse("securemail:new"),
        {
            "topic": topic.code,
            "subject": "About my case",
            "body": "Signed in",
            "attachments": [],
        },
    )
    assert response.status_code == 302
    mine = Conversation.objects.get(user=applicant)
    assert mine.correspondent_email == applicant.email
    inbox = applicant_client.get(reverse("securemail:inbox")).content.decode()
    assert str(mine.pk) in inbox and str(theirs.pk) not in inbox

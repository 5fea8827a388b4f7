"""The back office's secure inbox through the test client: unit scoping (another unit's id is a
404), unread first, constant query counts, assignment, close and reopen, linking to a case, replies
with attachments reaching the public's side, read receipts, audit records of every open."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import sign_in_with_second_factor
from tests.notifications.test_case_notifications import CODE_PATTERN, LINK_MARKERS
from tests.securemail.conftest import PDF_BYTES, PNG_BYTES, upload

pytestmark = pytest.mark.django_db

_commits = {}


@pytest.fixture(autouse=True)
def _run_commits(django_capture_on_commit_callbacks):
    # The requests run inside the test's transaction; their on-commit work (emails, virus scans)
    # runs as it would after a committed request.
    _commits["capture"] = django_capture_on_commit_callbacks
    yield
    _commits.clear()


def post(client, url, data):
    with _commits["capture"](execute=True):
        return client.post(url, data)


def conversation_url(conversation, name="securemail_conversation", *extra):
    return reverse(f"casework:{name}", args=[conversation.pk, *extra])


def audit_actions(target) -> list[str]:
    from audit.models import AuditEvent

    return list(
        AuditEvent.objects.filter(object_id=str(target.pk))
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_the_inbox_lists_only_the_units_conversations_unread_first(
    caseworker_client, start_secure_conversation, other_unit_topic, caseworker
):
    from securemail.models import Conversation
    from securemail.services import conversation_open_for_authority

    older_unread = start_secure_conversation(subject="Old", body="old")
    already_read = start_secure_conversation(subject="Read", body="read")
    conversation_open_for_authority(conversation=already_read, actor=caseworker)
    Conversation.objects.filter(pk=older_unread.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=3)
    )
    elsewhere = start_secure_conversation(topic=other_unit_topic)

    response = caseworker_client.get(reverse("casework:securemail_inbox"))
    assert response.status_code == 200
    listed = [conversation.pk for conversation in response.context["page"].object_list]
    # Unread first even when older; the other unit's conversation is not there at all.
    assert listed == [older_unread.pk, already_read.pk]
    assert elsewhere.pk not in listed
    assert "1 unread" in response.content.decode()


def test_another_units_conversation_is_not_found_for_any_action(
    caseworker_client, start_secure_conversation, other_unit_topic
):
    theirs = start_secure_conversation(topic=other_unit_topic, uploads=[upload()])
    attachment = theirs.messages.get().attachments.get()
    assert caseworker_client.get(conversation_url(theirs)).status_code == 404
    url = conversation_url(theirs, "securemail_attachment", attachment.pk)
    assert caseworker_client.get(url).status_code == 404
    for name, data in (
        ("securemail_conversation", {"body": "intrusion"}),
        ("securemail_assign", {"assignee": ""}),
        ("securemail_link_case", {"case_number": ""}),
        ("securemail_close", {}),
        ("securemail_reopen", {}),
    ):
        assert post(caseworker_client, conversation_url(theirs, name), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.messages.count() == 1 and theirs.status == "open"
    # Nothing was opened, so nothing was audited as read by the authority.
    assert "securemail.message_opened_by_authority" not in audit_actions(theirs.messages.get())


def test_a_caseworker_of_one_permit_type_only_has_no_units_inbox(
    client, outsider, start_secure_conversation
):
    start_secure_conversation()
    sign_in_with_second_factor(client, outsider)
    response = client.get(reverse("casework:securemail_inbox"))
    assert response.status_code == 200
    assert "You do not belong to any unit" in response.content.decode()


def test_the_public_and_applicants_cannot_open_the_inbox(client, applicant_browser):
    response = client.get(reverse("casework:securemail_inbox"))
    assert response.status_code == 302
    assert applicant_browser.get(reverse("casework:securemail_inbox")).status_code == 403


def test_the_inbox_query_count_does_not_grow_with_rows(
    caseworker_client,
    start_secure_conversation,
    caseworker,
    colleague,
    submitted,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from securemail.services import conversation_assign, conversation_link_case

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert caseworker_client.get(reverse("casework:securemail_inbox")).status_code == 200
        return len(captured.captured_queries)

    first = start_secure_conversation()
    conversation_assign(conversation=first, assignee=colleague, actor=caseworker)
    one_row = count_queries()
    for index in range(12):
        conversation = start_secure_conversation(subject=f"Question {index}")
        conversation_assign(conversation=conversation, assignee=caseworker, actor=caseworker)
        conversation_link_case(conversation=conversation, case_id=submitted.pk, actor=caseworker)
    with CaptureQueriesContext(connection) as captured:
        response = caseworker_client.get(reverse("casework:securemail_inbox"))
    assert len(captured.captured_queries) <= one_row
    assert len(response.context["page"].object_list) == 13
    assert submitted.case_number in response.content.decode()
    # An inbox that fits on its first page is not counted apart (core.pagination.page_of).
    assert not [q for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert "13 conversations" in response.content.decode()


def test_opening_a_conversation_marks_it_read_and_audits_every_message_opened(
    caseworker_client, start_secure_conversation
):
    conversation = start_secure_conversation(body="What documents do I need?")
    message = conversation.messages.get()
    response = caseworker_client.get(conversation_url(conversation))
    assert response.status_code == 200
    text = response.content.decode()
    assert "What documents do I need?" in text
    assert "sender@example.org" in text
    message.refresh_from_db()
    assert message.read_by_authority_at is not None
    assert "securemail.message_opened_by_authority" in audit_actions(message)
    listed = caseworker_client.get(reverse("casework:securemail_inbox")).context["page"]
    assert listed.object_list[0].unread_count == 0


def test_a_conversation_is_assigned_only_to_a_caseworker_of_its_unit(
    caseworker_client, start_secure_conversation, colleague, outsider
):
    conversation = start_secure_conversation()
    response = post(
        caseworker_client,
        conversation_url(conversation, "securemail_assign"),
        {"assignee": outsider.pk},
    )
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.assignee is None
    response = post(
        caseworker_client,
        conversation_url(conversation, "securemail_assign"),
        {"assignee": colleague.pk},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee == colleague
    assert "securemail.conversation_assigned" in audit_actions(conversation)
    mine = caseworker_client.get(reverse("casework:securemail_inbox"), {"assigned": "mine"})
    assert list(mine.context["page"].object_list) == []
    nobody = caseworker_client.get(reverse("casework:securemail_inbox"), {"assigned": "unassigned"})
    assert list(nobody.context["page"].object_list) == []


def test_a_closed_conversation_takes_no_reply_until_it_is_reopened(
    caseworker_client, start_secure_conversation
):
    conversation = start_secure_conversation()
    assert (
        post(caseworker_client, conversation_url(conversation, "securemail_close"), {}).status_code
        == 302
    )
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    response = post(caseworker_client, conversation_url(conversation), {"body": "Late reply"})
    assert response.status_code == 400
    assert "This conversation is closed" in response.content.decode()
    assert conversation.messages.count() == 1
    open_only = caseworker_client.get(reverse("casework:securemail_inbox"), {"status": "open"})
    assert list(open_only.context["page"].object_list) == []

    assert (
        post(caseworker_client, conversation_url(conversation, "securemail_reopen"), {}).status_code
        == 302
    )
    conversation.refresh_from_db()
    assert conversation.status == "open"
    assert (
        post(caseworker_client, conversation_url(conversation), {"body": "Reply"}).status_code
        == 302
    )
    assert conversation.messages.count() == 2
    actions = audit_actions(conversation)
    assert "securemail.conversation_closed" in actions
    assert "securemail.conversation_reopened" in actions


def test_a_conversation_linked_to_a_case_shows_on_the_case_page(
    caseworker_client, start_secure_conversation, submitted
):
    conversation = start_secure_conversation()
    case_page = caseworker_client.get(reverse("casework:case", args=[submitted.pk]))
    assert "No secure messages are linked to this case." in case_page.content.decode()
    response = post(
        caseworker_client,
        conversation_url(conversation, "securemail_link_case"),
        {"case_number": submitted.case_number.lower()},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.case_id == submitted.pk
    case_page = caseworker_client.get(reverse("casework:case", args=[submitted.pk]))
    assert conversation_url(conversation) in case_page.content.decode()
    assert "securemail.conversation_linked_to_case" in audit_actions(conversation)
    # An empty number removes the link.
    post(
        caseworker_client,
        conversation_url(conversation, "securemail_link_case"),
        {"case_number": ""},
    )
    conversation.refresh_from_db()
    assert conversation.case_id is None


def _timeline(page) -> str:
    html = page.content.decode()
    start = html.index('<ol class="timeline">')
    return html[start : html.index("</ol>", start)]


def test_a_linked_conversations_messages_show_on_the_cases_timeline_in_time_order(
    caseworker_client, caseworker, start_secure_conversation, submitted
):
    from securemail.services import message_send_from_authority

    conversation = start_secure_conversation(body="Secret body text", subject="Secret subject")
    assert "Secure message" not in _timeline(
        caseworker_client.get(reverse("casework:case", args=[submitted.pk]))
    )
    post(
        caseworker_client,
        conversation_url(conversation, "securemail_link_case"),
        {"case_number": submitted.case_number},
    )
    message_send_from_authority(conversation=conversation, author=caseworker, body="Secret reply")
    timeline = _timeline(caseworker_client.get(reverse("casework:case", args=[submitted.pk])))
    # The case's own events, then the sender's message and the reply, each linking to the
    # conversation; the timeline names the topic, never the sealed text.
    submitted_at = timeline.index("Application submitted")
    from_sender = timeline.index("Secure message from the sender: Work permits")
    reply = timeline.index("Secure reply sent: Work permits")
    assert submitted_at < from_sender < reply
    assert timeline.count(f'href="{conversation_url(conversation)}"') == 2
    for secret in ("Secret body text", "Secret subject", "Secret reply", "sender@example.org"):
        assert secret not in timeline
    # Unlinked, the messages leave the case's timeline.
    post(
        caseworker_client,
        conversation_url(conversation, "securemail_link_case"),
        {"case_number": ""},
    )
    timeline = _timeline(caseworker_client.get(reverse("casework:case", args=[submitted.pk])))
    assert "Secure message" not in timeline and "Secure reply" not in timeline


def test_another_units_conversation_linked_to_a_case_stays_off_its_timeline(
    caseworker_client, start_secure_conversation, other_unit_topic, submitted
):
    from securemail.services import conversation_link_case

    conversation = start_secure_conversation(topic=other_unit_topic)
    conversation_link_case(conversation=conversation, case_id=submitted.pk, actor=None)
    timeline = _timeline(caseworker_client.get(reverse("casework:case", args=[submitted.pk])))
    assert "Secure message" not in timeline


def test_a_case_the_caseworker_cannot_see_is_not_linked(
    client, make_user, start_secure_conversation, other_unit_topic, submitted
):
    from casework.models import CaseworkerScope

    # A caseworker of the citizenship unit: the work-permit case is outside their scope.
    citizenship_worker = make_user(role="caseworker")
    CaseworkerScope.objects.create(caseworker=citizenship_worker, unit=other_unit_topic.unit)
    sign_in_with_second_factor(client, citizenship_worker)
    conversation = start_secure_conversation(topic=other_unit_topic)
    for number in (submitted.case_number, "NO-SUCH-CASE", "x" * 41):
        response = post(
            client,
            conversation_url(conversation, "securemail_link_case"),
            {"case_number": number},
        )
        assert response.status_code == 400
        assert number[:40] in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.case_id is None


def test_a_reply_with_an_attachment_reaches_the_sender_with_a_notification_without_content(
    caseworker_client, start_secure_conversation, smtp_server, caseworker
):
    from securemail.services import attachment_open, conversation_open_for_correspondent

    conversation = start_secure_conversation(email="lan.nguyen@example.org", body="XP1234567")
    smtp_server.clear()
    response = post(
        caseworker_client,
        conversation_url(conversation),
        {
            "body": "Decision letter attached: XP1234567",
            "attachments": [upload(PNG_BYTES, "letter.png")],
        },
    )
    assert response.status_code == 302
    reply = conversation.messages.get(direction="from_authority")
    assert reply.author == caseworker
    [notification] = smtp_server.outbox
    assert notification.envelope_to == ["lan.nguyen@example.org"]
    for part in (str(notification.message["Subject"]), notification.text, notification.html):
        lowered = part.lower()
        for marker in LINK_MARKERS:
            assert marker not in lowered
        for value in ("XP1234567", "letter", "nguyen", "Decision letter"):
            assert value.lower() not in lowered
    assert "You have a new secure message" in notification.text
    assert CODE_PATTERN.search(notification.text)

    # The public's side opens the reply and its file (Securemail's own services).
    opened = conversation_open_for_correspondent(conversation=conversation)
    assert [item.body for item in opened] == ["XP1234567", "Decision letter attached: XP1234567"]
    [attachment] = opened[1].attachments
    assert b"".join(attachment_open(attachment=attachment, side="correspondent")) == PNG_BYTES
    assert "securemail.attachment_opened_by_correspondent" in audit_actions(attachment)


def test_the_caseworker_sees_when_the_sender_read_the_reply(
    caseworker_client, start_secure_conversation, caseworker
):
    from securemail.services import conversation_open_for_correspondent, message_send_from_authority

    conversation = start_secure_conversation()
    with _commits["capture"](execute=True):
        message_send_from_authority(conversation=conversation, author=caseworker, body="Reply")
    page = caseworker_client.get(conversation_url(conversation)).content.decode()
    assert "Not read by the sender yet" in page
    conversation_open_for_correspondent(conversation=conversation)
    reply = conversation.messages.get(direction="from_authority")
    assert reply.read_by_correspondent_at is not None
    page = caseworker_client.get(conversation_url(conversation)).content.decode()
    assert "Read by the sender" in page
    assert "Not read by the sender yet" not in page
    assert "securemail.message_opened_by_correspondent" in audit_actions(reply)


def test_downloading_an_attachment_in_the_back_office_is_audited(
    caseworker_client, start_secure_conversation, caseworker
):
    conversation = start_secure_conversation(uploads=[upload(PDF_BYTES, "passport.pdf")])
    attachment = conversation.messages.get().attachments.get()
    response = caseworker_client.get(
        conversation_url(conversation, "securemail_attachment", attachment.pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    from audit.models import AuditEvent

    event = AuditEvent.objects.get(
        action="securemail.attachment_opened_by_authority", object_id=str(attachment.pk)
    )
    assert event.actor == caseworker


def test_a_refused_file_in_a_reply_keeps_the_text_and_sends_nothing(
    caseworker_client, start_secure_conversation, smtp_server
):
    conversation = start_secure_conversation()
    smtp_server.clear()
    response = post(
        caseworker_client,
        conversation_url(conversation),
        {"body": "Keep this reply text", "attachments": [upload(b"MZ" + bytes(50), "tool.exe")]},
    )
    assert response.status_code == 400
    assert "Keep this reply text" in response.content.decode()
    assert conversation.messages.count() == 1
    assert smtp_server.outbox == []


@pytest.mark.parametrize(
    ("language", "heading", "reply"),
    [
        ("fi", "Saapuneet turvaviestit", "Lähetä vastaus turvallisesti"),
        ("sv", "Säker inkorg", "Skicka svaret säkert"),
        ("en", "Secure inbox", "Send the reply securely"),
    ],
)
def test_the_inbox_pages_speak_the_three_languages(
    caseworker_client, start_secure_conversation, language, heading, reply
):
    conversation = start_secure_conversation()
    caseworker_client.cookies["django_language"] = language
    inbox = caseworker_client.get(reverse("casework:securemail_inbox")).content.decode()
    assert heading in inbox
    page = caseworker_client.get(conversation_url(conversation)).content.decode()
    assert reply in page


def test_the_back_office_securemail_pages_are_well_formed(
    caseworker_client, start_secure_conversation, submitted
):
    from tests.accessibility.html_rules import structure_problems

    conversation = start_secure_conversation(uploads=[upload()])
    pages = {
        "inbox": caseworker_client.get(reverse("casework:securemail_inbox")),
        "conversation": caseworker_client.get(conversation_url(conversation)),
        "reply with errors": post(caseworker_client, conversation_url(conversation), {}),
        "case page": caseworker_client.get(reverse("casework:case", args=[submitted.pk])),
    }
    assert pages["reply with errors"].status_code == 400
    problems = {name: structure_problems(page.content.decode()) for name, page in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_a_caseworker_of_two_units_filters_the_inbox_by_unit(
    caseworker_client, caseworker, start_secure_conversation, other_unit_topic
):
    from casework.models import CaseworkerScope

    CaseworkerScope.objects.create(caseworker=caseworker, unit=other_unit_topic.unit)
    work = start_secure_conversation()
    citizenship = start_secure_conversation(topic=other_unit_topic)
    url = reverse("casework:securemail_inbox")
    every = caseworker_client.get(url).context["page"].object_list
    assert {conversation.pk for conversation in every} == {work.pk, citizenship.pk}
    one_unit = caseworker_client.get(url, {"unit": other_unit_topic.unit_id})
    assert [conversation.pk for conversation in one_unit.context["page"].object_list] == [
        citizenship.pk
    ]
    # A unit that is not theirs is not a choice: the filter is ignored, nothing else appears.
    forged = caseworker_client.get(url, {"unit": "999999"})
    assert forged.status_code == 200
    assert {c.pk for c in forged.context["page"].object_list} == {work.pk, citizenship.pk}


def test_a_reply_attachment_over_the_limit_is_refused_without_storing_it(
    caseworker_client, start_secure_conversation, settings, tmp_path
):
    conversation = start_secure_conversation()
    settings.SECUREMAIL_UPLOAD_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    big = upload(PDF_BYTES + bytes(1024 * 1024), "big.pdf")
    response = post(
        caseworker_client, conversation_url(conversation), {"body": "Big", "attachments": [big]}
    )
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert conversation.messages.count() == 1
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.stat().st_size > 64 * 1024]
    assert leftovers == []

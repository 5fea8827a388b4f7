"""A signed-in applicant's secure messages: linked from the navigation, a message about one of
their cases (shown on the case for the caseworker), reading and answering the reply; another
applicant's case is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.securemail.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db

_commits = {}


@pytest.fixture(autouse=True)
def _run_commits(django_capture_on_commit_callbacks):
    _commits["capture"] = django_capture_on_commit_callbacks
    yield
    _commits.clear()


def post(client, url, data):
    with _commits["capture"](execute=True):
        return client.post(url, data)


def write_about_case(browser, case, topic, body="About my case", files=()):
    return post(
        browser,
        reverse("cases:secure_message", args=[case.pk]),
        {"topic": topic.code, "subject": "My permit", "body": body, "attachments": list(files)},
    )


def test_the_navigation_links_the_applicants_secure_messages(applicant_browser):
    page = applicant_browser.get(reverse("applications:home")).content.decode()
    assert f'href="{reverse("securemail:inbox")}"' in page
    inbox = applicant_browser.get(reverse("securemail:inbox"))
    assert inbox.status_code == 200
    assert "You have no secure messages." in inbox.content.decode()


def test_a_message_about_a_case_shows_on_the_case_for_the_caseworker(
    applicant_browser,
    applicant,
    submitted,
    work_topic,
    other_unit_topic,
    caseworker_client,
    smtp_server,
):
    from securemail.models import Conversation

    form_page = applicant_browser.get(reverse("cases:secure_message", args=[submitted.pk]))
    # Only the topics of the units that handle the case are offered.
    assert work_topic.name_en in form_page.content.decode()
    assert other_unit_topic.name_en not in form_page.content.decode()
    response = write_about_case(
        applicant_browser, submitted, work_topic, body="Is my contract enough?", files=[upload()]
    )
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("securemail:sent", args=[conversation.pk])
    assert conversation.case_id == submitted.pk
    assert conversation.user == applicant
    assert conversation.correspondent_email == applicant.email
    [receipt] = smtp_server.outbox
    assert receipt.envelope_to == [applicant.email]
    assert "We received your secure message" in receipt.text

    own_case_page = applicant_browser.get(reverse("cases:detail", args=[submitted.pk]))
    assert reverse("securemail:conversation", args=[conversation.pk]) in (
        own_case_page.content.decode()
    )
    case_page = caseworker_client.get(reverse("casework:case", args=[submitted.pk]))
    assert reverse("casework:securemail_conversation", args=[conversation.pk]) in (
        case_page.content.decode()
    )
    inbox = caseworker_client.get(reverse("casework:securemail_inbox")).content.decode()
    assert submitted.case_number in inbox


def test_the_applicant_reads_the_reply_and_answers_in_their_account(
    applicant_browser, submitted, work_topic, caseworker_client, smtp_server
):
    from securemail.models import Conversation

    write_about_case(applicant_browser, submitted, work_topic)
    conversation = Conversation.objects.get()
    smtp_server.clear()
    post(
        caseworker_client,
        reverse("casework:securemail_conversation", args=[conversation.pk]),
        {"body": "Yes, it is enough.", "attachments": [upload(PDF_BYTES, "answer.pdf")]},
    )
    [notification] = smtp_server.outbox
    assert "You have a new secure message" in notification.text

    inbox = applicant_browser.get(reverse("securemail:inbox")).content.decode()
    assert "1 new message" in inbox
    page = applicant_browser.get(reverse("securemail:conversation", args=[conversation.pk]))
    assert "Yes, it is enough." in page.content.decode()
    reply = conversation.messages.get(direction="from_authority")
    reply.refresh_from_db()
    assert reply.read_by_correspondent_at is not None
    attachment = reply.attachments.get()
    download = applicant_browser.get(
        reverse("securemail:attachment", args=[conversation.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content) == PDF_BYTES
    response = post(
        applicant_browser,
        reverse("securemail:conversation", args=[conversation.pk]),
        {"body": "Thank you."},
    )
    assert response.status_code == 302
    back_office = caseworker_client.get(reverse("casework:securemail_inbox"))
    assert back_office.context["page"].object_list[0].unread_count == 1


def test_another_applicants_case_is_not_found(client, other_applicant, submitted, work_topic):
    from securemail.models import Conversation
    from tests.conftest import sign_in_with_second_factor

    intruder = sign_in_with_second_factor(client, other_applicant)
    assert intruder.get(reverse("cases:secure_message", args=[submitted.pk])).status_code == 404
    assert write_about_case(intruder, submitted, work_topic).status_code == 404
    assert not Conversation.objects.exists()


def test_a_refused_message_about_a_case_keeps_the_text(applicant_browser, submitted, work_topic):
    from securemail.models import Conversation

    response = write_about_case(
        applicant_browser, submitted, work_topic, body="Keep me", files=[upload(b"MZ" + bytes(40))]
    )
    assert response.status_code == 400
    assert "Keep me" in response.content.decode()
    response = post(
        applicant_browser,
        reverse("cases:secure_message", args=[submitted.pk]),
        {"topic": "no-such-topic", "subject": "S", "body": "Keep me too"},
    )
    assert response.status_code == 400
    assert "Keep me too" in response.content.decode()
    assert not Conversation.objects.exists()


def test_the_applicants_securemail_pages_are_well_formed(applicant_browser, submitted, work_topic):
    from tests.accessibility.html_rules import structure_problems

    url = reverse("cases:secure_message", args=[submitted.pk])
    pages = {
        "case message": applicant_browser.get(url),
        "case message with errors": post(applicant_browser, url, {}),
        "case page": applicant_browser.get(reverse("cases:detail", args=[submitted.pk])),
    }
    problems = {name: structure_problems(page.content.decode()) for name, page in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_conversation_page_keeps_message_text_out_of_the_status_region(
    applicant_browser, submitted, work_topic
):
    """The page's messages must not be handed to the template as "messages": base.html prints
    that name as status notices (the Django messages framework's), text and all."""
    from securemail.models import Conversation

    write_about_case(applicant_browser, submitted, work_topic, body="Only once, in the article")
    conversation = Conversation.objects.get()
    html = applicant_browser.get(
        reverse("securemail:conversation", args=[conversation.pk])
    ).content.decode()
    assert html.count("Only once, in the article") == 1
    assert "OpenedMessage" not in html


@pytest.mark.parametrize(
    ("language", "heading", "navigation"),
    [
        ("fi", "Kirjoita turvaviesti tästä asiasta", "Turvaviestit"),
        ("sv", "Skriv ett säkert meddelande om detta ärende", "Säkra meddelanden"),
        ("en", "Write a secure message about this case", "Secure messages"),
    ],
)
def test_the_case_message_page_speaks_the_three_languages(
    applicant_browser, submitted, work_topic, language, heading, navigation
):
    applicant_browser.cookies["django_language"] = language
    page = applicant_browser.get(reverse("cases:secure_message", args=[submitted.pk]))
    html = page.content.decode()
    assert f'lang="{language}"' in html
    assert heading in html
    assert navigation in html
    assert {"fi": "Työluvat", "sv": "Arbetstillstånd", "en": "Work permits"}[language] in html


def test_a_case_message_sent_twice_with_the_same_form_is_sent_once(
    applicant_browser, submitted, work_topic, smtp_server
):
    import re

    from securemail.models import Conversation

    url = reverse("cases:secure_message", args=[submitted.pk])
    form_page = applicant_browser.get(url).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', form_page).group(1)
    data = {
        "topic": work_topic.code,
        "subject": "Twice",
        "body": "Double click",
        "submission_token": token,
    }
    first = post(applicant_browser, url, data)
    second = post(applicant_browser, url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Conversation.objects.count() == 1
    assert len(smtp_server.outbox) == 1


def test_the_case_page_counts_unread_replies_afresh_and_hides_conversations_out_of_view(
    applicant_browser, submitted, work_topic, caseworker_client
):
    """The case page's read is compiled once per process (core.prepared_queries); what it shows
    is the database's at each request: a reply, its reading, the end of a conversation's view."""
    from django.utils import timezone

    from securemail.models import Conversation

    write_about_case(applicant_browser, submitted, work_topic)
    conversation = Conversation.objects.get()
    case_page = reverse("cases:detail", args=[submitted.pk])
    assert "new message" not in applicant_browser.get(case_page).content.decode()
    post(
        caseworker_client,
        reverse("casework:securemail_conversation", args=[conversation.pk]),
        {"body": "Yes, it is enough."},
    )
    assert "1 new message" in applicant_browser.get(case_page).content.decode()
    applicant_browser.get(reverse("securemail:conversation", args=[conversation.pk]))
    page = applicant_browser.get(case_page).content.decode()
    assert "new message" not in page
    assert reverse("securemail:conversation", args=[conversation.pk]) in page
    Conversation.objects.filter(pk=conversation.pk).update(
        visible_until=timezone.now() - timezone.timedelta(seconds=1)
    )
    page = applicant_browser.get(case_page).content.decode()
    assert reverse("securemail:conversation", args=[conversation.pk]) not in page

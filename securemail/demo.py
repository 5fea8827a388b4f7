"""Demo data of Securemail: the topics a sender chooses from, each routed to a unit, and two
demo conversations in the back office's secure inbox (one unread, one answered), so a caseworker
sees something after `make run`. Written through the services, so sealed like all others.

Called by casework.demo once the units exist (securemail cannot import casework); idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from core.roles import Role
from securemail.access import email_hash
from securemail.models import Conversation, Topic
from securemail.services import Correspondent, conversation_start, message_send_from_authority

# code: (unit code, Finnish, Swedish, English)
DEMO_TOPICS = {
    "residence-permit": (
        "residence-permits",
        "Oleskelulupa",
        "Uppehållstillstånd",
        "Residence permit",
    ),
    "citizenship": ("citizenship", "Kansalaisuus", "Medborgarskap", "Citizenship"),
    "other": ("residence-permits", "Muu asia", "Annat ärende", "Other matter"),
}


@transaction.atomic
def load_securemail_demo(*, unit_ids_by_code: dict[str, int]) -> int:
    """Create the demo topics whose unit exists; returns how many were created."""
    created = 0
    for ordering, (code, (unit_code, name_fi, name_sv, name_en)) in enumerate(DEMO_TOPICS.items()):
        unit_id = unit_ids_by_code.get(unit_code)
        if unit_id is None:
            continue
        _topic, was_created = Topic.objects.get_or_create(
            code=code,
            defaults={
                "unit_id": unit_id,
                "name_fi": name_fi,
                "name_sv": name_sv,
                "name_en": name_en,
                "ordering": ordering,
            },
        )
        created += was_created
    _load_demo_conversations()
    return created


# (sender's address, language, topic code, subject, body, the authority's reply or "")
DEMO_CONVERSATIONS = (
    (
        "sender@demo.invalid",
        "fi",
        "residence-permit",
        "Passin uusiminen käsittelyn aikana",
        "Hei, passini vanhenee ensi kuussa. Voinko uusia sen, kun oleskelulupahakemukseni on "
        "vielä käsittelyssä, ja miten ilmoitan uuden passin numeron?",
        "",
    ),
    (
        "sender2@demo.invalid",
        "en",
        "citizenship",
        "Language certificate for my citizenship application",
        "Hello, my language certificate arrived after I had sent my application. "
        "How can I send it to you?",
        "Thank you for your message. You can answer in this conversation and attach the "
        "certificate; we will add it to your application.",
    ),
)


def _load_demo_conversations() -> None:
    """Each demo sender's conversation once: a second run finds it by the address's hash."""
    caseworker = (
        User.objects.filter(role=Role.CASEWORKER, email__endswith="@demo.invalid")
        .order_by("pk")
        .first()
    )
    for address, language, topic_code, subject, body, reply in DEMO_CONVERSATIONS:
        topic = Topic.objects.filter(code=topic_code).first()
        if topic is None:
            continue
        if Conversation.objects.filter(correspondent_email_hash=email_hash(address)).exists():
            continue
        conversation = conversation_start(
            correspondent=Correspondent(email=address),
            topic=topic,
            subject=subject,
            body=body,
            language=language,
        )
        if reply and caseworker is not None:
            message_send_from_authority(conversation=conversation, author=caseworker, body=reply)


def demo_instructions(*, base_url: str) -> list[str]:
    """What `make run` prints so a demo user can try Securemail (load_demo_data prints it)."""
    return [
        "Securemail (no account needed):",
        f"  the public's page:   {base_url}{reverse('securemail:start')}",
        "    give any address, e.g. someone@example.org; the one-time code arrives by email.",
        f"  the emails:          {base_url}{reverse('accounts:dev_mailbox')}"
        f"  (files in {settings.EMAIL_FILE_PATH})",
        f"  the secure inbox:    {base_url}{reverse('casework:securemail_inbox')}"
        f"  (the demo caseworker; {len(DEMO_CONVERSATIONS)} demo conversations)",
        f"  topics (admin):      {base_url}{reverse('securemail:topics')}",
    ]

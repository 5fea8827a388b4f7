"""A case's timeline: its own events and, for the caseworker, the secure messages of the
conversations linked to it, in time order (the applicant's timeline shows the events only).
Both pages render it with applications_tags.timeline_list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    url: str = ""


def case_timeline(*, events: Iterable, secure_messages: Iterable) -> list[TimelineEntry]:
    """Merge the case's events with the linked secure messages; each message names its direction
    and topic and links to its conversation, never its content."""
    entries = [TimelineEntry(at=event.at, label=event.get_kind_display()) for event in events]
    for message in secure_messages:
        topic = message.conversation.topic.name
        if message.from_authority:
            label = _("Secure reply sent: %(topic)s") % {"topic": topic}
        else:
            label = _("Secure message from the sender: %(topic)s") % {"topic": topic}
        url = reverse("casework:securemail_conversation", args=[message.conversation_id])
        entries.append(TimelineEntry(at=message.created_at, label=label, url=url))
    # sorted() is stable: entries at the same moment keep events before messages.
    return sorted(entries, key=lambda entry: entry.at)

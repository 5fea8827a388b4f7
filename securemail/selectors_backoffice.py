"""Reads for the back office's secure inbox and for Securemail on case pages.

Always scoped by a set of unit ids that casework passes (the caseworker's units), or by the
signed-in correspondent; securemail itself never reads casework's scopes or applications.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import Http404

from core.prepared_queries import BoundQuery
from securemail.models import Conversation, ConversationStatus, Message, Topic
from securemail.selectors import (
    conversations_for_units,
    conversations_of_signed_in_user_about_case_read,
    topics_active,
)

INBOX_STATUSES = {ConversationStatus.OPEN.value, ConversationStatus.CLOSED.value}


def inbox_for_units(
    *,
    unit_ids: Iterable[int],
    status: str = "",
    assignee=None,
    unassigned: bool = False,
) -> QuerySet[Conversation]:
    """The inbox: unread first, then by last activity, with everything a row shows in the same
    query (topic, unit, assignee, case number, unread count)."""
    # Only the case number is shown: the case's sealed and large columns stay in the database.
    queryset = conversations_for_units(unit_ids=unit_ids).annotate(
        case_number=F("case__case_number")
    )
    if status in INBOX_STATUSES:
        queryset = queryset.filter(status=status)
    if assignee is not None:
        queryset = queryset.filter(assignee=assignee)
    if unassigned:
        queryset = queryset.filter(assignee__isnull=True)
    return queryset


def conversation_for_back_office(*, conversation_id, unit_ids: Iterable[int]) -> Conversation:
    """One conversation of these units, as its inbox row has it; any other id raises Http404."""
    try:
        return inbox_for_units(unit_ids=unit_ids).get(pk=conversation_id)
    except (Conversation.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        raise Http404 from error


def conversations_linked_to_case(
    *, case_id: int, unit_ids: Iterable[int]
) -> QuerySet[Conversation]:
    """The conversations of the caseworker's units linked to a case, newest activity first."""
    return (
        conversations_for_units(unit_ids=unit_ids)
        .filter(case_id=case_id)
        .annotate(case_number=F("case__case_number"))
        .order_by("-last_activity_at")
    )


def messages_linked_to_case(*, case_id: int, unit_ids: Iterable[int]) -> QuerySet[Message]:
    """The messages of the caseworker's units' conversations linked to a case, oldest first, for
    the case's timeline: times, directions and topics only (the sealed columns stay unread)."""
    return (
        Message.objects.filter(
            conversation__case_id=case_id, conversation__unit_id__in=list(unit_ids)
        )
        .select_related("conversation__topic")
        .defer("subject_sealed", "body_sealed", "conversation__correspondent_email_sealed")
        .order_by("created_at", "id")
    )


def conversations_of_user_about_case_read(*, user, case_id: int) -> BoundQuery:
    """The signed-in correspondent's own conversations about one of their cases, to be read with
    a page's other lists (core.prepared_queries.all_together)."""
    return conversations_of_signed_in_user_about_case_read(user=user, case_id=case_id)


def topics_for_units(*, unit_ids: Iterable[int]) -> QuerySet[Topic]:
    """Active topics that route to these units (a message about a case goes to its unit)."""
    return topics_active().filter(unit_id__in=list(unit_ids))

"""Reads of Securemail, always scoped: by the correspondent (a verified address's hash, or the
signed-in user) or by a set of unit ids (the back office passes the caseworker's units). Any id
outside the scope raises Http404, exactly as an id that does not exist."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from core.prepared_queries import BoundQuery, PreparedQuery
from securemail.models import Attachment, Conversation, Direction, Message, Topic


def topics_active() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True).order_by("ordering", "code")


def _correspondent_filter(*, email_hash: str | None, user) -> Q:
    if user is not None and getattr(user, "is_authenticated", False):
        return Q(user=user)
    if email_hash:
        return Q(correspondent_email_hash=email_hash)
    return Q(pk__in=[])


def conversations_for_correspondent(
    *, email_hash: str | None = None, user=None, now=None
) -> QuerySet[Conversation]:
    """The correspondent's conversations still in their view, newest activity first, with the
    number of the authority's messages they have not read."""
    now = now or timezone.now()
    return _in_view_with_unread_count(
        Conversation.objects.filter(_correspondent_filter(email_hash=email_hash, user=user)), now
    )


def _in_view_with_unread_count(conversations: QuerySet[Conversation], now) -> QuerySet:
    return (
        conversations.filter(visible_until__gt=now)
        .select_related("topic")
        .annotate(
            unread_count=Count(
                "messages",
                filter=Q(
                    messages__direction=Direction.FROM_AUTHORITY,
                    messages__read_by_correspondent_at__isnull=True,
                ),
            )
        )
        .order_by("-last_activity_at")
    )


# The applicant's case page asks on every showing: compiled once per process.
_CONVERSATIONS_OF_USER_ABOUT_CASE = PreparedQuery(
    lambda user_id, case_id, now: _in_view_with_unread_count(
        Conversation.objects.filter(user_id=user_id, case_id=case_id), now
    ),
    user_id=int,
    case_id=int,
    now=datetime.datetime,
)


def conversations_of_signed_in_user_about_case_read(*, user, case_id: int) -> BoundQuery:
    """The signed-in user's own conversations about one of their cases still in their view, as
    conversations_for_correspondent has them, to be read with a page's other lists
    (core.prepared_queries.all_together)."""
    return _CONVERSATIONS_OF_USER_ABOUT_CASE.bound(
        user_id=user.pk, case_id=case_id, now=timezone.now()
    )


def conversation_for_correspondent(
    *, conversation_id, email_hash: str | None = None, user=None, now=None
) -> Conversation:
    try:
        return conversations_for_correspondent(email_hash=email_hash, user=user, now=now).get(
            pk=conversation_id
        )
    except (Conversation.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        raise Http404 from error


def conversations_for_units(*, unit_ids: Iterable[int]) -> QuerySet[Conversation]:
    """The back office's inbox for these units: unread first, then by last activity."""
    return _conversations_of_units(list(unit_ids))


def _conversations_of_units(units) -> QuerySet[Conversation]:
    """conversations_for_units, the units as a list of ids or a subquery of them."""
    return (
        Conversation.objects.filter(unit_id__in=units)
        .select_related("topic", "unit", "assignee")
        .annotate(
            unread_count=Count(
                "messages",
                filter=Q(
                    messages__direction=Direction.FROM_PUBLIC,
                    messages__read_by_authority_at__isnull=True,
                ),
            )
        )
        .annotate(
            has_unread=Case(
                When(unread_count__gt=0, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-has_unread", "-last_activity_at")
    )


class CaseMailOfUnits:
    """The secure messages and conversations linked to a case, of the units that a subquery gives
    for the reader (the back office's scope: Securemail does not read it), compiled once per
    process. The same rows as selectors_backoffice.messages_linked_to_case and
    conversations_linked_to_case with the reader's unit ids."""

    def __init__(self, units_of_reader: Callable[[int], QuerySet]):
        self._messages = PreparedQuery(
            lambda case_id, reader_id: (
                Message.objects.filter(
                    conversation__case_id=case_id,
                    conversation__unit_id__in=units_of_reader(reader_id),
                )
                .select_related("conversation__topic")
                .defer("subject_sealed", "body_sealed", "conversation__correspondent_email_sealed")
                .order_by("created_at", "id")
            ),
            case_id=int,
            reader_id=int,
        )
        # The case page's list shows the topic, dates, status and unread count: not the unit,
        # the assignee's row, nor the correspondent's sealed address.
        self._conversations = PreparedQuery(
            lambda case_id, reader_id: (
                _conversations_of_units(units_of_reader(reader_id))
                .filter(case_id=case_id)
                .annotate(case_number=F("case__case_number"))
                .order_by("-last_activity_at")
                .select_related(None)
                .select_related("topic")
                .defer("correspondent_email_sealed")
            ),
            case_id=int,
            reader_id=int,
        )

    def messages(self, *, case_id: int, reader_id: int) -> list[Message]:
        """Oldest first, for the case's timeline: times, directions and topics only."""
        return self._messages.all(case_id=case_id, reader_id=reader_id)

    def conversations(self, *, case_id: int, reader_id: int) -> list[Conversation]:
        """Newest activity first, each with its count of unread messages."""
        return self._conversations.all(case_id=case_id, reader_id=reader_id)

    def messages_read(self, *, case_id: int, reader_id: int) -> BoundQuery:
        """messages(), to be read with other statements (core.prepared_queries.all_together)."""
        return self._messages.bound(case_id=case_id, reader_id=reader_id)

    def conversations_read(self, *, case_id: int, reader_id: int) -> BoundQuery:
        """conversations(), to be read with other statements."""
        return self._conversations.bound(case_id=case_id, reader_id=reader_id)


def attachment_in_conversation(*, attachment_id, conversation: Conversation) -> Attachment:
    """An attachment of a conversation the caller already scoped (conversation_for_...)."""
    try:
        return Attachment.objects.select_related("document", "message").get(
            pk=attachment_id, message__conversation=conversation
        )
    except (Attachment.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        raise Http404 from error


def topics_for_administration() -> QuerySet[Topic]:
    """Every topic, offered or not, with its unit, for the administrators' topic page."""
    return Topic.objects.select_related("unit").order_by("-active", "ordering", "code")

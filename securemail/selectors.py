"""Reads of Securemail, always scoped: by the correspondent (a verified address's hash, or the
signed-in user) or by a set of unit ids (the back office passes the caseworker's units). Any id
outside the scope raises Http404, exactly as an id that does not exist."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from core.prepared_queries import PreparedQuery
from securemail.models import Attachment, Conversation, Direction, Topic


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


def conversations_of_signed_in_user_about_case(*, user, case_id: int) -> list[Conversation]:
    """The signed-in user's own conversations about one of their cases still in their view, as
    conversations_for_correspondent has them."""
    return _CONVERSATIONS_OF_USER_ABOUT_CASE.all(
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
    return (
        Conversation.objects.filter(unit_id__in=list(unit_ids))
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

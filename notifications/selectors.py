"""Reads about sent email, by recipient hash and kind (never by content: none is stored)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import recipient_hashes


def email_recently_sent(*, to: str, kind: str, within: timedelta) -> bool:
    return OutboundEmail.objects.filter(
        recipient_hash__in=recipient_hashes(to), kind=kind, created_at__gt=timezone.now() - within
    ).exists()

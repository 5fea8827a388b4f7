"""Background work of Securemail: the retention jobs (securemail/retention.py)."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic
from securemail import retention


@periodic
@task()
def conversations_delete_expired() -> int:
    """Periodic: conversations past SECUREMAIL_RETENTION_DAYS, with their files."""
    return retention.conversations_delete_expired()


@periodic
@task()
def access_codes_delete_expired() -> int:
    """Periodic: access codes whose code and session have both lapsed."""
    return retention.access_codes_delete_expired()

"""Background work of Securemail: the retention sweep."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic


@periodic
@task()
def purge_expired() -> int:
    """Periodic: delete conversations past retention (files too) and lapsed access codes."""
    from securemail.access import access_codes_purge
    from securemail.services import conversations_purge_expired

    return conversations_purge_expired() + access_codes_purge()

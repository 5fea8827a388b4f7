"""Background work of accounts: the periodic retention jobs (each calls its service)."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic


@periodic
@task()
def sessions_delete_expired() -> int:
    from accounts.retention import sessions_delete_expired

    return sessions_delete_expired()


@periodic
@task()
def one_time_codes_delete_expired() -> int:
    from accounts.retention import one_time_codes_delete_expired

    return one_time_codes_delete_expired()


@periodic
@task()
def form_submissions_delete_expired() -> int:
    from accounts.retention import form_submissions_delete_expired

    return form_submissions_delete_expired()


@periodic
@task()
def sign_in_attempts_delete_expired() -> int:
    from accounts.retention import sign_in_attempts_delete_expired

    return sign_in_attempts_delete_expired()

"""Background work of the audit log: the periodic retention job (it calls its service)."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic


@periodic
@task()
def audit_client_addresses_anonymise_expired() -> int:
    from audit.retention import audit_client_addresses_anonymise_expired

    return audit_client_addresses_anonymise_expired()

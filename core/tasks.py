"""Background work of the core: pruning the rate-limit counters."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic


@periodic
@task()
def rate_limit_counters_prune() -> int:
    from core.ratelimit import rate_limit_prune

    return rate_limit_prune()

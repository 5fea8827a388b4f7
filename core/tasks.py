"""Background work of the core: pruning the rate-limit counters and the finished task results, and
failing the task results that dead workers left running."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic


@periodic
@task()
def rate_limit_counters_prune() -> int:
    from core.ratelimit import rate_limit_prune

    return rate_limit_prune()


@periodic
@task()
def task_results_delete_expired() -> int:
    from core.retention import task_results_delete_expired

    return task_results_delete_expired()


@periodic
@task()
def task_results_fail_abandoned() -> int:
    from core.stalled_work import task_results_fail_abandoned

    return task_results_fail_abandoned()

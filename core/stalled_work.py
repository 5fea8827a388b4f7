"""Background work that a dead worker left claimed: re-queued after a timeout, failed for good after
the last attempt. One shape for every kind of work (virus scans, emails, text messages).

A worker claims an attempt by counting it (`attempts`) and stamping the time (`claimed_at`). A row
still pending whose claim, or whose creation when never claimed, is older than the timeout has no
living worker. Every change here is conditional on the values just read, so that a worker claiming
the row meanwhile, or a second sweeper, wins and this sweep leaves the row alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepCounts:
    requeued: int = 0
    failed: int = 0


def stalled_work_sweep(
    *,
    name: str,
    pending: QuerySet,
    claimed_at: str,
    attempts: str,
    timeout: timedelta,
    max_attempts: int,
    requeue: Callable[[Any, int], None],
    fail: Callable[[QuerySet, str], int],
    requeueable: Q | None = None,
    now=None,
    batch_size: int = 500,
) -> SweepCounts:
    """Re-queue or fail the stalled rows of `pending` (the work not finished yet).

    `requeue(pk, attempt)` queues attempt number `attempt` of the row. `fail(rows, reason)` marks
    the row of the one-row queryset `rows` failed and returns how many rows it changed; the reason
    is "stalled" (the attempts are used up) or "not_requeueable" (the row is outside `requeueable`,
    such as a send whose content was not kept).
    """
    now = now or timezone.now()
    cutoff = now - timeout
    stalled = pending.filter(
        Q(**{f"{claimed_at}__lt": cutoff})
        | Q(**{f"{claimed_at}__isnull": True, "created_at__lt": cutoff})
    )
    requeued = failed = 0
    for pk, attempts_made, claimed in stalled.order_by("created_at", "pk").values_list(
        "pk", attempts, claimed_at
    )[:batch_size]:
        unchanged = pending.filter(pk=pk, **{attempts: attempts_made, claimed_at: claimed})
        if attempts_made >= max_attempts:
            if fail(unchanged, "stalled"):
                failed += 1
                logger.warning("%s %s failed: stalled after %s attempts", name, pk, attempts_made)
            continue
        rearmable = unchanged.filter(requeueable) if requeueable is not None else unchanged
        # Re-arming the timeout (claimed_at = now) keeps the next sweep off the re-queued row.
        if rearmable.update(**{claimed_at: now}):
            requeue(pk, attempts_made + 1)
            requeued += 1
            logger.info("%s %s re-queued after stalled attempt %s", name, pk, attempts_made)
        elif requeueable is not None and fail(unchanged, "not_requeueable"):
            failed += 1
            logger.warning("%s %s failed: it cannot be re-queued", name, pk)
    return SweepCounts(requeued=requeued, failed=failed)


# What an abandoned task result row says failed it (django-tasks-db shows it as the exception).
ABANDONED_TASK_ERROR = "core.stalled_work.WorkerLost"


def task_results_fail_abandoned(*, now=None) -> int:
    """The task queue's own rows (django-tasks-db) of tasks whose worker died: a worker killed
    mid-task leaves its row *running* for ever, which the queue never looks at again and the
    retention job never deletes. A row running longer than TASK_ABANDONED_AFTER_SECONDS becomes
    *failed* (shown with ABANDONED_TASK_ERROR), so that an operator sees it and retention deletes
    it later. The work itself is not run again here: each kind's own sweeper above re-queues it
    (scans, emails, text messages), and periodic tasks run again at the next cron run.

    One conditional UPDATE: a row that finishes meanwhile has left *running* and is not changed;
    a task that finishes after all still records its own outcome over this one."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASK_ABANDONED_AFTER_SECONDS)
    abandoned = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    paths = sorted(set(abandoned.values_list("task_path", flat=True)))
    failed = abandoned.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=ABANDONED_TASK_ERROR,
        traceback=(
            "The worker stopped before the task finished; the row was still running after "
            f"{settings.TASK_ABANDONED_AFTER_SECONDS} seconds."
        ),
        return_value=None,
    )
    if failed:
        logger.warning("%s abandoned task result(s) marked failed: %s", failed, ", ".join(paths))
    return failed

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

from django.db.models import Q, QuerySet
from django.utils import timezone

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

"""Processing time against the permit type's target: days used (pauses excluded) and an estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from casework.selectors import related_or_none


@dataclass(frozen=True)
class ProcessingTime:
    days_used: int
    target_days: int
    paused: bool
    stopped: bool
    # The day a decision can be expected if the case keeps to its target; None once decided.
    estimated_decision: date | None

    @property
    def over_target(self) -> bool:
        return self.days_used > self.target_days


def processing_time(application, now=None) -> ProcessingTime:
    """Works without a case file (a case nobody has touched yet: the clock simply runs)."""
    now = now or timezone.now()
    target = application.permit_type.target_processing_days
    case_file = related_or_none(application, "case_file")
    if case_file is not None:
        used = case_file.time_used(now)
        paused = case_file.is_paused
        stopped = case_file.clock_stopped_at is not None
    else:
        used = max(now - (application.submitted_at or now), timedelta(0))
        paused = stopped = False
    days_used = used.days
    estimate = None
    if not stopped:
        estimate = timezone.localdate(now) + timedelta(days=max(target - days_used, 0))
    return ProcessingTime(days_used, target, paused, stopped, estimate)

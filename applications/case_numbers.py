"""Case numbers: "<prefix>-<year>-<6 digits>", one gap-free sequence per year."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from applications.models import CaseNumberCounter
from core.authority import authority


def format_case_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


@transaction.atomic
def case_number_next(*, at: datetime.datetime | None = None) -> str:
    """Take the next number of the year. Call it inside the submitting transaction: the counter row
    stays locked until that transaction ends, so two submissions never get the same number and a
    rolled-back submission gives its number back."""
    year = timezone.localdate(at or timezone.now()).year
    # get_or_create first: two first-of-the-year submissions race on the INSERT, the unique year
    # makes one of them fall back to reading the row the other created.
    CaseNumberCounter.objects.get_or_create(year=year)
    counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_case_number(authority().case_number_prefix, year, counter.last_number)

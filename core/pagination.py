"""Pages of a list without Django's COUNT query when the first page already holds every row."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_of(queryset: QuerySet, per_page: int, number) -> Page:
    """Paginator(queryset, per_page).get_page(number), the same page, numbers and links.

    Django counts the rows (a COUNT of the whole filtered query) before it reads a page. The
    first page is read here with one row more than fits: when that extra row is not there, the
    rows read are the count, and the COUNT is not run. With more rows, or on a later page, Django
    counts as before.
    """
    paginator = Paginator(queryset, per_page)
    if str(number or "1") != "1":
        return paginator.get_page(number)
    rows = list(queryset[: per_page + 1])
    if len(rows) <= per_page:
        # Paginator.count is a cached property: the rows just read are the whole list.
        paginator.count = len(rows)
    return Page(rows[:per_page], 1, paginator)

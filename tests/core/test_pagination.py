"""core.pagination.page_of: Django's pages, without the COUNT when the first page holds every row."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.pagination import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user):
    return [make_user(role="caseworker") for _ in range(5)]


def _summary(page) -> tuple:
    return (
        [user.pk for user in page.object_list],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
        page.has_previous(),
    )


@pytest.mark.parametrize("per_page", [2, 4, 5, 6, 50])
@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "9", "x"])
def test_the_page_is_the_one_django_gives(users, per_page, number):
    queryset = User.objects.order_by("pk")
    expected = Paginator(queryset, per_page).get_page(number)
    assert _summary(page_of(queryset, per_page, number)) == _summary(expected)


@pytest.mark.parametrize("per_page", [5, 50])
def test_a_first_page_that_holds_every_row_is_read_without_a_count(users, per_page):
    with CaptureQueriesContext(connection) as queries:
        page = page_of(User.objects.order_by("pk"), per_page, None)
        assert page.paginator.count == 5 and not page.has_next()
    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"]


def test_a_longer_list_is_counted_as_django_counts_it(users):
    with CaptureQueriesContext(connection) as queries:
        page = page_of(User.objects.order_by("pk"), 2, "1")
        assert page.paginator.count == 5 and page.has_next()
    assert len(queries) == 2

import threading

import pytest
from django.db import connection, connections

from core.models import RateLimitCounter
from core.ratelimit import rate_limit_hit, rate_limit_prune


@pytest.mark.django_db
def test_requests_are_allowed_up_to_the_limit_within_one_window():
    results = [
        rate_limit_hit(scope="test", key="192.0.2.1", limit=3, window_seconds=60, now=1000.0)
        for _ in range(4)
    ]
    assert [result.allowed for result in results] == [True, True, True, False]
    assert results[-1].count == 4
    assert results[-1].retry_after == 20  # the window 960..1020 ends in 20 seconds


@pytest.mark.django_db
def test_a_new_window_starts_counting_again_and_drops_the_old_one():
    for _ in range(3):
        rate_limit_hit(scope="test", key="k", limit=3, window_seconds=60, now=1000.0)
    result = rate_limit_hit(scope="test", key="k", limit=3, window_seconds=60, now=1030.0)
    assert result.allowed and result.count == 1
    assert RateLimitCounter.objects.filter(scope="test").count() == 1


@pytest.mark.django_db
def test_keys_and_scopes_are_counted_apart_and_stored_only_hashed():
    rate_limit_hit(scope="a", key="192.0.2.1", limit=1, window_seconds=60, now=1000.0)
    assert rate_limit_hit(
        scope="a", key="192.0.2.2", limit=1, window_seconds=60, now=1000.0
    ).allowed
    assert rate_limit_hit(
        scope="b", key="192.0.2.1", limit=1, window_seconds=60, now=1000.0
    ).allowed
    assert not RateLimitCounter.objects.filter(key_digest__contains="192.0.2").exists()


@pytest.mark.django_db
def test_old_counters_are_pruned():
    rate_limit_hit(scope="a", key="k", limit=1, window_seconds=60, now=1000.0)
    assert rate_limit_prune(now=1000.0 + 2 * 86400) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_from_many_connections_lose_no_increment():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race this guards against needs PostgreSQL")
    errors = []

    def hit_many():
        try:
            for _ in range(25):
                rate_limit_hit(scope="race", key="k", limit=1000, window_seconds=3600, now=5000.0)
        except Exception as error:  # collected so that the test reports it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RateLimitCounter.objects.get(scope="race").count == 200

import threading

import pytest
from django.db import connection, connections

from core.models import RateLimitCounter
from core.prepared_queries import sends_together
from core.ratelimit import rate_limit_hit, rate_limit_prune
from trust.engine_factory import current_engine, engine_config
from trust.models import ChannelKind, OfficialChannel
from trust.selectors import _registry_rows, registry_read
from trust.services import official_channels_load_from_profile


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


@pytest.mark.django_db
def test_a_read_sent_along_gives_the_rows_it_gives_alone_and_the_count_still_counts():
    official_channels_load_from_profile()
    OfficialChannel.objects.create(kind=ChannelKind.WEB_DOMAIN, value="off.example", active=False)
    counts, along_rows = [], []
    for _ in range(3):
        result = rate_limit_hit(
            scope="along", key="k", limit=2, window_seconds=60, now=1000.0, along=registry_read()
        )
        counts.append((result.count, result.allowed))
        along_rows.append(result.along_rows)
    assert counts == [(1, True), (2, True), (3, False)]
    if sends_together():
        # Sent in the same execute on PostgreSQL: the registry's rows as its own read gives them.
        assert along_rows == [_registry_rows()] * 3
        assert len(along_rows[0]) == OfficialChannel.objects.count()
    else:
        assert along_rows == [None] * 3  # SQLite: the caller reads them itself


@pytest.mark.django_db
def test_the_engine_built_from_rows_read_along_is_the_one_built_from_its_own_read():
    official_channels_load_from_profile()
    OfficialChannel.objects.create(kind=ChannelKind.EMAIL_DOMAIN, value="mail.example")
    OfficialChannel.objects.create(kind=ChannelKind.PHONE_NUMBER, value="+358401234567")
    rows = _registry_rows()
    assert engine_config(rows) == engine_config()
    assert "mail.example" in engine_config(rows).official_email_domains
    assert current_engine(rows) is current_engine()

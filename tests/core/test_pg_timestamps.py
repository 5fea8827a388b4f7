"""core.pg_timestamps: PostgreSQL's timestamptz values read by psycopg's C loader are the values
Django's own loader gives, tzinfo included, and Django keeps using the connection's loader."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's driver"),
]

MOMENTS = [
    "2026-12-01 14:09:24.290779+00",
    "2026-03-29 00:59:59.999999+00",  # the hour before Helsinki's clocks go forward
    "2026-10-25 01:00:00+02",
    "1900-01-01 00:00:00-05:30",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2000-02-29 12:00:00.5+00",
    "1970-01-01 00:00:00.000001+00",
]


def _read(register_django_loader: bool, moments=MOMENTS):
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        if register_django_loader:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT moment::timestamptz FROM unnest(%s::text[]) AS moment", [moments])
        return [row[0] for row in cursor.fetchall()]


def _same(ours, django):
    assert ours == django
    assert [type(value) for value in ours] == [datetime.datetime] * len(MOMENTS)
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in django]
    assert all(value.tzinfo is datetime.UTC for value in ours)
    assert [value.isoformat() for value in ours] == [value.isoformat() for value in django]


def test_the_connections_timestamp_loader_is_the_c_one_and_django_keeps_it():
    from psycopg.postgres import types
    from psycopg.pq import Format

    from core.pg_timestamps import _FAST_LOADER

    assert _FAST_LOADER is not None  # psycopg[binary] is installed
    connection.ensure_connection()
    oid = types["timestamptz"].oid
    assert connection.connection.adapters.get_loader(oid, Format.TEXT) is _FAST_LOADER
    with connection.cursor() as cursor:
        # Django's create_cursor did not register its loader on the cursor (our timezone is its).
        assert cursor.cursor.adapters.get_loader(oid, Format.TEXT) is _FAST_LOADER


def test_timestamps_are_the_values_djangos_loader_gives():
    _same(_read(register_django_loader=False), _read(register_django_loader=True))


def test_a_session_in_another_zone_is_read_by_djangos_loader():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Europe/Helsinki'")
    moments = [moment for moment in MOMENTS if not moment.startswith("9999")]  # 10000 there
    try:
        ours = _read(register_django_loader=False, moments=moments)
        django = _read(register_django_loader=True, moments=moments)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert ours == django and len(ours) == len(moments)
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in django]


def test_a_model_reads_back_the_moment_it_wrote(make_user):
    from accounts.models import User

    moment = datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=datetime.UTC)
    user = make_user()
    User.objects.filter(pk=user.pk).update(last_login=moment)
    read = User.objects.get(pk=user.pk).last_login
    assert read == moment and read.tzinfo is datetime.UTC

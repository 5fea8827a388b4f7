"""PostgreSQL's timestamptz columns read by psycopg's C loader where it gives the value Django's
loader gives: about 7 µs less a timestamp (dozens on a signed-in page).

Django registers its own text loader for timestamptz on each connection
(django/db/backends/postgresql/psycopg_any.py: BaseTzLoader subclasses psycopg's pure-Python
TimestamptzLoader, parses each value with a regular expression, then replaces the result's
tzinfo with the connection's `timezone`), so psycopg's C loader (psycopg[binary]) is never used.
With USE_TZ and no database TIME_ZONE, Django's timezone is datetime.UTC and it sets the session's
TimeZone to UTC; psycopg's loaders then return their datetime in the session's zone, which
psycopg names datetime.UTC too (psycopg._tz.get_tzinfo): the same value, tzinfo included. Only
there is the C loader used; any other zone keeps Django's loader. Django's create_cursor reads
the loader's `timezone` attribute and registers its own per cursor when it differs: ours says
UTC. Internals relied on are tested in tests/core/test_pg_timestamps.py.
"""

from __future__ import annotations

import datetime

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def _fast_loader_class():
    """The loader class to register, or None where psycopg's C loader is not there."""
    try:
        import psycopg
        from django.db.backends.postgresql.psycopg_any import BaseTzLoader
        from psycopg._tz import get_tzinfo
        from psycopg.adapt import Loader
        from psycopg.pq import Format
    except ImportError:  # psycopg 2 or no PostgreSQL driver at all
        return None
    oid = psycopg.postgres.types["timestamptz"].oid
    c_loader = psycopg.adapters.get_loader(oid, Format.TEXT)
    if (
        c_loader is None
        or issubclass(c_loader, BaseTzLoader)
        or c_loader.__module__ == ("psycopg.types.datetime")
    ):
        return None  # the pure-Python implementation: nothing to gain

    class UtcTimestamptzLoader(Loader):
        """Django's loader for datetime.UTC, with psycopg's C loader doing the work."""

        timezone = datetime.UTC  # compared by Django's create_cursor

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            connection = self.connection
            if get_tzinfo(connection.pgconn if connection else None) is datetime.UTC:
                # psycopg's C transformer calls the loader's `load`: the C loader's, no frame.
                self.load = c_loader(oid, context).load
            else:  # the session's zone is not UTC: Django's own loader
                self.load = _django_loader(oid, context).load

        def load(self, data):  # replaced in __init__
            raise NotImplementedError

    class _django_loader(BaseTzLoader):  # noqa: N801
        timezone = datetime.UTC

    return UtcTimestamptzLoader


_FAST_LOADER = _fast_loader_class()


@receiver(connection_created, dispatch_uid="core.pg_timestamps")
def use_the_c_timestamp_loader(sender, connection, **kwargs) -> None:
    """On a new PostgreSQL connection whose Django timezone is UTC."""
    if (
        _FAST_LOADER is None
        or connection.vendor != "postgresql"
        or connection.timezone is not datetime.UTC
    ):
        return
    adapters = getattr(connection.connection, "adapters", None)
    if adapters is not None:
        adapters.register_loader("timestamptz", _FAST_LOADER)

"""Django's PostgreSQL backend (DATABASES ENGINE "core.postgresql") whose per-request health check
asks the connection's socket instead of the server.

With CONN_HEALTH_CHECKS Django checks a persistent connection before its first use in each
request by sending "SELECT 1" (is_usable): a round trip on every page that reads the database,
about 0.34 ms of the web process's CPU, a quarter of a bare page. What that check finds is a
connection the server ended (a restart, pg_terminate_backend, an idle timeout): the server then
sends its reason (a FATAL message) and closes the socket, so the socket has something to read
where an idle connection has nothing. That is asked here without a round trip: the driver's
broken flag or any byte to read closes the connection, as a failed check does, and the next use
opens a new one. A connection not idle (in a transaction, or closed) gets Django's own check, and
so does one after a database error (close_if_unusable_or_obsolete).
Subclassing a backend is Django's documented way to change one (docs: "Subclassing the built-in
database backends"); tests/core/test_postgresql_health_check.py compares it with Django's check.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from psycopg.pq import TransactionStatus  # psycopg 3 (requirements.lock), whose flags this reads


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if self.connection.info.transaction_status != TransactionStatus.IDLE:
            # In a transaction, or a connection already closed: Django's own check.
            return super().close_if_health_check_failed()
        if not self.connection_quiet():
            self.close()
        self.health_check_done = True

    def connection_quiet(self) -> bool:
        """Whether the idle connection's socket has nothing to read (no error, no end): what
        "SELECT 1" would find, without asking the server."""
        if self.connection.broken:
            return False
        poller = select.poll()
        poller.register(self.connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)  # (POLLERR and POLLHUP are always reported)

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

With server-side binding (OPTIONS "server_side_binding", as config/settings.py sets it) the cursor
also runs core.prepared_queries.Together: several statements sent in one round trip through
psycopg's pipeline mode, each by the extended protocol, so each can be a prepared statement. It
prepares core.prepared_queries.PreparedSQL statements only, the first time it sends one (OPTIONS
"prepare_threshold" not None; None prepares nothing). The simple query protocol that joins
statements with semicolons (the client-side binding cursor's way) takes no prepared statement:
the server parses and plans each statement again on every request, which cost it more CPU than
the web process spent on the page's queries.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from django.db.backends.postgresql.base import ServerBindingCursor
from psycopg.pq import TransactionStatus  # psycopg 3 (requirements.lock), whose flags this reads

from core.prepared_queries import PreparedSQL, Together


class PipelineCursor(ServerBindingCursor):
    """Django's server-side binding cursor, which also executes a Together: its statements sent
    in one pipeline (one round trip), each result fetched by the statement's own fetch; the
    list of results is left in `together_results`. Between the pipeline's start and its Sync the
    statements run in one implicit transaction outside a transaction block (an INSERT among them
    is committed with the rest or not at all), as joined statements run by the simple protocol;
    inside Django's atomic block they run in that transaction."""

    together_results: list | None = None

    def execute(self, query, params=None, **kwargs):
        if type(query) is not Together:
            # Only a PreparedSQL is prepared (it says why); every other statement is planned
            # for its values, as Django's default cursor has it.
            kwargs.setdefault("prepare", type(query) is PreparedSQL)
            return super().execute(query, params, **kwargs)
        cursors = _spare_cursors(self.connection, len(query.statements))
        with self.connection.pipeline():
            for cursor, (sql, values, _fetch) in zip(cursors, query.statements, strict=False):
                cursor.execute(sql, values)
        # The pipeline's end sent the Sync and read every result, or raised the first error.
        self.together_results = [
            fetch(cursor)
            for cursor, (_sql, _values, fetch) in zip(cursors, query.statements, strict=False)
        ]
        return self


def _spare_cursors(connection, count: int) -> list:
    """`count` cursors of the connection kept for its pipelines: a new cursor builds its own
    adapters and a page sends a pipeline on every request. A cursor executes again after its
    last result was fetched (or its statement failed); the connection is one thread's."""
    spare = getattr(connection, "_permitsafe_pipeline_cursors", None)
    if spare is None:
        spare = connection._permitsafe_pipeline_cursors = []
    while len(spare) < count:
        spare.append(connection.cursor())
    return spare


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if self.pipelines_together:
            params["cursor_factory"] = PipelineCursor
        return params

    @property
    def pipelines_together(self) -> bool:
        """Whether this connection's cursor runs a Together in one pipeline."""
        return self.settings_dict["OPTIONS"].get("server_side_binding") is True

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

"""Django's database sessions (SESSION_ENGINE), read with one plain SQL statement.

Every request with a session cookie reads its session row. Through the ORM that read (a `get()`
with two conditions) cost about three times the statement's own time in Python: a queryset built,
cloned and compiled on each request. This is the same statement written out once: the same row,
the same expiry condition, the same decoding, nothing kept between requests. Writes (create, save,
delete) stay Django's.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def load(self):
        data = self._live_session_data()
        if data is None:
            # As Django's store does: an unknown or expired key is not reused for the new session.
            self._session_key = None
            return {}
        return self.decode(data)

    def _live_session_data(self) -> str | None:
        """The session's encoded data if its row exists and has not expired (Django's
        `Session.objects.get(session_key=..., expire_date__gt=now)`)."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        meta = model._meta
        # Only the model's own table and column names go into the text, quoted; values are
        # parameters.
        statement = (
            f"SELECT {quote(meta.get_field('session_data').column)}"  # noqa: S608
            f" FROM {quote(meta.db_table)}"
            f" WHERE {quote(meta.get_field('session_key').column)} = %s"
            f" AND {quote(meta.get_field('expire_date').column)} > %s"
        )
        # The value as the ORM sends it for a DateTimeField (naive UTC text on SQLite).
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(statement, [self.session_key, now])
            row = cursor.fetchone()
        return row[0] if row is not None else None

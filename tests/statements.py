"""The statements a test captured, one by one: core.prepared_queries.all_together sends several
in one execute on PostgreSQL, which Django captures as one query."""

from __future__ import annotations

from core.prepared_queries import STATEMENT_SEPARATOR


def statements(captured) -> list[str]:
    """Each statement of the captured queries (a CaptureQueriesContext), in the order sent."""
    return [
        statement
        for query in captured.captured_queries
        for statement in query["sql"].split(STATEMENT_SEPARATOR)
    ]

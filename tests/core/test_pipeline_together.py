"""core.postgresql's pipeline cursor (server-side binding, config/settings.py): statements sent
together come back each with its own result, in one round trip with one Sync, in one implicit
transaction outside a transaction block and inside the block that is open; a PreparedSQL is
prepared the first time a connection sends it, and no other statement ever is."""

from __future__ import annotations

import tempfile

import pytest
from django.db import DatabaseError, connection, transaction

from core.prepared_queries import PreparedSQL, send_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's pipeline (psycopg 3)"
    ),
]

TABLE = "pipeline_together_probe"


@pytest.fixture
def probe_table():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (id serial PRIMARY KEY, word text UNIQUE NOT NULL)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")


def _all(cursor):
    return cursor.fetchall()


def _words() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {TABLE} ORDER BY id")  # noqa: S608
        return [word for (word,) in cursor.fetchall()]


def _insert(word: str):
    return (f"INSERT INTO {TABLE} (word) VALUES (%s) RETURNING word", [word], _all)  # noqa: S608


def test_settings_bind_on_the_server_so_statements_go_through_the_pipeline():
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    assert connection.pipelines_together is True
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] == 0


def test_each_statement_gives_its_own_result_as_if_sent_alone(probe_table):
    statements = [
        ("SELECT %s::int + 1", [41], _all),
        _insert("it's 100% a \\ back'slash; %s -- not a comment"),
        ("SELECT generate_series(1, %s)", [3], _all),
        (f"SELECT word FROM {TABLE} WHERE word = %s", ["nothing"], _all),  # noqa: S608
    ]
    together = send_together(connection, statements)
    assert together == [
        [(42,)],
        [("it's 100% a \\ back'slash; %s -- not a comment",)],
        [(1,), (2,), (3,)],
        [],
    ]


def test_statements_go_in_one_round_trip_with_one_sync(probe_table):
    """libpq's trace of the connection: every statement's messages leave before the first
    answer comes back, and one Sync ends them."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        try:
            send_together(connection, [_insert("a"), ("SELECT 1", None, _all), _insert("b")])
        finally:
            pgconn.untrace()
        trace.seek(0)
        lines = [line.split("\t") for line in trace.read().splitlines()]
    directions = [fields[1] for fields in lines]
    messages = [fields[3] for fields in lines]
    assert messages.count("Sync") == 1
    first_answer = directions.index("B")
    assert "Sync" in messages[:first_answer]
    assert messages[:first_answer].count("Execute") == 3
    assert _words() == ["a", "b"]


def _prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {text for (text,) in cursor.fetchall()}


def test_a_connection_prepares_a_prepared_sql_and_nothing_else(probe_table):
    fixed = PreparedSQL(f"SELECT word FROM {TABLE} WHERE id > %s")  # noqa: S608
    other = f"SELECT word FROM {TABLE} WHERE id < %s"  # noqa: S608
    send_together(connection, [(fixed, [0], _all), ("SELECT %s::int", [7], _all)])
    assert f"SELECT word FROM {TABLE} WHERE id > $1" in _prepared_statements()  # noqa: S608
    for _ in range(10):
        send_together(connection, [(other, [9], _all), ("SELECT %s::int", [7], _all)])
        with connection.cursor() as cursor:
            cursor.execute(other, [9])
    prepared = _prepared_statements()
    assert f"SELECT word FROM {TABLE} WHERE id < $1" not in prepared  # noqa: S608
    assert "SELECT $1::int" not in prepared


def test_the_task_queues_poll_is_planned_for_its_values(probe_table):
    """django-tasks-db's worker finds READY tasks through a partial index on that status; a
    generic plan (any status) cannot use it and read most of the task table on every poll."""
    from django_tasks_db.models import DBTaskResult

    for _ in range(10):
        with transaction.atomic():  # as the worker polls
            DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
    assert not any("django_tasks_database" in text for text in _prepared_statements())


def test_a_failing_statement_takes_the_earlier_ones_with_it_and_the_connection_goes_on(
    probe_table,
):
    send_together(connection, [_insert("taken")])
    with pytest.raises(DatabaseError):
        send_together(connection, [_insert("first"), _insert("taken"), _insert("never")])
    assert _words() == ["taken"]
    assert send_together(connection, [("SELECT %s::int", [1], _all)]) == [[(1,)]]


def test_inside_a_transaction_block_they_belong_to_it(probe_table):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        send_together(connection, [_insert("undone"), ("SELECT 1", None, _all)])
        assert _words() == ["undone"]
        raise Undo
    assert _words() == []
    with transaction.atomic():
        send_together(connection, [_insert("kept")])
    assert _words() == ["kept"]


def test_the_query_log_shows_each_statement_with_its_values(probe_table):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        send_together(connection, [_insert("logged"), ("SELECT %s::int", [5], _all)])
    assert len(captured.captured_queries) == 1
    assert captured.captured_queries[0]["sql"] == (
        f"INSERT INTO {TABLE} (word) VALUES ('logged') RETURNING word;\nSELECT 5::int"  # noqa: S608
    )

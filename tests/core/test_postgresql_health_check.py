"""The per-request health check of PostgreSQL connections (core.postgresql) finds what Django's
"SELECT 1" finds, a connection the server ended, without a round trip for a healthy one."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connections

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="PostgreSQL's backend"
)


def _checked_at_the_next_use(connection) -> None:
    """As at the start of a request: the next cursor checks the connection first."""
    connection.health_check_enabled = True
    connection.health_check_done = False


def test_the_site_uses_this_backend_on_postgresql():
    assert connections["default"].settings_dict["ENGINE"] == "core.postgresql"
    assert connections["default"].settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_healthy_idle_connection_is_kept_without_a_statement(monkeypatch):
    connection = connections["default"]
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid

    def no_round_trip():
        raise AssertionError("the health check asked the server")

    monkeypatch.setattr(connection, "is_usable", no_round_trip)
    _checked_at_the_next_use(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == backend_pid
    assert connection.health_check_done


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_its_next_use():
    connection = connections["default"]
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    finally:
        other.close()
    # The server's FATAL message and the end of the stream arrive at the socket shortly after.
    select.select([connection.connection.fileno()], [], [], 5)
    time.sleep(0.05)

    assert connection.connection_quiet() is False
    assert connection.is_usable() is False  # Django's own check agrees

    _checked_at_the_next_use(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend_pid


@pytest.mark.django_db(transaction=True)
def test_a_connection_in_a_transaction_gets_djangos_own_check(monkeypatch):
    connection = connections["default"]
    asked = []
    monkeypatch.setattr(connection, "is_usable", lambda: asked.append(True) or True)
    connection.ensure_connection()
    connection.connection.execute("BEGIN")
    try:
        _checked_at_the_next_use(connection)
        connection.close_if_health_check_failed()
    finally:
        connection.connection.execute("ROLLBACK")
    assert asked == [True] and connection.connection is not None

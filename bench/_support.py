"""What the benchmarks that start servers of their own share: free loopback ports and throwaway
PostgreSQL databases. The cluster's provisioning (deploy.provisioning) does the work; this module
only names it for bench/ in one place.

    from bench._support import admin_sql, database_url, free_port
"""

from __future__ import annotations

from deploy.provisioning import database_url, drop_database, ensure_database, free_port

__all__ = ["admin_sql", "database_url", "drop_database", "ensure_database", "free_port"]


def admin_sql(server_url: str, statement: str) -> None:
    """One statement in autocommit on the server of `server_url` (CREATE/DROP DATABASE, which
    cannot run inside a transaction)."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(statement)

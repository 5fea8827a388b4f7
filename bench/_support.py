"""What the benchmarks that start servers of their own share: free loopback ports and throwaway
PostgreSQL databases. The cluster's provisioning (deploy.provisioning) does the work; this module
only names it for bench/ in one place.

    from bench._support import database_url, drop_database, ensure_database, free_port
"""

from __future__ import annotations

from deploy.provisioning import database_url, drop_database, ensure_database, free_port

__all__ = ["database_url", "drop_database", "ensure_database", "free_port"]

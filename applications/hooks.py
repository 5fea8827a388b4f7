"""Reads that other parts add to the applicant's home page, without the applications app importing
them: casework registers the applicant's open requests in its AppConfig.ready():

    home_reads.register("open_requests", lambda: open_requests_of_applicant_read)

A read is a function of the signed-in user that returns a core.prepared_queries.BoundQuery; the
home page sends it with its own statements (one execute on PostgreSQL) and gives its rows to the
template under the registered name.
"""

from __future__ import annotations

from collections.abc import Callable

from core.prepared_queries import BoundQuery
from core.registry import Registry

HomeRead = Callable[..., BoundQuery]

home_reads: Registry[HomeRead] = Registry("applicant home page read")

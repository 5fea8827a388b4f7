"""Fixed-window rate limits counted in the database, so that every web process shares one count.

One row per (scope, key, window) is created or incremented in a single atomic statement
(INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count), so concurrent requests in
many processes never lose an increment and need no lock. Keys (client addresses, codes) are stored
only as HMACs. Limits change per scope with settings.RATE_LIMITS = {scope: (limit, seconds)}.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import RateLimitCounter
from core.prepared_queries import PreparedSQL, fetch_all, send_together, sends_together
from core.retention import delete_in_batches


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends
    # The rows of the read sent along with the count (rate_limit_hit's `along`), else None.
    along_rows: list[tuple] | None = None


def _key_digest(scope: str, key: str) -> str:
    # Rotation: under the current key only; the counts of the window running at the restart begin
    # again (at most one window's allowance more), which is harmless.
    return salted_hmac("core.ratelimit", f"{scope}\x00{key}", algorithm="sha256").hexdigest()


def configured_limit(scope: str, limit: int, window_seconds: int) -> tuple[int, int]:
    """The (limit, window) for a scope: settings.RATE_LIMITS overrides the code's default."""
    override = settings.RATE_LIMITS.get(scope)
    return tuple(override) if override else (limit, window_seconds)


@functools.cache
def _upsert_sql(vendor: str) -> PreparedSQL:
    """The count's INSERT ... ON CONFLICT for a database backend: built once per process, as it
    depends on nothing but the code (a PreparedSQL: the check sends it on every request)."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    count = connection.ops.quote_name("count")
    # Only quoted identifiers are interpolated; every value is a query parameter.
    return PreparedSQL(
        " ".join(
            [
                f"INSERT INTO {table} (scope, key_digest, window_start, {count})",  # noqa: S608
                "VALUES (%s, %s, %s, 1) ON CONFLICT (scope, key_digest, window_start)",
                f"DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}",
            ]
        )
    )


def _increment_upsert(
    scope: str, digest: str, window_start: int, along: tuple[str, list] | None = None
) -> tuple[int, list[tuple] | None]:
    """The window's new count, and the rows of `along` when they came in the same execute."""
    sql = _upsert_sql(connection.vendor)
    params = [scope, digest, window_start]
    if along is None or not sends_together(connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0], None
    # One round trip for both (core.prepared_queries.send_together tells how and why).
    along_sql, along_params = along
    (count,), rows = send_together(
        connection, [(sql, params, _fetch_one), (along_sql, along_params, fetch_all)]
    )
    return count, rows


def _fetch_one(cursor) -> tuple:
    return cursor.fetchone()


def _increment_portable(scope: str, digest: str, window_start: int) -> int:
    # For databases without INSERT ... ON CONFLICT: UPDATE first, INSERT when no row, and UPDATE
    # again when another process inserted between the two.
    rows = RateLimitCounter.objects.filter(
        scope=scope, key_digest=digest, window_start=window_start
    )
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(
                    scope=scope, key_digest=digest, window_start=window_start, count=1
                )
        except IntegrityError:
            rows.update(count=F("count") + 1)
    return rows.values_list("count", flat=True).get()


def rate_limit_hit(
    *,
    scope: str,
    key: str,
    limit: int,
    window_seconds: int,
    now: float | None = None,
    along: tuple[str, list] | None = None,
) -> RateLimitResult:
    """Count one request for `key` in `scope`; `allowed` is False once past the window's limit.

    `along`: (sql, params) of a read of the default database that the request needs anyway: where
    the database takes several statements in one execute (PostgreSQL), it is sent with the count,
    saving a round trip, and its rows come back as `along_rows` (None otherwise: read it then)."""
    limit, window_seconds = configured_limit(scope, limit, window_seconds)
    now = time.time() if now is None else now
    window_start = int(now // window_seconds) * window_seconds
    digest = _key_digest(scope, key)
    along_rows = None
    if connection.vendor in {"postgresql", "sqlite"}:
        count, along_rows = _increment_upsert(scope, digest, window_start, along)
    else:
        count = _increment_portable(scope, digest, window_start)
    if count == 1:
        # The first request of a new window: the key's older windows are of no further use.
        RateLimitCounter.objects.filter(
            scope=scope, key_digest=digest, window_start__lt=window_start
        ).delete()
    retry_after = max(1, math.ceil(window_start + window_seconds - now))
    return RateLimitResult(
        allowed=count <= limit,
        count=count,
        limit=limit,
        retry_after=retry_after,
        along_rows=along_rows,
    )


def rate_limit_prune(
    *,
    older_than_seconds: int | None = None,
    now: float | None = None,
    batch_size: int | None = None,
) -> int:
    """Delete counters of windows that started long ago (keys that never came back); by default
    older than RETENTION_RATE_LIMIT_COUNTER_HOURS, which outlasts the longest window."""
    if older_than_seconds is None:
        older_than_seconds = settings.RETENTION_RATE_LIMIT_COUNTER_HOURS * 60 * 60
    now = time.time() if now is None else now
    expired = RateLimitCounter.objects.filter(window_start__lt=int(now) - older_than_seconds)
    return delete_in_batches(expired, batch_size=batch_size)


def address_key(address: str) -> str:
    """The rate-limit key of a client address: an IPv4 address as it is, an IPv6 address as its /64.

    One IPv6 customer (a home, a phone, a virtual server) is routinely given a whole /64 and can
    take a new address from it for every request, so keying by the address would limit nothing.
    An IPv4-mapped IPv6 address (::ffff:192.0.2.1, as dual-stack sockets report IPv4 peers) is
    the IPv4 client itself. Anything that is not an address is its own key.
    """
    text = (address or "").strip()
    try:
        parsed = ipaddress.ip_address(text.split("%", 1)[0])  # a zone id names no other client
    except ValueError:
        return text or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        # The network address is itself a valid address, so callers that store the key in an
        # address column (django-axes) can use it too.
        return str(ipaddress.IPv6Network((parsed, 64), strict=False).network_address)
    return str(parsed)


def client_address(request) -> str:
    """The key that rate limits count a request's client by (see `address_key`)."""
    # REMOTE_ADDR only, as in the audit log: X-Forwarded-For is chosen by the client (behind a
    # trusted proxy, core.middleware.TrustedProxyMiddleware has already put the client's here).
    return address_key(request.META.get("REMOTE_ADDR") or "")


def lockout_address(request) -> str | None:
    """settings.AXES_CLIENT_IP_CALLABLE: the rate limits' key for sign-in lock-outs, or None when
    the request has no address (django-axes stores the key in an address column)."""
    key = client_address(request)
    try:
        ipaddress.ip_address(key)
    except ValueError:
        return None
    return key


def try_again_message(seconds: float) -> str:
    """ "Try again in 15 minutes." in the active language: seconds under two minutes, then minutes,
    then hours, always rounded up so that the person never comes back too early."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return ngettext(
            "Try again in %(count)d second.", "Try again in %(count)d seconds.", seconds
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext(
            "Try again in %(count)d minute.", "Try again in %(count)d minutes.", minutes
        ) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("Try again in %(count)d hour.", "Try again in %(count)d hours.", hours) % {
        "count": hours
    }


def too_many_requests(request, result: RateLimitResult) -> HttpResponse:
    response = HttpResponse(
        _("Too many requests. Please try again later."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(result.retry_after)
    return response


def too_many_requests_page(request, result: RateLimitResult) -> HttpResponse:
    """The refusal as a page in the site's layout, for the forms that people fill in."""
    response = render(
        request, "core/rate_limited.html", {"retry_after": result.retry_after}, status=429
    )
    response["Retry-After"] = str(result.retry_after)
    return response


def rate_limited(
    scope: str,
    *,
    limit: int,
    window_seconds: int,
    key=client_address,
    methods: tuple[str, ...] = ("POST",),
    on_limited=too_many_requests,
):
    """Decorate a view: requests with a method in `methods` count towards the limit per key.

    `on_limited(request, result)` builds the refusal; it must answer 429 with Retry-After.
    """

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method in methods:
                result = rate_limit_hit(
                    scope=scope, key=key(request), limit=limit, window_seconds=window_seconds
                )
                if not result.allowed:
                    response = on_limited(request, result)
                    response["Retry-After"] = str(result.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorator

"""Liveness and readiness for an orchestrator or load balancer.

Liveness (`/livez`) says only that this process answers HTTP: it touches nothing else, so that a
database outage does not make the orchestrator restart every web process at once (a restart cannot
fix the database, and the restarts would only add load when it comes back).

Readiness (`/healthz`) says whether this process can serve requests now: the database answers, the
documents storage takes a write and a delete, and the background tasks are not piling up. Each
check is bounded in time, and the answer is kept for HEALTH_CACHE_SECONDS in each process, so that
a flood of requests to this public address costs the database and the storage at most one probe
per process per interval. The answer names each component's state and nothing else: no exception
text, no host names, no counts.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as ProbeTimeout
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
UNAVAILABLE = "unavailable"
BACKLOGGED = "backlogged"

# Where the storage probe writes its throwaway object; blobs live in two-hex-digit folders and end
# in .psdoc (documents.blobs), so nothing that lists blobs ever sees a probe.
PROBE_FOLDER = "health"

# One thread for the storage probe: a probe that hangs (an S3 endpoint that accepts the connection
# and never answers) holds this thread, and the next probes time out behind it instead of piling up
# threads of their own.
_storage_probe_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage-probe")
_cache_lock = threading.Lock()
_cached: tuple[float, Readiness] | None = None


@dataclass(frozen=True)
class Readiness:
    database: str
    storage: str
    task_queue: str

    @property
    def ready(self) -> bool:
        """Serving needs the database and the storage; a task backlog slows notifications and
        scans but does not stop pages, so it degrades the answer without taking this process out
        of rotation (every web process would report it at once, and removing them all would turn a
        slow queue into an outage)."""
        return self.database == OK and self.storage == OK

    @property
    def status(self) -> str:
        if not self.ready:
            return UNAVAILABLE
        return OK if self.task_queue == OK else DEGRADED

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "checks": {
                "database": self.database,
                "storage": self.storage,
                "task_queue": self.task_queue,
            },
        }


def _statement_timeout(cursor) -> None:
    if connection.vendor == "postgresql":
        milliseconds = int(settings.HEALTH_CHECK_TIMEOUT_SECONDS * 1000)
        cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")


def check_database() -> str:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _statement_timeout(cursor)
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("readiness: the database did not answer (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def _write_and_delete_probe() -> None:
    storage = storages["documents"]
    name = storage.save(f"{PROBE_FOLDER}/probe-{uuid.uuid4().hex}", ContentFile(b"probe"))
    storage.delete(name)


def check_storage() -> str:
    """A tiny object written and deleted: proves the store is reachable, the credentials and the
    bucket (or folder) are right, and uploads can be written, at the cost of two small requests."""
    future = _storage_probe_pool.submit(_write_and_delete_probe)
    try:
        future.result(timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    except ProbeTimeout:
        logger.warning("readiness: the documents storage did not answer in time")
        return UNAVAILABLE
    except Exception as error:  # noqa: BLE001 - any failure of the store means "not ready"
        logger.warning("readiness: the documents storage failed (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def waiting_tasks():
    """Tasks ready to run that have waited longer than HEALTH_TASK_WAIT_SECONDS: from their
    enqueueing, or from the time they were scheduled for (a retry waiting for its delay is not
    late)."""
    cutoff = timezone.now() - timedelta(seconds=settings.HEALTH_TASK_WAIT_SECONDS)
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff)
    )


def check_task_queue() -> str:
    limit = settings.HEALTH_TASK_BACKLOG_LIMIT
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _statement_timeout(cursor)
            # Counted up to one past the limit: the cost stays bounded however long the queue is.
            late = waiting_tasks().values("pk")[: limit + 1].count()
    except DatabaseError as error:
        logger.warning("readiness: the task queue could not be read (%s)", type(error).__name__)
        return UNAVAILABLE
    return BACKLOGGED if late > limit else OK


def check_readiness() -> Readiness:
    database = check_database()
    return Readiness(
        database=database,
        storage=check_storage(),
        task_queue=check_task_queue() if database == OK else UNAVAILABLE,
    )


def readiness() -> Readiness:
    """The last answer if it is recent enough, otherwise a new one (one probe at a time)."""
    global _cached
    with _cache_lock:
        now = time.monotonic()
        if _cached is not None and now - _cached[0] < settings.HEALTH_CACHE_SECONDS:
            return _cached[1]
        result = check_readiness()
        _cached = (time.monotonic(), result)
        return result


def forget_readiness() -> None:
    """Drop the kept answer (tests, and anything that must see a change at once)."""
    global _cached
    with _cache_lock:
        _cached = None

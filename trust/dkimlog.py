"""Failed DKIM key look-ups, logged as one aggregated warning per interval instead of an error each.

dkimpy logs every key it cannot fetch or parse at ERROR on the "dkimpy" logger, with the signing
domain and selector in the text. A scammer's message may carry hundreds of signatures with made-up
keys, and a resolver outage fails every message: operators would drown in errors that need no
action for a single message (the check already answers "could not be verified"). The filter below
turns them into at most one WARNING per interval, counting the failures by kind, with no domain,
selector or other text from the message.
"""

from __future__ import annotations

import logging
import threading
import time

DKIM_LOGGER = "dkimpy"
DEFAULT_INTERVAL_SECONDS = 10 * 60

# The first words of dkimpy's messages for a key it could not fetch or use (dkim.DomainSigner
# .verify_sig): the DNS failed, there is no key, or the record is not a usable key.
_KINDS = (
    ("DnsTimeoutError", "dns_unavailable"),
    ("missing public key", "no_key"),
    ("KeyFormatError", "unusable_key"),
)


def _failure_kind(record: logging.LogRecord) -> str | None:
    if record.levelno < logging.ERROR:
        return None
    try:
        text = record.getMessage()
    except Exception:  # noqa: BLE001 (a record that cannot format is not ours to judge)
        return None
    for prefix, kind in _KINDS:
        if text.startswith(prefix):
            return kind
    # dkimpy also logs a bare KeyFormatError's text ("incomplete public key", "unknown
    # algorithm in k= tag"...); every error it logs during verification is about one signature.
    return "other"


class DkimLookupFailureFilter(logging.Filter):
    """Counts dkimpy's key look-up errors and lets one aggregated WARNING through per interval."""

    def __init__(self, interval_seconds: float = DEFAULT_INTERVAL_SECONDS, clock=time.monotonic):
        super().__init__()
        self.interval_seconds = interval_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._last_emitted: float | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        kind = _failure_kind(record)
        if kind is None:
            return True
        now = self._clock()
        with self._lock:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            due = self._last_emitted is None or now - self._last_emitted >= self.interval_seconds
            if not due:
                return False
            counts, self._counts = self._counts, {}
            self._last_emitted = now
        # The record is rewritten in place (a filter may do so): the original text names the
        # signer's domain and selector, which come from the message.
        summary = ", ".join(f"{name} {number}" for name, number in sorted(counts.items()))
        record.msg = "DKIM key look-ups failed (%s); at most one such warning every %d seconds"
        record.args = (summary, int(self.interval_seconds))
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = None
        return True


def install(interval_seconds: float = DEFAULT_INTERVAL_SECONDS) -> DkimLookupFailureFilter:
    """Attach the filter to dkimpy's logger once (AppConfig.ready may run more than once)."""
    logger = logging.getLogger(DKIM_LOGGER)
    # dkimpy's DEBUG records quote the message's headers (addresses, subjects): never wanted,
    # whatever the root level.
    logger.setLevel(logging.WARNING)
    for existing in logger.filters:
        if isinstance(existing, DkimLookupFailureFilter):
            existing.interval_seconds = interval_seconds
            return existing
    installed = DkimLookupFailureFilter(interval_seconds)
    logger.addFilter(installed)
    return installed

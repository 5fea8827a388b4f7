"""The process-wide check engine, built from the authority's official channels and the settings."""

from __future__ import annotations

import threading

from django.conf import settings

from trust.engine import CheckEngine, EngineConfig
from trust.selectors import engine_config_kwargs

_lock = threading.Lock()
_cache: dict[tuple, CheckEngine] = {}


def engine_config(registry_rows: list[tuple] | None = None) -> EngineConfig:
    """The registry's official channels (editable by administrators) plus the engine's settings.
    `registry_rows`: the registry already read in this request (trust.selectors.registry_read)."""
    nameservers = settings.TRUST_DNS_NAMESERVERS
    return EngineConfig(
        **engine_config_kwargs(registry_rows),
        trusted_authserv_ids=tuple(settings.TRUST_TRUSTED_AUTHSERV_IDS),
        dns_enabled=settings.TRUST_DNS_ENABLED,
        dns_nameservers=tuple(tuple(server) for server in nameservers) if nameservers else None,
        dns_timeout=float(settings.TRUST_DNS_TIMEOUT),
        max_message_bytes=settings.TRUST_MAX_MESSAGE_BYTES,
        check_time_budget=float(settings.TRUST_CHECK_TIME_BUDGET),
    )


def current_engine(registry_rows: list[tuple] | None = None) -> CheckEngine:
    """One engine per configuration: building it indexes lookalikes, so it is built once.
    `registry_rows`: the registry already read in this request (trust.selectors.registry_read)."""
    config = engine_config(registry_rows)
    key = tuple(
        (name, value) for name, value in vars(config).items() if name != "verification_code_checker"
    )
    with _lock:
        engine = _cache.get(key)
        if engine is None:
            _cache.clear()
            engine = _cache[key] = CheckEngine(config)
    return engine

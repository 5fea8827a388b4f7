"""The process-wide check engine, built from the authority's official channels and the settings."""

from __future__ import annotations

import threading

from django.conf import settings

from trust.engine import CheckEngine, EngineConfig
from trust.selectors import engine_config_kwargs

_lock = threading.Lock()
_cache: dict[tuple, CheckEngine] = {}


def engine_config() -> EngineConfig:
    """The registry's official channels (editable by administrators) plus the engine's settings."""
    nameservers = getattr(settings, "TRUST_DNS_NAMESERVERS", None)
    return EngineConfig(
        **engine_config_kwargs(),
        trusted_authserv_ids=tuple(getattr(settings, "TRUST_TRUSTED_AUTHSERV_IDS", ()) or ()),
        dns_enabled=bool(getattr(settings, "TRUST_DNS_ENABLED", True)),
        dns_nameservers=tuple(tuple(server) for server in nameservers) if nameservers else None,
        dns_timeout=float(getattr(settings, "TRUST_DNS_TIMEOUT", 2.0)),
        max_message_bytes=int(getattr(settings, "TRUST_MAX_MESSAGE_BYTES", 25 * 1024 * 1024)),
        check_time_budget=float(getattr(settings, "TRUST_CHECK_TIME_BUDGET", 5.0)),
    )


def current_engine() -> CheckEngine:
    """One engine per configuration: building it indexes lookalikes, so it is built once."""
    config = engine_config()
    key = tuple(
        (name, value) for name, value in vars(config).items() if name != "verification_code_checker"
    )
    with _lock:
        engine = _cache.get(key)
        if engine is None:
            _cache.clear()
            engine = _cache[key] = CheckEngine(config)
    return engine

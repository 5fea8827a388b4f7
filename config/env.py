"""Read settings from the environment; every secret may also come from a `NAME_FILE` path."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str | None:
    """The value of NAME, or the contents of the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} (or {name}_FILE) is required.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from error


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from error


def env_rate_limits(name: str) -> dict[str, tuple[int, int]]:
    """`scope=requests/seconds,...` as {scope: (requests, seconds)}."""
    limits = {}
    for item in env_list(name):
        scope, _equals, limit = item.partition("=")
        requests, _slash, seconds = limit.partition("/")
        try:
            limits[scope.strip()] = (int(requests), int(seconds))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name} must read scope=requests/seconds,..., not {item!r}."
            ) from error
    return limits

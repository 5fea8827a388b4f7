"""One small plugin registry for everything that has several implementations chosen by a setting:
virus scanners, SMS gateways, payment providers (and identity providers later), as Open Forms does
(`openforms/plugins/registry.py`).

Each implementation registers a factory under a name (`registry.register("name")` as a decorator on a
class or a zero-argument function); the caller looks it up by the name its setting holds. An unknown
name is a configuration error, raised as ImproperlyConfigured naming the setting and the known names;
each app's system checks look its setting up, so that a typo stops `manage.py check` rather than the
first payment or text message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    """Named factories of one kind of plugin. `kind` names the setting in error messages."""

    def __init__(self, kind: str):
        self.kind = kind
        self._factories: dict[str, Callable[[], T]] = {}

    def register(self, name: str, factory: Callable[[], T] | None = None):
        """Register `factory` under `name`; without a factory, a decorator for a class or function."""
        if not name:
            raise ValueError(f"{self.kind}: a plugin needs a name")

        def add(target: Callable[[], T]) -> Callable[[], T]:
            self._factories[name] = target
            return target

        if factory is not None:
            add(factory)
            return factory
        return add

    def unregister(self, name: str) -> None:
        self._factories.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._factories))

    def names(self) -> tuple[str, ...]:
        return tuple(self)

    def get(self, name: str) -> T:
        """A new instance of the plugin registered as `name`."""
        try:
            factory = self._factories[name]
        except KeyError as error:
            known = ", ".join(self) or "none"
            raise ImproperlyConfigured(f"unknown {self.kind} {name!r} (known: {known})") from error
        return factory()

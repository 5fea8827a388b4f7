"""One small plugin registry for everything that has several implementations chosen by a setting:
virus scanners, SMS gateways, payment providers (and identity providers later), as Open Forms does
(`openforms/plugins/registry.py`).

Each implementation registers a factory under a name (`registry.register("name")` as a decorator on a
class or a zero-argument function); the caller looks it up by the name its setting holds. An unknown
name may also be a dotted path to a deployment's own implementation (as Django's EMAIL_BACKEND is), so
that an authority plugs in its SMS gateway without changing the code. Any other name is a
configuration error, raised as ImproperlyConfigured naming the setting and the known names;
each app's system checks look its setting up, so that a typo stops `manage.py check` rather than the
first payment or text message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

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
        return name in self._factories or self._importable(name)

    @staticmethod
    def _importable(name: object) -> bool:
        if not isinstance(name, str) or "." not in name:
            return False
        try:
            import_string(name)
        except ImportError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._factories))

    def names(self) -> tuple[str, ...]:
        return tuple(self)

    def get(self, name: str) -> T:
        """A new instance of the plugin registered as `name`."""
        factory = self._factories.get(name)
        if factory is None and "." in name:
            try:
                factory = import_string(name)
            except ImportError as error:
                raise ImproperlyConfigured(f"{self.kind} {name!r} cannot be imported") from error
        if factory is None:
            known = ", ".join(self) or "none"
            raise ImproperlyConfigured(f"unknown {self.kind} {name!r} (known: {known})")
        return factory()

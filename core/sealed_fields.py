"""A registry of model fields sealed with core.crypto, so that key rotation re-wraps them all.

Each app registers its sealed fields once (in its AppConfig.ready or at import of its models):

    register_sealed_field("applications.Application", "answers_sealed",
                          lambda application: f"applications.Application:{application.pk}".encode())

`rewrap_all_sealed_fields()` (called by the `rewrap_data_keys` command) then moves every value
that is not yet under the active key-encryption key; the ciphertext bodies stay as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from core.crypto import keyring, rewrap_sealed, sealed_key_id

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SealedField:
    model_label: str
    field_name: str
    associated_data: Callable[[models.Model], bytes]


_registry: dict[tuple[str, str], SealedField] = {}


def register_sealed_field(
    model_label: str, field_name: str, associated_data: Callable[[models.Model], bytes]
) -> None:
    """Register `model_label.field_name`; registering the same field again replaces the entry."""
    _registry[(model_label.lower(), field_name)] = SealedField(
        model_label, field_name, associated_data
    )


def registered_sealed_fields() -> tuple[SealedField, ...]:
    return tuple(_registry.values())


def rewrap_sealed_field(sealed_field: SealedField, *, batch_size: int = 500) -> int:
    """Re-wrap one field's values that are under an older key; returns how many changed."""
    model = apps.get_model(sealed_field.model_label)
    name = sealed_field.field_name
    active_key_id = keyring().active_key_id
    queryset = model._default_manager.exclude(**{f"{name}__isnull": True}).order_by("pk")
    changed = 0
    last_pk = None
    while True:
        batch_queryset = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        batch = list(batch_queryset[:batch_size])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        for instance in batch:
            value = getattr(instance, name)
            if not value or sealed_key_id(value) == active_key_id:
                continue
            rewrapped = rewrap_sealed(value, associated_data=sealed_field.associated_data(instance))
            # Conditional on the old value: a row changed meanwhile keeps its newer value.
            changed += model._default_manager.filter(pk=instance.pk, **{name: bytes(value)}).update(
                **{name: rewrapped}
            )
        logger.info("re-wrapped %s.%s up to pk %s", model._meta.label, name, last_pk)


def rewrap_all_sealed_fields(*, batch_size: int = 500) -> int:
    """Re-wrap every registered sealed field under the active key; returns the number of values."""
    return sum(
        rewrap_sealed_field(sealed_field, batch_size=batch_size)
        for sealed_field in registered_sealed_fields()
    )

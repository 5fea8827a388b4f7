"""Model fields sealed with core.crypto: declared once at the field, found by key rotation itself.

A model declares each sealed column with `SealedBinaryField` (a BinaryField: same column type):

    from core.sealed_fields import SealedBinaryField, open_field_text, seal_field_text

    class Message(models.Model):
        body_sealed = SealedBinaryField(_("body (encrypted)"), default=b"", blank=True, editable=False)

    message.save()                                        # the row needs its primary key first,
    seal_field_text(message, "body_sealed", text)         # then seal (sets the attribute),
    message.save(update_fields=["body_sealed"])
    open_field_text(message, "body_sealed")               # and open.

A value is bound to its table, column and row (`sealed_associated_data`): copied to another column
or another row it does not open. The row is named by its primary key, or by another unique value
assigned before the first save (`SealedBinaryField(bound_to="public_id")`) when the value is sealed
before the row is inserted. Renaming a sealed column or its table needs a migration that re-seals.

`rewrap_all_sealed_fields()` (the `rewrap_data_keys` command) walks `apps.get_models()` and moves
every sealed value that is not yet under the active key-encryption key: nothing to register. The
system check core.E101 fails when a model keeps a `*_sealed` binary column that is not a
SealedBinaryField (rotation would skip it), core.E102 when `bound_to` names no unique field.

A new app (Securemail's message subject and body, a payment's personal details) only declares its
columns as above and seals through these functions, never with core.crypto directly; then it adds
a row of data to `tests/documents/test_rotation_every_model.py`, which fails until every sealed
field of every model holds data there and survives a rotation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from core.crypto import (
    DecryptionError,
    keyring,
    open_sealed,
    rewrap_sealed,
    seal,
    sealed_key_id,
    sealed_version,
)

logger = logging.getLogger(__name__)

# Binary columns whose name ends so hold sealed values; the system check holds them to it.
SEALED_NAME_SUFFIX = "_sealed"
# Sealed-value format 1 was bound to each model's own label; format 2 to table, column and row.
LEGACY_ROW_BOUND_VERSION = 1


def sealed_associated_data(table: str, column: str, row_key) -> bytes:
    """What a sealed value is bound to: its table, its column and its row."""
    return f"sealed-field|{table}|{column}|{row_key}".encode()


class SealedBinaryField(models.BinaryField):
    """A binary column holding a value sealed with core.crypto (see the module docstring).

    `bound_to`: "pk" (default), or the name of a unique field set before the first save (a UUID)
    for values sealed before the row is inserted.
    """

    def __init__(self, *args, bound_to: str = "pk", **kwargs):
        self.bound_to = bound_to
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.bound_to != "pk":
            kwargs["bound_to"] = self.bound_to
        return name, path, args, kwargs

    def row_field(self) -> models.Field:
        meta = self.model._meta
        return meta.pk if self.bound_to == "pk" else meta.get_field(self.bound_to)

    def row_key(self, instance: models.Model):
        value = getattr(instance, self.row_field().attname)
        if value is None:
            raise ValueError(
                f"{self.model._meta.label}.{self.name} is sealed only once the row has its "
                f"{self.bound_to}: save the row first"
            )
        return value

    def associated_data(self, instance: models.Model) -> bytes:
        return sealed_associated_data(
            self.model._meta.db_table, self.column, self.row_key(instance)
        )


def _sealed_field(instance: models.Model, field_name: str) -> SealedBinaryField:
    field = instance._meta.get_field(field_name)
    if not isinstance(field, SealedBinaryField):
        raise TypeError(f"{instance._meta.label}.{field_name} is not a SealedBinaryField")
    return field


def seal_field(instance: models.Model, field_name: str, plaintext: bytes) -> bytes:
    """Seal `plaintext` into the field (bound to table, column and row); returns the sealed value."""
    field = _sealed_field(instance, field_name)
    sealed = seal(plaintext, associated_data=field.associated_data(instance))
    setattr(instance, field.attname, sealed)
    return sealed


def open_field(instance: models.Model, field_name: str) -> bytes:
    """Open the field's sealed value; raises DecryptionError if it was moved, changed or lost."""
    field = _sealed_field(instance, field_name)
    sealed = bytes(getattr(instance, field.attname) or b"")
    if sealed[:1] == bytes([LEGACY_ROW_BOUND_VERSION]):
        raise DecryptionError("a value sealed before sealed values were bound to their column")
    return open_sealed(sealed, associated_data=field.associated_data(instance))


def seal_field_text(instance: models.Model, field_name: str, value: str) -> bytes:
    return seal_field(instance, field_name, value.encode("utf-8"))


def open_field_text(instance: models.Model, field_name: str) -> str:
    return open_field(instance, field_name).decode("utf-8")


def seal_field_json(instance: models.Model, field_name: str, value) -> bytes:
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return seal_field(instance, field_name, encoded)


def open_field_json(instance: models.Model, field_name: str):
    return json.loads(open_field(instance, field_name).decode("utf-8"))


def sealed_fields(models_to_walk=None) -> Iterator[SealedBinaryField]:
    """Every SealedBinaryField of the installed models (each column once, proxies apart)."""
    for model in apps.get_models() if models_to_walk is None else models_to_walk:
        if model._meta.proxy:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, SealedBinaryField):
                yield field


def _rows_with_values(field: SealedBinaryField):
    model = field.model
    names = {model._meta.pk.attname, field.row_field().attname, field.attname}
    return (
        model._default_manager.exclude(**{f"{field.attname}__isnull": True})
        .only(*names)
        .order_by("pk")
    )


def _batches(queryset, batch_size: int):
    last_pk = None
    while True:
        batch = list(
            (queryset if last_pk is None else queryset.filter(pk__gt=last_pk))[:batch_size]
        )
        if not batch:
            return
        last_pk = batch[-1].pk
        yield batch


def rewrap_sealed_field(field: SealedBinaryField, *, batch_size: int = 500) -> int:
    """Re-wrap one field's values that are under an older key; returns how many changed.

    A value that does not open raises DecryptionError naming its row, after the rows before it have
    been moved (a missing key: add it back and run again)."""
    model = field.model
    active_key_id = keyring().active_key_id
    changed = 0
    for batch in _batches(_rows_with_values(field), batch_size):
        for instance in batch:
            value = bytes(getattr(instance, field.attname))
            if not value or sealed_key_id(value) == active_key_id:
                continue
            if sealed_version(value) == LEGACY_ROW_BOUND_VERSION:
                # Left by the re-sealing migration because it did not open: lost either way.
                logger.warning(
                    "%s.%s of row %s does not open", model._meta.label, field.name, instance.pk
                )
                continue
            try:
                rewrapped = rewrap_sealed(value, associated_data=field.associated_data(instance))
            except DecryptionError as error:
                raise DecryptionError(
                    f"{model._meta.label}.{field.name} of row {instance.pk}: {error}"
                ) from error
            # Conditional on the old value: a row changed meanwhile keeps its newer value.
            changed += model._default_manager.filter(
                pk=instance.pk, **{field.attname: value}
            ).update(**{field.attname: rewrapped})
        logger.info("re-wrapped %s.%s up to pk %s", model._meta.label, field.name, batch[-1].pk)
    return changed


def rewrap_all_sealed_fields(*, batch_size: int = 500) -> int:
    """Re-wrap every sealed field of every model under the active key; returns the number of values."""
    return sum(rewrap_sealed_field(field, batch_size=batch_size) for field in sealed_fields())


def sealed_values_not_opening(*, limit: int = 100) -> list[str]:
    """ "label.field row pk" of sealed values that do not open with the keys configured now (at most
    `limit`): empty means every sealed value of every model opens (checked before an old key goes)."""
    failures: list[str] = []
    for field in sealed_fields():
        for batch in _batches(_rows_with_values(field), 500):
            for instance in batch:
                if not getattr(instance, field.attname):
                    continue
                try:
                    open_field(instance, field.name)
                except DecryptionError:
                    failures.append(f"{field.model._meta.label}.{field.name} row {instance.pk}")
                    if len(failures) >= limit:
                        return failures
    return failures


def sealed_values_not_under_active_key() -> int:
    """How many sealed values still name another key than the active one (0 after a rewrap).

    Format-1 values the re-sealing migration could not open are not counted: they are lost already
    (it logged them), and they must not hold the rotation up for ever."""
    active_key_id = keyring().active_key_id
    count = 0
    for field in sealed_fields():
        for batch in _batches(_rows_with_values(field), 500):
            for instance in batch:
                value = bytes(getattr(instance, field.attname) or b"")
                if not value or sealed_version(value) == LEGACY_ROW_BOUND_VERSION:
                    continue
                if sealed_key_id(value) != active_key_id:
                    count += 1
    return count


def reseal_legacy_values(
    model, field_name: str, legacy_associated_data: Callable[[models.Model], bytes]
) -> tuple[int, int]:
    """For data migrations: re-seal format-1 values (bound to the model's own label) bound to table,
    column and row. Returns (re-sealed, left as they were because they did not open).

    `model` is the migration's historical model whose field is already a SealedBinaryField. A value
    that does not open (its key was dropped) is left and logged: it is lost either way, and
    refusing to migrate would block every later deploy.
    """
    field = model._meta.get_field(field_name)
    resealed = unopened = 0
    queryset = model._default_manager.exclude(**{f"{field.attname}__isnull": True}).order_by("pk")
    for instance in queryset.iterator(chunk_size=500):
        value = bytes(getattr(instance, field.attname) or b"")
        if not value or sealed_version(value) != LEGACY_ROW_BOUND_VERSION:
            continue
        try:
            plaintext = open_sealed(value, associated_data=legacy_associated_data(instance))
        except DecryptionError:
            logger.warning(
                "%s.%s of row %s does not open; left as it was",
                model._meta.label,
                field_name,
                instance.pk,
            )
            unopened += 1
            continue
        sealed = seal(plaintext, associated_data=field.associated_data(instance))
        model._default_manager.filter(pk=instance.pk).update(**{field.attname: sealed})
        resealed += 1
    return resealed, unopened


def _models_of(app_configs):
    if app_configs is None:
        return apps.get_models()
    return [model for app_config in app_configs for model in app_config.get_models()]


@checks.register(checks.Tags.models)
def sealed_values_covered_by_rotation(app_configs=None, **kwargs):
    """Every sealed column must be a SealedBinaryField, or key rotation skips it and dropping the old
    key loses it; and the value a field is bound to must name one row."""
    errors = []
    for model in _models_of(app_configs):
        if model._meta.proxy:
            continue
        for field in model._meta.local_concrete_fields:
            sealed_by_name = isinstance(field, models.BinaryField) and field.name.endswith(
                SEALED_NAME_SUFFIX
            )
            if sealed_by_name and not isinstance(field, SealedBinaryField):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} holds a sealed value but is not a "
                        "SealedBinaryField: key rotation (rewrap_data_keys) would skip it, and "
                        "dropping the old key would lose it.",
                        hint="Declare it with core.sealed_fields.SealedBinaryField.",
                        obj=field,
                        id="core.E101",
                    )
                )
            if isinstance(field, SealedBinaryField):
                try:
                    row_field = field.row_field()
                except FieldDoesNotExist:
                    row_field = None
                if row_field is None or not (row_field.primary_key or row_field.unique):
                    errors.append(
                        checks.Error(
                            f"{model._meta.label}.{field.name} is bound to {field.bound_to!r}, "
                            "which is not a unique field of the model.",
                            obj=field,
                            id="core.E102",
                        )
                    )
    return errors

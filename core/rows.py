"""Model instances from rows read with plain SQL, for the few reads every request makes.

The ORM costs several times a short statement's own time in Python (a queryset built, cloned and
compiled on every call). `columns` lists a model's columns for a hand-written SELECT and
`instance_from_row` turns that part of the row into a model instance the way the ORM does: each
value through the backend's and the field's converters (SQLite's dates, binary columns), then
Model.from_db, so signals and `_state` are the ORM's own.
"""

from __future__ import annotations

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


def columns(model: type[models.Model], connection: BaseDatabaseWrapper) -> list[str]:
    """The model's concrete columns, table-qualified and quoted, in `instance_from_row`'s order."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    return [f"{table}.{quote(field.column)}" for field in model._meta.concrete_fields]


def instance_from_row(
    model: type[models.Model], values, connection: BaseDatabaseWrapper
) -> models.Model:
    """The instance whose columns (as listed by `columns`) are `values`."""
    fields = model._meta.concrete_fields
    converted = [
        field_value(model, field.name, value, connection)
        for field, value in zip(fields, values, strict=True)
    ]
    return model.from_db(connection.alias, [field.attname for field in fields], converted)


def field_value(model: type[models.Model], name: str, value, connection: BaseDatabaseWrapper):
    """A column's value as the ORM gives it for the model's field `name`: through the backend's
    and the field's converters (SQLite's text timestamps made aware, its UUID text a UUID)."""
    column = model._meta.get_field(name).get_col(model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
        connection
    ):
        value = converter(value, column, connection)
    return value

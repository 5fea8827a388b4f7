"""A column's value read with plain SQL, converted as the ORM converts it.

For the few reads written as plain statements (the trust center's headlines): each value goes
through the backend's and the field's converters (SQLite's text timestamps made aware, its UUID
text a UUID). Reads of whole model instances use core.prepared_queries instead.
"""

from __future__ import annotations

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


def field_value(model: type[models.Model], name: str, value, connection: BaseDatabaseWrapper):
    """A column's value as the ORM gives it for the model's field `name`: through the backend's
    and the field's converters (SQLite's text timestamps made aware, its UUID text a UUID)."""
    column = model._meta.get_field(name).get_col(model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
        connection
    ):
        value = converter(value, column, connection)
    return value

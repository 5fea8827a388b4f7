"""Sealed columns become core.sealed_fields.SealedBinaryField (same column type: no SQL change),
and the values already stored, bound to the model's own label (format 1), are re-sealed bound to
their table, column and row (format 2). The old bindings are frozen here, not imported."""

from django.db import migrations

import core.sealed_fields
from core.sealed_fields import reseal_legacy_values

# (model, field, what a format-1 value of that field was bound to)
LEGACY_BINDINGS = (
    (
        "AuthenticatorDevice",
        "key_sealed",
        lambda row: f"accounts_authenticatordevice:key_sealed:{row.pk}".encode(),
    ),
)


def reseal(apps, schema_editor):
    for model_name, field_name, legacy_associated_data in LEGACY_BINDINGS:
        reseal_legacy_values(
            apps.get_model("accounts", model_name), field_name, legacy_associated_data
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_normalise_stored_addresses"),
    ]

    operations = [
        migrations.AlterField(
            model_name="authenticatordevice",
            name="key_sealed",
            field=core.sealed_fields.SealedBinaryField(null=True, verbose_name="sealed secret key"),
        ),
        # Format-2 values (new rows) are left as they are: running it twice changes nothing.
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
    ]

"""Sealed columns become core.sealed_fields.SealedBinaryField (same column type: no SQL change),
and the values already stored, bound to the model's own label (format 1), are re-sealed bound to
their table, column and row (format 2). The old bindings are frozen here, not imported."""

from django.db import migrations

import core.sealed_fields
from core.sealed_fields import reseal_legacy_values

# (model, field, what a format-1 value of that field was bound to)
LEGACY_BINDINGS = (
    ("ScamReport", "content_sealed", lambda row: f"trust.ScamReport:{row.public_id}".encode()),
    ("ScamReport", "result_sealed", lambda row: f"trust.ScamReport:{row.public_id}".encode()),
    (
        "ScamReport",
        "reporter_address_sealed",
        lambda row: f"trust.ScamReport:{row.public_id}".encode(),
    ),
)


def reseal(apps, schema_editor):
    for model_name, field_name, legacy_associated_data in LEGACY_BINDINGS:
        reseal_legacy_values(
            apps.get_model("trust", model_name), field_name, legacy_associated_data
        )


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0004_verificationcode_moves_to_notifications"),
    ]

    operations = [
        migrations.AlterField(
            model_name="scamreport",
            name="content_sealed",
            field=core.sealed_fields.SealedBinaryField(
                bound_to="public_id", verbose_name="content (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="scamreport",
            name="reporter_address_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True,
                bound_to="public_id",
                null=True,
                verbose_name="reporter's address (encrypted)",
            ),
        ),
        migrations.AlterField(
            model_name="scamreport",
            name="result_sealed",
            field=core.sealed_fields.SealedBinaryField(
                bound_to="public_id", verbose_name="check result (encrypted)"
            ),
        ),
        # Format-2 values (new rows) are left as they are: running it twice changes nothing.
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
    ]

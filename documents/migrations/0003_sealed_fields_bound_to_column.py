"""Sealed columns become core.sealed_fields.SealedBinaryField (same column type: no SQL change),
and the values already stored, bound to the model's own label (format 1), are re-sealed bound to
their table, column and row (format 2). The old bindings are frozen here, not imported."""

from django.db import migrations

import core.sealed_fields
from core.sealed_fields import reseal_legacy_values

# (model, field, what a format-1 value of that field was bound to)
LEGACY_BINDINGS = (
    (
        "Document",
        "original_filename_sealed",
        lambda row: f"documents.Document:{row.pk}:original_filename".encode(),
    ),
)


def reseal(apps, schema_editor):
    for model_name, field_name, legacy_associated_data in LEGACY_BINDINGS:
        reseal_legacy_values(
            apps.get_model("documents", model_name), field_name, legacy_associated_data
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_scan_started_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="original_filename_sealed",
            field=core.sealed_fields.SealedBinaryField(
                verbose_name="original filename (encrypted)"
            ),
        ),
        # Format-2 values (new rows) are left as they are: running it twice changes nothing.
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
    ]

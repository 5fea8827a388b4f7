"""Sealed columns become core.sealed_fields.SealedBinaryField (same column type: no SQL change),
and the values already stored, bound to the model's own label (format 1), are re-sealed bound to
their table, column and row (format 2). The old bindings are frozen here, not imported."""

from django.db import migrations

import core.sealed_fields
from core.sealed_fields import reseal_legacy_values

# (model, field, what a format-1 value of that field was bound to)
LEGACY_BINDINGS = (
    ("Application", "answers_sealed", lambda row: f"applications.Application:{row.pk}".encode()),
    (
        "Application",
        "submitted_answers_sealed",
        lambda row: f"applications.Application:{row.pk}".encode(),
    ),
)


def reseal(apps, schema_editor):
    for model_name, field_name, legacy_associated_data in LEGACY_BINDINGS:
        reseal_legacy_values(
            apps.get_model("applications", model_name), field_name, legacy_associated_data
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="answers_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True, default=b"", verbose_name="answers (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="submitted_answers_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True, null=True, verbose_name="submitted answers (encrypted)"
            ),
        ),
        # Format-2 values (new rows) are left as they are: running it twice changes nothing.
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
    ]

"""Sealed columns become core.sealed_fields.SealedBinaryField (same column type: no SQL change),
and the values already stored, bound to the model's own label (format 1), are re-sealed bound to
their table, column and row (format 2). The old bindings are frozen here, not imported."""

from django.db import migrations

import core.sealed_fields
from core.sealed_fields import reseal_legacy_values

# (model, field, what a format-1 value of that field was bound to)
LEGACY_BINDINGS = (
    ("InternalNote", "text_sealed", lambda row: f"casework.InternalNote:{row.pk}".encode()),
    (
        "AdditionalInformation",
        "text_sealed",
        lambda row: f"casework.AdditionalInformation:{row.pk}".encode(),
    ),
    (
        "SupplementRequest",
        "message_sealed",
        lambda row: f"casework.SupplementRequest:{row.pk}:message".encode(),
    ),
    (
        "SupplementRequest",
        "answer_sealed",
        lambda row: f"casework.SupplementRequest:{row.pk}:answer".encode(),
    ),
    (
        "Decision",
        "reasoning_sealed",
        lambda row: f"casework.Decision:{row.application_id}".encode(),
    ),
)


def reseal(apps, schema_editor):
    for model_name, field_name, legacy_associated_data in LEGACY_BINDINGS:
        reseal_legacy_values(
            apps.get_model("casework", model_name), field_name, legacy_associated_data
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="additionalinformation",
            name="text_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True, default=b"", verbose_name="text (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="reasoning_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True,
                bound_to="application",
                default=b"",
                verbose_name="reasoning (encrypted)",
            ),
        ),
        migrations.AlterField(
            model_name="internalnote",
            name="text_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True, default=b"", verbose_name="text (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="supplementrequest",
            name="answer_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True, null=True, verbose_name="answer (encrypted)"
            ),
        ),
        migrations.AlterField(
            model_name="supplementrequest",
            name="message_sealed",
            field=core.sealed_fields.SealedBinaryField(
                blank=True, default=b"", verbose_name="what is missing (encrypted)"
            ),
        ),
        # Format-2 values (new rows) are left as they are: running it twice changes nothing.
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
    ]

"""Retention of client addresses in the audit log: an index for the job that clears them, and on
PostgreSQL a trigger that lets exactly that change through (an address cleared, nothing else
changed) while still refusing every other UPDATE and every DELETE."""

from django.db import migrations, models

ALLOW_CLEARING_THE_ADDRESS = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.ip_address IS NOT NULL AND NEW.ip_address IS NULL
       AND (to_jsonb(NEW) - 'ip_address') = (to_jsonb(OLD) - 'ip_address') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""
REFUSE_EVERY_CHANGE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def allow_clearing_the_address(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_CLEARING_THE_ADDRESS)


def refuse_every_change(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_EVERY_CHANGE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("ip_address__isnull", False)),
                fields=["at"],
                name="audit_address_kept_idx",
            ),
        ),
        migrations.RunPython(allow_clearing_the_address, refuse_every_change),
    ]

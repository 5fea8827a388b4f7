"""On PostgreSQL, refuse UPDATE and DELETE on payment events in the database itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION payments_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'payment events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payments_event_append_only
    BEFORE UPDATE OR DELETE ON payments_paymentevent
    FOR EACH ROW EXECUTE FUNCTION payments_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS payments_event_append_only ON payments_paymentevent;
DROP FUNCTION IF EXISTS payments_event_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]

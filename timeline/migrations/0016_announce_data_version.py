"""PostgreSQL announces every new data version (NOTIFY on commit), so server processes can keep it in memory
instead of reading the row on every request (timeline/data_version.py). Nothing on SQLite."""

from django.db import migrations

from timeline.data_version import CHANNEL

CREATE = [
    "CREATE FUNCTION timeline_announce_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN PERFORM pg_notify('{CHANNEL}', NEW.value::text); RETURN NEW; END $$",
    "CREATE TRIGGER timeline_announce_data_version AFTER INSERT OR UPDATE ON timeline_dataversion "
    "FOR EACH ROW EXECUTE FUNCTION timeline_announce_data_version()",
]
DROP = [
    "DROP TRIGGER timeline_announce_data_version ON timeline_dataversion",
    "DROP FUNCTION timeline_announce_data_version()",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0015_full_text_indexes"),
    ]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]

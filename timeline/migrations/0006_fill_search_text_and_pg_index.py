"""Fill search text for existing events; on PostgreSQL, index it for full-text search."""

from django.db import migrations

from timeline.models import search_text_of

INDEX = "event_search_text_fts"


def fill(apps, schema_editor):
    Event = apps.get_model("timeline", "Event")
    for event in Event.objects.select_related("place").prefetch_related("involvements__person__aliases"):
        event.search_text = search_text_of(event)
        event.save(update_fields=["search_text"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The same expression as the `word` lookup, so the planner uses it.
        schema_editor.execute(f"CREATE INDEX {INDEX} ON timeline_event USING gin (to_tsvector('simple', search_text))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("timeline", "0005_synthetic_search_text_and_data_version")]
    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]

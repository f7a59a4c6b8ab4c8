"""Each database's own full-text index on events' search words.

SQLite: an FTS5 table kept by triggers, so a search word is an index lookup
instead of a LIKE over every event. A later migration that rebuilds
timeline_event on SQLite (Django copies the table to alter a column) drops the
triggers: it must create them again (tests/test_search.py would fail).

PostgreSQL: the search words as a stored tsvector, with the GIN index on it.
The expression index of 0006 answered rare words, but a common one ("police",
in nearly every event) made the planner scan the table and build every tsvector
again: 1.3 s at 100,000 events. Stored, the same scan only reads them.
"""

from django.db import migrations

FTS = "timeline_event_fts"
CREATE = {
    "sqlite": [
        # External content: the words stay in timeline_event; the index holds only postings.
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='timeline_event', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON timeline_event BEGIN "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON timeline_event BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON timeline_event BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    ],
    "postgresql": [
        "ALTER TABLE timeline_event ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
        "CREATE INDEX event_search_vector ON timeline_event USING gin (search_vector)",
        "DROP INDEX event_search_text_fts",
    ],
}
DROP = {
    "sqlite": [f"DROP TRIGGER {FTS}_insert", f"DROP TRIGGER {FTS}_delete", f"DROP TRIGGER {FTS}_update",
               f"DROP TABLE {FTS}"],
    "postgresql": [
        "CREATE INDEX event_search_text_fts ON timeline_event USING gin (to_tsvector('simple', search_text))",
        "ALTER TABLE timeline_event DROP COLUMN search_vector",
    ],
}


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0014_event_status_updated"),
    ]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]

"""The suite's own footing: the seed loaded once a run, and every test starting from exactly it."""

import pytest
from django.core.management import call_command

from tests.snapshot import SNAPSHOTS, Snapshot
from timeline.models import Event, SeedRecord, Source


def test_a_test_starts_from_the_seed(seeded):
    assert Event.objects.published().count() > 100 and SeedRecord.objects.exists()
    assert not Snapshot().differs(SNAPSHOTS["seeded"])


def test_an_empty_test_starts_from_the_migrated_database(empty):
    assert not Event.objects.exists() and not SeedRecord.objects.exists()
    assert not Snapshot().differs(SNAPSHOTS["migrated"])


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_whole_seed_back_searchable_and_writable(client):
    # What Django does after each live-server test: every table emptied (ids go on), content types and
    # permissions remade.
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
    assert not Event.objects.exists()
    SNAPSHOTS["seeded"].restore()
    assert not Snapshot().differs(SNAPSHOTS["seeded"])
    # The full-text index (SQLite's FTS5 table, PostgreSQL's generated tsvector) follows the restored rows...
    assert client.get("/events.json", {"q": "Xiamen"}).json()["count"] == 1
    # ...and new rows take new ids.
    assert Source.objects.create(title="After a restore", slug="after-a-restore").pk > max(
        row[0] for model, _, rows in SNAPSHOTS["seeded"].tables if model is Source for row in rows
    )

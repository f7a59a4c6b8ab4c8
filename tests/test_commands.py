import json

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from timeline.models import Citation, CrimeType, Event, Involvement, Person, Place, SeedRecord, Source

MODELS = [Source, Place, CrimeType, Person, Event, Involvement, Citation]


def snapshot():
    return {m.__name__: sorted(map(str, (model_to_dict(o) for o in m.objects.all()))) for m in MODELS}


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    call_command("load_seed", verbosity=0)
    first = snapshot()
    assert len(first["Event"]) == Event.objects.count() > 0
    call_command("load_seed", verbosity=0)
    assert snapshot() == first


@pytest.mark.django_db
def test_an_editors_changes_survive_a_reload(seeded):
    event = Event.objects.get(slug="igci-due-to-open-2014")
    event.title = "Edited by an editor"
    event.summary = "Corrected summary."
    event.save()
    event.citations.first().delete()
    Involvement.objects.filter(person__slug="duan-daqi").delete()
    Person.objects.get(slug="duan-daqi").delete()
    Event.objects.get(slug="interpol-centenary-2023").delete()
    added = Event.objects.create(title="Added", slug="added", kind="visit", start="2020-01-01", end="2020-01-01",
                                 precision="day", summary="An editor's event.")
    before = snapshot()

    call_command("load_seed", verbosity=0)

    assert snapshot() == before
    event.refresh_from_db()
    assert (event.title, event.summary, event.citations.count()) == ("Edited by an editor", "Corrected summary.", 1)
    assert not Event.objects.filter(slug="interpol-centenary-2023").exists()
    assert not Person.objects.filter(slug="duan-daqi").exists()
    assert Event.objects.filter(pk=added.pk).exists()


@pytest.mark.django_db
def test_an_editors_event_with_a_seed_slug_is_left_alone():
    mine = Event.objects.create(title="Mine", slug="operation-hurricane", kind="operation", start="2013-01-01",
                                end="2013-12-31", precision="year", summary="Mine.")
    call_command("load_seed", verbosity=0)
    mine.refresh_from_db()
    assert mine.title == "Mine" and mine.citations.count() == 0


@pytest.mark.django_db
def test_dry_run_writes_nothing(capsys):
    call_command("load_seed", "--dry-run")
    assert "Would create" in capsys.readouterr().out
    assert not Event.objects.exists() and not SeedRecord.objects.exists()


@pytest.mark.django_db
def test_a_broken_seed_file_is_refused_whole(tmp_path, settings):
    seed = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())
    seed["events"][-1]["when"] = "the thirty-second of Smarch"
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    with pytest.raises(CommandError, match="Smarch"):
        call_command("load_seed", "--path", str(path), verbosity=0)
    assert not Event.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_an_uncited_seed_event_is_refused(tmp_path, settings):
    seed = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())
    seed["events"][0]["citations"] = []
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    with pytest.raises(CommandError, match="no citation"):
        call_command("load_seed", "--path", str(path), verbosity=0)


@pytest.mark.django_db
def test_a_missing_seed_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_seed", "--path", str(tmp_path / "nope.json"), verbosity=0)

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.forms.models import model_to_dict

from tests.conftest import blank_long_addresses
from timeline.models import Alias, Citation, CrimeType, Event, Involvement, Person, Place, SeedRecord, Source

MODELS = [Source, Place, CrimeType, Person, Event, Involvement, Citation]


def snapshot():
    return {m.__name__: sorted(map(str, (model_to_dict(o) for o in m.objects.all()))) for m in MODELS}


@pytest.mark.django_db
def test_loading_twice_changes_nothing(empty):
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
    added = Event.objects.create(
        title="Added",
        slug="added",
        kind="visit",
        start="2020-01-01",
        end="2020-01-01",
        precision="day",
        summary="An editor's event.",
    )
    before = snapshot()

    call_command("load_seed", verbosity=0)

    assert snapshot() == before
    event.refresh_from_db()
    # Seeded with three citations, one deleted: the reload brings none back.
    assert (event.title, event.summary, event.citations.count()) == ("Edited by an editor", "Corrected summary.", 2)
    assert not Event.objects.filter(slug="interpol-centenary-2023").exists()
    assert not Person.objects.filter(slug="duan-daqi").exists()
    assert Event.objects.filter(pk=added.pk).exists()


@pytest.mark.django_db
def test_an_editors_event_with_a_seed_slug_is_left_alone(empty):
    mine = Event.objects.create(
        title="Mine",
        slug="operation-hurricane",
        kind="operation",
        start="2013-01-01",
        end="2013-12-31",
        precision="year",
        summary="Mine.",
    )
    call_command("load_seed", verbosity=0)
    mine.refresh_from_db()
    assert mine.title == "Mine" and mine.citations.count() == 0


@pytest.mark.django_db
def test_dry_run_writes_nothing(empty, capsys):
    call_command("load_seed", "--dry-run")
    assert "Would create" in capsys.readouterr().out
    assert not Event.objects.exists() and not SeedRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [False, True])
def test_the_seed_loads_after_generate_events(empty, dry_run, capsys):
    """generate_events made Beijing, Lyon… and the crime types under its own slugs: the seed uses them."""
    call_command("generate_events", "--count", "50", "--seed", "1", verbosity=0)
    places, crimes = Place.objects.count(), CrimeType.objects.count()
    call_command("load_seed", *(["--dry-run"] if dry_run else []))
    out = capsys.readouterr().out
    assert "place" in out.split("already here under another slug:")[1]
    if dry_run:
        assert not Event.objects.filter(synthetic=False).exists() and not SeedRecord.objects.exists()
        return
    from django.conf import settings

    from timeline.bench.synthetic import CITIES

    seed = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    seeded = Event.objects.filter(synthetic=False)
    assert seeded.count() == len(seed["events"]) and Citation.objects.filter(event__in=seeded).count() == sum(
        len(e["citations"]) for e in seed["events"]
    )
    # The seed places generate_events made (Beijing, Lyon, Hong Kong…) and every crime type were there already:
    # none made twice.
    new = [p for p in seed["places"] if (p["name"], p.get("country", "")) not in CITIES]
    assert len(new) < len(seed["places"]) - 4
    assert Place.objects.count() == places + len(new) and CrimeType.objects.count() == crimes
    lyon = Place.objects.get(name="Lyon", country="France")
    assert lyon.slug.startswith("synthetic-") and seeded.filter(place=lyon).exists()
    # Then the other way round, and again: nothing new.
    call_command("generate_events", "--count", "50", "--seed", "2", verbosity=0)
    before = snapshot()
    call_command("load_seed", verbosity=0)
    assert snapshot() == before


@pytest.mark.django_db
def test_the_seed_uses_an_editors_records_under_other_slugs(empty):
    meng = Person.objects.create(name="Hongwei M.", slug="mr-meng")
    Alias.objects.create(person=meng, name="Meng Hongwei")  # the seed's name is this person's alias
    noble = Person.objects.create(name="Ronald Noble", slug="noble")  # this name is the seed's alias
    Place.objects.create(name="Beijing", country="China", slug="peking")
    CrimeType.objects.create(name="Cybercrime", slug="cyber")
    doc = Source.objects.create(title="A copy", slug="my-copy", seed_file="000_f18ad25052563e3f.txt")

    call_command("load_seed", verbosity=0)

    assert Person.objects.filter(Q(name="Meng Hongwei") | Q(aliases__name="Meng Hongwei")).count() == 1
    assert not Person.objects.filter(slug__in=["meng-hongwei", "ronald-k-noble"]).exists()
    assert Event.objects.filter(involvements__person=meng).exists()
    assert Event.objects.filter(involvements__person=noble).exists()
    assert not Place.objects.filter(slug="beijing").exists() and Event.objects.filter(place__slug="peking").exists()
    assert (
        not CrimeType.objects.filter(slug="cybercrime").exists()
        and Event.objects.filter(crime_types__slug="cyber").exists()
    )
    assert doc.citations.exists() and Source.objects.filter(seed_file=doc.seed_file).count() == 1


@pytest.mark.django_db
def test_a_broken_seed_file_is_refused_whole(empty, tmp_path, settings):
    seed = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())
    seed["events"][-1]["when"] = "the thirty-second of Smarch"
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    with pytest.raises(CommandError, match="Smarch"):
        call_command("load_seed", "--path", str(path), verbosity=0)
    assert not Event.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_an_uncited_seed_event_is_refused(empty, tmp_path, settings):
    seed = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())
    seed["events"][0]["citations"] = []
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    with pytest.raises(CommandError, match="no citation"):
        call_command("load_seed", "--path", str(path), verbosity=0)


@pytest.mark.django_db
def test_a_missing_seed_file_is_a_clear_error(empty, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_seed", "--path", str(tmp_path / "nope.json"), verbosity=0)


@pytest.mark.django_db
def test_generate_events_makes_realistic_synthetic_events(seeded):
    call_command("generate_events", "--count", "300", "--seed", "7", verbosity=0)
    made = Event.objects.filter(synthetic=True)
    assert made.count() == 300
    for event in made.prefetch_related("citations", "involvements"):
        assert "1984-01-01" <= str(event.start) <= str(event.end) <= "2023-12-31"
        assert event.citations.count() == 1 and event.involvements.exists() and event.search_text.strip()
    assert made.filter(status="published").count() > 250
    assert len(set(made.values_list("kind", flat=True))) == len(Event.Kind.values)
    assert len(set(made.values_list("precision", flat=True))) == 3


@pytest.mark.django_db
def test_generate_events_clear_removes_exactly_the_synthetic(seeded):
    before = snapshot()
    call_command("generate_events", "--count", "40", "--seed", "3", verbosity=0)
    synthetic_person = Person.objects.filter(synthetic=True).first()
    synthetic_source = Source.objects.filter(synthetic=True, citations__isnull=False).first()
    mine = Event.objects.create(
        title="Editor's",
        slug="editors",
        kind="visit",
        start="2020-01-01",
        end="2020-01-01",
        precision="day",
        summary="Mine.",
        status="published",
    )
    Involvement.objects.create(event=mine, person=synthetic_person, role="Guest")
    Citation.objects.create(event=mine, source=synthetic_source, excerpt="an excerpt")

    call_command("generate_events", "--clear", verbosity=0)

    assert not Event.objects.filter(synthetic=True).exists()
    assert Event.objects.filter(pk=mine.pk).exists()
    assert Person.objects.filter(pk=synthetic_person.pk).exists()  # an editor's event names them
    assert Source.objects.filter(pk=synthetic_source.pk).exists()  # an editor's event cites it
    Involvement.objects.filter(event=mine).delete()
    Citation.objects.filter(event=mine).delete()
    mine.delete()
    call_command("generate_events", "--clear", verbosity=0)
    assert snapshot() == before


@pytest.mark.django_db
def test_generate_events_refuses_nonsense(empty, capsys):
    with pytest.raises(CommandError):
        call_command("generate_events", verbosity=0)
    with pytest.raises(CommandError):
        call_command("generate_events", "--count", "-5", verbosity=0)
    call_command("generate_events", "--count", "5", "--dry-run")
    assert "Would remove 0 and make 5" in capsys.readouterr().out
    assert not Event.objects.exists()


def seed_without_its_last_citation(tmp_path, settings, slug):
    """The seed loaded as it was before `slug`'s last citation was added to it; `reload()` loads it as now."""
    seed = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())
    event = next(e for e in seed["events"] if e["slug"] == slug)
    later = event["citations"].pop()
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    call_command("load_seed", "--path", str(path), verbosity=0)

    def reload():
        if later not in event["citations"]:
            event["citations"].append(later)
        path.write_text(json.dumps(seed))
        call_command("load_seed", "--path", str(path), verbosity=0)

    return seed, later, reload


@pytest.mark.django_db
def test_a_citation_added_to_the_seed_later_reaches_its_event_once(empty, tmp_path, settings):
    _, later, reload = seed_without_its_last_citation(tmp_path, settings, "operation-first-light-2014")
    assert not Citation.objects.filter(excerpt=later["excerpt"]).exists()
    reload()
    added = Citation.objects.get(excerpt=later["excerpt"])
    assert added.event.slug == "operation-first-light-2014"
    # Loaded once: an editor's deletion stands through later loads.
    added.delete()
    reload()
    assert not Citation.objects.filter(excerpt=later["excerpt"]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_database_seeded_before_the_corrections_gets_them_unless_an_editor_changed_the_event(empty):
    """Migration 0013: what fixtures/seed.json corrects reaches databases loaded before, edits excepted."""
    import datetime as dt

    from reversion.models import Revision, Version

    from timeline.editing import history

    call_command("load_seed", verbosity=0)
    # The seed as it was: the 2013 visit "c. 11 October 2013", the IGCI opening not marked planned.
    liao = Event.objects.get(slug="liao-jinrong-visits-interpol-2013")
    Event.objects.filter(pk=liao.pk).update(qualifier="approximate", summary="As first seeded.")
    Event.objects.filter(slug="igci-due-to-open-2014").update(stage="happened")
    # One of the citations a database loaded before 0013 had (they quote the five documents).
    soga = (
        Citation.objects.filter(event__slug="soga-operations-2007-2010")
        .exclude(source__seed_file="")
        .order_by("id")
        .last()
    )
    soga.delete()  # an editor's deletion
    edited = Event.objects.get(slug="heads-of-ncb-conference-2023")
    with history.revision(None, "Changed the summary."):
        edited.summary = "An editor's words."
        edited.save()
    assert Version.objects.get_for_object(edited).exclude(revision__comment__startswith="Loaded from").exists()
    blank_long_addresses()
    call_command("migrate", "timeline", "0012", verbosity=0)
    SeedRecord.objects.filter(key__startswith="citation:").delete()  # no citation was recorded before 0013
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)

    liao.refresh_from_db()
    assert liao.when.label == "by 11 October 2013" and liao.summary != "As first seeded."
    assert Event.objects.get(slug="igci-due-to-open-2014").stage == "planned"
    assert Event.objects.get(pk=edited.pk).summary == "An editor's words."
    assert (
        not Citation.objects.filter(pk=soga.pk).exists()
        and not Citation.objects.filter(event__slug="soga-operations-2007-2010", excerpt=soga.excerpt).exists()
    )
    assert Revision.objects.exists() and dt.date(2013, 10, 11) == liao.end


@pytest.mark.django_db
def test_a_citation_of_a_source_an_editor_renamed_is_skipped_and_the_rest_still_loads(
    empty, tmp_path, settings, capsys
):
    # A Beijing Review citation, added to the seed later.
    seed, later, reload = seed_without_its_last_citation(tmp_path, settings, "meng-hongwei-elected-president-2016")
    # Another slug, another address and another title: nothing says it is still the seed's source.
    Source.objects.filter(slug=later["source"]).update(slug="beijing-review-renamed", url="", title="Renamed")
    seed["places"].append({"slug": "a-place-added-since", "name": "Somewhere new"})
    reload()
    assert "a source no longer here" in capsys.readouterr().err
    assert not Citation.objects.filter(excerpt=later["excerpt"]).exists()
    assert Place.objects.filter(slug="a-place-added-since").exists()


@pytest.mark.django_db
def test_a_citation_of_a_source_an_editor_gave_another_slug_lands_on_it(empty, tmp_path, settings):
    _, later, reload = seed_without_its_last_citation(tmp_path, settings, "meng-hongwei-elected-president-2016")
    Source.objects.filter(slug=later["source"]).update(slug="beijing-review-renamed")  # same address and title
    reload()
    assert Citation.objects.get(excerpt=later["excerpt"]).source.slug == "beijing-review-renamed"


@pytest.mark.django_db
def test_a_database_loaded_before_issue_26_gets_its_corrections_once_unless_an_editor_changed_the_event(empty):
    """The seed corrected events a database may have loaded already (the 1984 admission's date, Operation Trigger
    IX's dates, roles): load_seed brings them, once, to events no editor changed."""
    import datetime as dt

    from timeline.editing import history

    call_command("load_seed", verbosity=0)
    # As an earlier seed loaded them.
    admission = Event.objects.get(slug="china-legal-status-restored-1984")
    Event.objects.filter(pk=admission.pk).update(
        title="China's place in INTERPOL, 1984", start="1984-09-01", end="1984-09-30", precision="month", place=None
    )
    guo = Involvement.objects.get(event__slug="jurgen-stock-visits-china-2015", person__slug="guo-shengkun")
    Involvement.objects.filter(pk=guo.pk).update(role="Minister of Public Security")
    election = Event.objects.get(slug="meng-hongwei-elected-president-2016")
    election.involvements.exclude(person__slug="meng-hongwei").delete()
    trigger = Event.objects.get(slug="operation-trigger-ix")
    with history.revision(None, "An editor's own dates."):
        trigger.start = trigger.end = dt.date(2023, 6, 6)
        trigger.save()
    SeedRecord.objects.filter(key__startswith="corrected-26:").delete()

    out = StringIO()
    call_command("load_seed", stdout=out)
    assert "Corrected 14 events loaded before." in out.getvalue()  # all but the one an editor changed
    admission.refresh_from_db()
    assert (admission.title, admission.when.label, admission.place.name) == (
        "China admitted to INTERPOL at the General Assembly in Luxembourg",
        "5 September 1984",
        "Luxembourg",
    )
    assert Involvement.objects.get(pk=guo.pk).role == "Minister of Public Security of China"
    assert election.involvements.filter(person__slug="mireille-ballestrazzi").exists()
    assert str(Event.objects.get(pk=trigger.pk).start) == "2023-06-06"  # the editor's stands
    assert " luxembourg " in Event.objects.get(pk=admission.pk).search_text  # its search words follow

    # Once: an editor's later change is not corrected again.
    Event.objects.filter(pk=admission.pk).update(title="An editor's title")
    call_command("load_seed", verbosity=0)
    assert Event.objects.get(pk=admission.pk).title == "An editor's title"

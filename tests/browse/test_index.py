"""The in-memory index (timeline/browse/index.py) gives exactly what SQL over the same filters gives: counts, pages,
offsets, facets and the axis, on the seed plus synthetic events of every precision, on either database."""

import random
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.http import QueryDict

from timeline import data_version
from timeline.bench.cold import cold_mix
from timeline.browse import index, queries
from timeline.browse.filters import Cursor, Filters
from timeline.models import CrimeType, Event, Involvement, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(seeded):
    call_command("generate_events", "--count", "600", "--seed", "5", verbosity=0)
    # Drafts stay out of the index, whatever they name.
    Event.objects.filter(pk__in=Event.objects.order_by("?").values("pk")[:40]).update(status=Event.Status.DRAFT)
    index.forget()


def sql_facets(filters, base):
    """The GROUP BYs the index replaced, as the reference."""

    def within(skip):
        return queries.matching(filters, base, skip=skip)

    def grouped(events, field):
        return dict(events.order_by().values_list(field).annotate(n=Count("id")))

    axis = Counter()
    for e in within("year"):
        axis[
            e.start.year * 12 + e.start.month - 1,
            e.end.year * 12 + e.end.month - 1,
            e.precision,
            e.qualifier,
            e.start == e.end,
            e.stage == "planned",
        ] += 1
    return {
        "person": dict(
            Involvement.objects.filter(event__in=within("person").values("pk"))
            .order_by()
            .values_list("person_id")
            .annotate(n=Count("event_id", distinct=True))
        ),
        "crime": dict(
            Event.crime_types.through.objects.filter(event__in=within("crime").values("pk"))
            .order_by()
            .values_list("crimetype_id")
            .annotate(n=Count("id"))
        ),
        "place": {pk or 0: n for pk, n in grouped(within("place"), "place_id").items()},
        "kind": grouped(within("kind"), "kind"),
        "stage": grouped(within("stage"), "stage"),
        "china": grouped(within("china"), "china"),
        "axis": sorted((*key, n) for key, n in axis.items()),
    }


def views():
    rng = random.Random(7)
    mixed = cold_mix(60, seed=11)
    people = list(Person.objects.filter(involvements__event__status="published").values_list("pk", flat=True)[:3])
    crimes = list(CrimeType.objects.filter(events__status="published").values_list("pk", flat=True)[:2])
    subjects = [None, *(("person", pk) for pk in people), *(("crime", pk) for pk in crimes)]
    extra = [
        "",
        "q=meng+hongwei",
        "q=zzzz",
        "q=pol",
        "from=2013&to=2016",
        "stage=planned",
        "kind=assembly&kind=visit",
        "from=late+2014",
        "to=c.+1990",
        "order=desc&q=police",
        "china=context",
        "china=hosted&china=about&kind=visit",
    ]
    return [(query, rng.choice(subjects) if i % 3 == 0 else None) for i, query in enumerate(extra + mixed)]


def test_index_answers_as_sql_does(data):
    found = index.current()
    assert found.size == Event.objects.published().count() > 500
    checked, deep = 0, 0
    for query, subject in views():
        filters = Filters.parse(QueryDict(query))
        base = None
        if subject:
            base = Event.objects.published().filter(
                **({"involvements__person": subject[1]} if subject[0] == "person" else {"crime_types": subject[1]})
            )
            base = Event.objects.filter(pk__in=base.values("pk"))
        facets = found.facets(found.masks(filters, subject))
        expected = sql_facets(filters, base)
        for name in ("person", "crime", "place", "kind", "stage", "china"):
            assert {k: n for k, n in facets[name].items() if n} == expected[name], (query, subject, name)
        assert sorted(facets["axis"]) == expected["axis"], (query, subject)

        # The first page, then a page after a cursor, in both orders: ids, count and events before it.
        events = queries.matching(filters, base)
        descending = filters.order == "desc"
        ordered = list(events.order_by(*(queries.DESC if descending else queries.ASC)).values_list("pk", flat=True))
        mask = found.matching(found.masks(filters, subject))
        assert int(mask.sum()) == len(ordered), (query, subject)
        assert found.page(mask, None, descending, 20) == (ordered[:21], 0)
        if len(ordered) > 30:
            at = Event.objects.get(pk=ordered[25])
            assert found.page(mask, Cursor.of(at), descending, 20) == (ordered[26:47], 26), (query, subject)
            deep += 1
        checked += bool(ordered)
    assert checked > 35 and deep > 10  # the comparison is not of empty sets


def test_every_page_of_a_view_is_the_sql_keyset_page(data, settings):
    settings.TIMELINE_PAGE_SIZE = 7
    filters = Filters.parse(QueryDict("q=police&order=desc"))
    expected = list(queries.matching(filters).order_by(*queries.DESC).values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = queries.page(
            Filters.parse(
                QueryDict(urlencode({"q": "police", "order": "desc", **({"cursor": str(cursor)} if cursor else {})}))
            )
        )
        assert page.offset == len(seen) and page.count == len(expected)
        seen += [e.pk for e in page.events]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_the_index_follows_every_edit(data, client):
    before = index.current()
    event = Event.objects.published().exclude(place=None).first()
    event.status = Event.Status.DRAFT
    event.save()
    after = index.current()
    assert after is not before and after.size == before.size - 1 and event.pk not in after.ids
    assert index.current() is after  # loaded once a version
    Involvement.objects.filter(event__status="published").first().delete()
    assert index.current() is not after


def test_each_worker_loads_the_index_before_its_first_request(data, monkeypatch):
    from unittest import mock

    from timeline.server.gunicorn import post_worker_init

    worker = mock.Mock()
    monkeypatch.setattr(data_version, "listen", mock.Mock())  # its own test: test_caching.py
    post_worker_init(worker)
    data_version.listen.assert_called_once()
    assert index._current is not None and index._current.size == Event.objects.published().count()
    worker.log.info.assert_called_once()
    # A database that cannot answer yet: logged, and the worker still starts.
    index.forget()
    monkeypatch.setattr(index.Index, "load", mock.Mock(side_effect=RuntimeError("no database")))
    post_worker_init(worker)
    worker.log.exception.assert_called_once()


def test_a_place_the_index_does_not_know_matches_nothing(data):
    """Filters read from the index of a moment ago may name a place that no published event names now."""
    from dataclasses import replace

    found = index.current()
    filters = Filters.parse(QueryDict("place=lyon-france"))
    assert filters.place == "lyon-france"
    stale = replace(filters, pks={("place", "lyon-france"): max(found.places.tolist()) + 1})
    assert not found.matching(found.masks(stale)).any()
    assert found.matching(found.masks(filters)).sum() == queries.matching(filters).count() > 0


def test_waiting_for_a_load_reads_the_version_again(data):
    """Who waited while another loaded the index uses that one instead of loading it once more."""
    from unittest import mock

    first = index.current()
    Event.objects.published().first().save()  # a new version
    with mock.patch.object(index.Index, "load", wraps=index.Index.load) as load:
        second = index.current()
        index.current()
    assert load.call_count == 1 and second is not first


def test_a_page_reads_its_events_by_primary_key_and_only_published_ones(data):
    """The page's events are looked up by primary key: with the status in the same query SQLite read every
    published event through the status index (17 ms instead of 1 at 100,000 events). An event unpublished
    after the index was read still stays off the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = index.current()
    first = queries.page(Filters.parse(QueryDict(""))).events
    Event.objects.filter(pk=first[0].pk).update(status=Event.Status.DRAFT)  # no signal: the index is stale
    assert index.current() is found
    with CaptureQueriesContext(connection) as ran:
        shown = queries.page(Filters.parse(QueryDict(""))).events
    assert first[0] not in shown and [e.pk for e in shown][: len(first) - 1] == [e.pk for e in first[1:]]
    events = next(q["sql"] for q in ran if 'FROM "timeline_event"' in q["sql"])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {events}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "PRIMARY KEY" in plan and "event_status" not in plan, plan

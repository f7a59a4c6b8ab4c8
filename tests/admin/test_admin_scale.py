"""The event admin at scale: pinned query counts, the list's columns, a search over places, sources and
excerpts, filters that search instead of listing everyone, facets on request, no server error on junk."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.editing import history
from timeline.models import Citation, CrimeType, Event, Person, Place, Source

pytestmark = pytest.mark.usefixtures("seeded")
URL = "/admin/timeline/event/"


@pytest.fixture
def events(make_events):
    """300 events on top of the seed: three pages of the list."""
    return make_events(300)


def sidebar(html):
    return html.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0]


def rows(html):
    return re.findall(r'<tr><td class="action-checkbox">', html)


# Queries per page, whatever the number of events: the session and its user, a savepoint and its release
# (django-reversion), the crime types of their filter, the count (a search's is the search itself, read
# once), the count of all events, the page's ids, its rows and their people, and the date hierarchy's range
# and years (in a year, only its months). A list of one page has no ids query; a filter chosen by id reads
# that choice, one searched by name the first few that match.
PAGES = [
    ("list", URL, 12),
    ("search", f"{URL}?q=event", 12),
    ("two-word search", f"{URL}?q=summary+event", 12),
    ("person by name", f"{URL}?person_q=person+1", 13),
    ("person by id", f"{URL}?people__id__exact={{person}}", 13),
    ("place by id", f"{URL}?place__id__exact={{place}}", 12),  # 75 events: one page
    ("source by id", f"{URL}?citations__source__id__exact={{source}}", 13),
    ("year", f"{URL}?start__year=2000", 10),
    (
        "every filter",
        f"{URL}?q=event&kind__exact=visit&status__exact=published&crime_types__id__exact={{crime}}"
        f"&people__id__exact={{person}}&place_q=city&start__year=1993",
        12,
    ),
    ("last page", f"{URL}?p=3", 12),
    ("sorted by title", f"{URL}?o=1", 12),
    ("sorted by citations", f"{URL}?o=-7", 12),
]


@pytest.mark.parametrize("name, url, queries", PAGES, ids=[p[0] for p in PAGES])
def test_query_counts_are_pinned(admin_client, events, django_assert_num_queries, name, url, queries):
    person = Person.objects.get(name="Person 1")
    url = url.format(
        person=person.pk,
        place=Place.objects.get(name="City 1").pk,
        source=Source.objects.get(title="Test source").pk,
        crime=CrimeType.objects.get(name="Crime 1").pk,
    )
    admin_client.get(url)  # content types and such are cached after a first request
    with django_assert_num_queries(queries):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert rows(response.content.decode()), "a page with no rows would pin nothing"


def test_query_count_does_not_grow_with_the_page(admin_client, events):
    """The same queries for a page of 3 events and one of 100, however many people and editors they have."""
    editor = User.objects.create_user("editor-one")
    for event in events[:150]:
        with history.revision(editor, "Edited"):
            event.save()
    counts = []
    total = Event.objects.count()  # the seed and 300 more, 225 of them with a place
    for url in [URL, f"{URL}?p=5", f"{URL}?q=testland", f"{URL}?q=testland&p=3"]:
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = admin_client.get(url).content.decode()
        counts.append((len(rows(html)), len(queries)))
    assert [n for n, _ in counts] == [100, total - 400, 100, 25] and 0 < total - 400 < 100
    assert len({q for _, q in counts}) == 1, counts


def test_change_form_query_count(admin_client, events, django_assert_num_queries):
    url = f"{URL}{events[5].pk}/change/"
    admin_client.get(url)
    with django_assert_num_queries(16):
        assert admin_client.get(url).status_code == 200


def test_list_shows_place_people_status_and_who_edited_last(admin_client, events):
    event = Event.objects.get(slug="meng-hongwei-elected-president-2016")
    event.place = Place.objects.get(name="City 2")
    editor = User.objects.create_user("lin.editor")
    with history.revision(editor, "Added the place"):
        event.save()
    html = admin_client.get(f"{URL}?q=Meng+Hongwei+elected").content.decode()
    row = html.split('value="%d"' % event.pk, 1)[1].split("</tr>", 1)[0]
    assert '<td class="field-place nowrap">City 2, Testland</td>' in row
    assert '<td class="field-people_list">Meng Hongwei, Mireille Ballestrazzi</td>' in row
    assert '<td class="field-status">Published</td>' in row
    assert '<td class="field-last_editor">lin.editor</td>' in row
    assert re.search(r'<td class="field-last_edited">\d{1,2} [A-Z][a-z]{2} \d{4}</td>', row)
    for header in ("Place", "People", "Status", "Last edited", "Edited by", "Citations"):
        assert f">{header}</" in html
    # An event no one has saved through the admin has no editor to show.
    assert '<td class="field-last_editor">-</td>' in admin_client.get(f"{URL}?q=Event+17").content.decode()
    html = admin_client.get(URL, {"q": "first official mission"}).content.decode()
    assert '<td class="field-people_list">Jürgen Stock, Guo Shengkun, Zhao Hongzhu and 2 more</td>' in html


def test_search_finds_places_sources_and_excerpts(admin_client, events):
    event, other = Event.objects.get(title="Event 7"), Event.objects.get(title="Event 8")
    event.place = Place.objects.create(name="Zhangjiakou", country="China", slug="zhangjiakou")
    event.save()
    source = Source.objects.create(title="Zanzibar yearbook of transnational policing", publisher="Quokka Hill Press")
    Citation.objects.create(event=other, source=source, excerpt="the vermilion ledger was shared")
    Citation.objects.create(
        event=other, source=Source.objects.get(title="Test source"), excerpt="a second vermilion excerpt"
    )

    def found(q):
        html = admin_client.get(URL, {"q": q}).content.decode()
        return re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', html)

    assert found("zhangjiakou") == ["Event 7"]  # the place, not in title or summary
    assert found("Zanzibar yearbook") == ["Event 8"]  # a source's title
    assert found("quokka hill press") == ["Event 8"]  # its publisher
    assert found("vermilion") == ["Event 8"]  # two excerpts, one row: no duplicates
    assert found('"vermilion ledger"') == ["Event 8"]  # a quoted phrase
    assert found("vermilion zhangjiakou") == []  # every term must match
    assert "Xi Jinping" in " ".join(found("习近平"))  # a Chinese name
    assert found("Jingrong") == [  # an alias, newest first
        "Human Rights Watch writes to INTERPOL about China&#x27;s red notice requests before the Beijing assembly",
        "Secretary General Jürgen Stock&#x27;s first official mission to China",
        "Liao Jinrong visits INTERPOL&#x27;s General Secretariat",
        "Liao Jinrong leads the Chinese delegation to the 81st General Assembly in Rome",
    ]


def test_search_needs_no_distinct(rf, admin_user, events):
    from django.contrib import admin

    model_admin = admin.site._registry[Event]
    request = rf.get(URL)
    request.user = admin_user
    queryset, may_have_duplicates = model_admin.get_search_results(
        request, model_admin.get_queryset(request), "event 1 quoted"
    )
    assert may_have_duplicates is False
    assert queryset.count() == len(set(queryset.values_list("pk", flat=True))) > 0


def test_filters_search_instead_of_listing_everyone(admin_client, events):
    html = admin_client.get(URL).content.decode()
    filters = sidebar(html)
    for name in ("Person 3", "Guo Shengkun", "City 1", "Test source"):
        assert name not in filters  # no list of all people, places or sources
    for parameter, label in (
        ("person_q", "Name or alias contains"),
        ("place_q", "Place or country contains"),
        ("source_q", "Title or publisher contains"),
    ):
        assert f'<label for="filter-{parameter}">{label}</label>' in filters
        assert f'<input type="search" id="filter-{parameter}" name="{parameter}"' in filters
    assert len(re.findall(r'<form method="get" role="search"', filters)) == 3


def test_person_filter_by_name_then_by_choice(admin_client, events):
    html = admin_client.get(URL, {"person_q": "person 1", "kind__exact": "visit", "q": "event"}).content.decode()
    filters = sidebar(html)
    # The text finds Person 1 only; the list shows their visits; the choice keeps the other filters.
    person = Person.objects.get(name="Person 1")
    link = f'?kind__exact=visit&amp;people__id__exact={person.pk}&amp;q=event">Person 1</a>'
    assert link in filters and "Person 2" not in filters
    assert "All matching “person 1”" in filters
    # The form carries the other filters and the search, not its own old value.
    form = filters.split('aria-label="Find a person"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="kind__exact" value="visit">' in form
    assert '<input type="hidden" name="q" value="event">' in form
    assert 'name="person_q" value="person 1"' in form and 'type="hidden" name="person_q"' not in form
    expected = set(Event.objects.filter(involvements__person=person, kind="visit").values_list("title", flat=True))
    titles = set(re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', html))
    assert titles == expected and expected
    chosen = sidebar(admin_client.get(URL, {"people__id__exact": person.pk}).content.decode())
    assert (
        '<li class="selected"><a href="?people__id__exact=%d" aria-current="true">Person 1</a></li>' % person.pk
        in chosen
    )


def test_place_and_source_filters(admin_client, events):
    city = Place.objects.get(name="City 2")
    html = admin_client.get(URL, {"place__id__exact": city.pk, "p": 2}).content.decode()
    assert "City 2, Testland" in sidebar(html)
    assert set(re.findall(r'<td class="field-place nowrap">([^<]+)</td>', html)) == {"City 2, Testland"}
    html = admin_client.get(URL, {"place_q": "testland"}).content.decode()
    assert len(rows(html)) == 100 and "No place" not in html
    assert "None matches “atlantis”" in admin_client.get(URL, {"place_q": "atlantis"}).content.decode()

    source = Source.objects.get(title="Test source")
    html = admin_client.get(URL, {"source_q": "test publisher"}).content.decode()
    assert f'citations__source__id__exact={source.pk}">Test source</a>' in sidebar(html)
    assert "0 of 100 selected" in html
    # The importer's link to the drafts it proposed from one source.
    html = admin_client.get(URL, {"status__exact": "draft", "citations__source__id__exact": source.pk})
    assert html.status_code == 200 and "Test source" in sidebar(html.content.decode())


def test_facets_are_off_until_asked_for(admin_client, events):
    html = admin_client.get(URL).content.decode()
    assert "Show counts" in html and not re.search(r"Published \(\d+\)", html)
    html = admin_client.get(URL, {"_facets": "1"}).content.decode()
    assert "Hide counts" in html and f"Published ({Event.objects.published().count()})" in html


def test_date_hierarchy_by_start(admin_client, events):
    html = admin_client.get(URL).content.decode()
    assert 'href="?start__year=1984"' in html and 'href="?start__year=2023"' in html
    html = admin_client.get(URL, {"start__year": 2014}).content.decode()
    titles = re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', html)
    expected = Event.objects.filter(start__year=2014).count()
    assert len(titles) == expected and "Operation First Light" in titles
    assert 'href="?start__month=9&amp;start__year=2014"' in html  # then the months


JUNK = [
    "year=0000",
    "year=2009",
    "start__year=0",
    "start__year=9999",
    "start__year=abc",
    "start__year=2020&start__month=99999999999999999999",
    "start__year=2015&start__month=2&start__day=30",
    "start__month=13",
    "people__id__exact=abc",
    "people__id__exact=99999999999999999999999",
    "place__id__exact=-1",
    "citations__source__id__exact=1%20OR%201",
    "crime_types__id__exact=zz",
    "p=99999",
    "o=zz",
    "person_q=%00",
    "q=%00",
    "q=%22",
    "q=%27unclosed",
    "place_q=" + "x" * 500,
    "_facets=1&people__id__exact=x",
]


@pytest.mark.parametrize("query", JUNK)
def test_junk_filters_are_not_server_errors(admin_client, query):
    response = admin_client.get(f"{URL}?{query}")
    assert response.status_code in (200, 302), query
    if response.status_code == 302:
        assert response["Location"] == f"{URL}?e=1"


def test_chosen_id_that_does_not_exist(admin_client):
    html = admin_client.get(URL, {"people__id__exact": 987654}).content.decode()
    assert "#987654 (not found)" in html and "0 events" in html


def test_event_autocomplete_uses_the_search(admin_client, events):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "timeline", "model_name": "citation", "field_name": "event", "term": "zhangjiakou"},
    )
    assert response.json()["results"] == []
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "timeline", "model_name": "citation", "field_name": "event", "term": "Jingrong"},
    )
    assert {r["text"] for r in response.json()["results"]} == {
        "Liao Jinrong visits INTERPOL's General Secretariat",
        "Secretary General Jürgen Stock's first official mission to China",
        "Liao Jinrong leads the Chinese delegation to the 81st General Assembly in Rome",
        "Human Rights Watch writes to INTERPOL about China's red notice requests before the Beijing assembly",
    }

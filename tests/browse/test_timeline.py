"""The interactive timeline: filters, facets, htmx fragments, pages, JSON and bad input."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import year_counts
from timeline.models import Event


def slugs(response):
    return re.findall(r'<h3 id="event-([\w-]+)"', response.content.decode())


# Liao Jinrong's events: his own, under both spellings of his name.
LIAO = {
    "liao-jinrong-visits-interpol-2013",
    "jurgen-stock-visits-china-2015",
    "liao-jinrong-leads-delegation-81st-general-assembly-2012",
    "hrw-letter-on-china-red-notices-2017",
}


def json_slugs(response):
    return [e["slug"] for e in response.json()["events"]]


@pytest.mark.usefixtures("seeded")
class TestFilters:
    @pytest.mark.parametrize(
        "query, expected",
        [
            ("person=liao-jinrong", LIAO),
            # Several values of one parameter: any of them.
            (
                "person=ronald-k-noble&person=duan-daqi",
                {
                    "20th-asian-regional-conference-hong-kong-2008",
                    "interpol-support-beijing-olympics-2008",
                    "jurgen-stock-visits-china-2015",
                    "liao-jinrong-visits-interpol-2013",
                    "meng-hongwei-leads-delegation-83rd-general-assembly-2014",
                    "meng-jianzhu-meets-noble-2008",
                    "noble-beijing-olympic-security-conference-2007",
                    "operation-first-light-2019-2020",
                    "operation-first-light-2022",
                },
            ),
            (
                "crime=illegal-gambling",
                {
                    "soga-operations-2007-2010",
                    "liao-jinrong-visits-interpol-2013",
                    "operation-soga-iv-2012",
                    "operation-soga-v-2014",
                    "operation-soga-vi-2016",
                    "operation-soga-vii-2018",
                },
            ),
            # Different parameters: all of them.
            (
                "person=guo-shengkun&crime=terrorism",
                {
                    "jurgen-stock-visits-china-2015",
                    "86th-general-assembly-2017",
                    "guo-shengkun-terrorist-suspects-2017",
                    "86th-general-assembly-closes-2017",
                },
            ),
            ("person=guo-shengkun&crime=terrorism&kind=speech", {"guo-shengkun-terrorist-suspects-2017"}),
            (
                "kind=election",
                {
                    "meng-hongwei-elected-president-2016",
                    "kim-jong-yang-elected-president-2018",
                    "hu-binchen-elected-executive-committee-2021",
                    "al-raisi-elected-president-2021",
                },
            ),
            (
                "kind=training&kind=meeting",
                {
                    "illicit-trade-training-2013",
                    "china-pledges-law-enforcement-institute-training",
                    "xiamen-cybercrime-meeting-2015",
                    "xia-chongyuan-meets-jurgen-stock-2015",
                    "wang-xiaohong-meets-jurgen-stock-2023",
                    "china-environmental-security-seminar-2012",
                    "chinese-reception-85th-general-assembly-2016",
                    "meng-jianzhu-meets-noble-2008",
                    "public-security-ministry-meeting-on-meng-2018",
                    "storm-v-review-meeting-guangzhou-2014",
                },
            ),
            ("place=xiamen-china", {"xiamen-cybercrime-meeting-2015"}),
            # Words: title, summary, names, aliases, Chinese names, place.
            ("q=Jingrong", LIAO),
            # His events, and one whose summary names him (as "Liao Jinrong" finds it).
            ("q=廖进荣", LIAO | {"igci-due-to-open-2014"}),
            ("q=xiamen", {"xiamen-cybercrime-meeting-2015"}),
            (
                "q=Lyon+Noble",
                {
                    "liao-jinrong-visits-interpol-2013",
                    "china-seconds-officers-to-general-secretariat-by-2013",
                    "interpol-support-beijing-olympics-2008",
                },
            ),
            # Periods overlap the range, inclusive at the precision typed.
            (
                "from=2008&to=2009",
                {
                    "soga-operations-2007-2010",
                    "20th-asian-regional-conference-hong-kong-2008",
                    "interpol-support-beijing-olympics-2008",
                    "meng-hongwei-leads-delegation-78th-general-assembly-2009",
                    "meng-jianzhu-meets-noble-2008",
                    "operation-storm-2008",
                    "operation-storm-ii-2009",
                },
            ),
            (
                "to=1984",
                {
                    "china-legal-status-restored-1984",
                    "interpol-china-ncb-founded-1984",
                    "prc-applies-for-interpol-membership-1984",
                },
            ),
            (
                "from=December 2014&to=2014",
                {"operation-first-light-2014", "igci-due-to-open-2014", "storm-v-review-meeting-guangzhou-2014"},
            ),
            # "by 27 September 2017" is stored as its latest day, 27 September: in the range.
            (
                "from=27 September 2017&to=2017",
                {
                    "86th-general-assembly-2017",
                    "red-notice-concerns-and-roncaglia-answer",
                    "86th-general-assembly-closes-2017",
                    "china-pledges-communication-systems-crime-labs",
                    "china-pledges-law-enforcement-institute-training",
                    "guo-xin-returns-2017",
                },
            ),
            (
                "from=2023",
                {
                    "operation-trigger-ix",
                    "heads-of-ncb-conference-2023",
                    "interpol-centenary-2023",
                    "wang-xiaohong-meets-jurgen-stock-2023",
                    "i-can-project-by-2023",
                    "chinese-delegation-24th-asian-regional-conference-2023",
                    "chinese-delegation-91st-general-assembly-2023",
                    "guo-jiefang-returns-2023",
                    "operation-storm-makers-ii-2023",
                    "taiwan-not-invited-91st-general-assembly-vienna-2023",
                },
            ),
            # Operation Hurricane, "May–June 2013", is left out of a range that starts in September 2013.
            ("from=September 2013&to=September 2013", {"illicit-trade-training-2013"}),
            ("china=about&kind=election", {"kim-jong-yang-elected-president-2018"}),
        ],
    )
    def test_filters_page_and_json_agree(self, client, settings, query, expected):
        settings.TIMELINE_PAGE_SIZE = 50  # one page holds every match
        page = client.get("/?" + query)
        data = client.get("/events.json?" + query)
        assert page.status_code == data.status_code == 200
        assert set(slugs(page)) == expected
        assert json_slugs(data) == slugs(page)
        assert data.json()["count"] == len(expected)

    def test_order(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 200  # the whole seed on one page
        ascending = slugs(client.get("/"))
        assert slugs(client.get("/?order=desc")) == ascending[::-1]
        assert ascending == list(Event.objects.order_by("start", "end", "id").values_list("slug", flat=True))

    def test_unknown_values_show_a_message_and_the_rest_applies(self, client):
        response = client.get("/?person=nobody&crime=illegal-gambling&from=soon")
        html = response.content.decode()
        assert response.status_code == 200
        assert "No person called “nobody”; left out." in html
        assert "Could not read “soon” as a date" in html
        assert set(slugs(response)) == {
            "soga-operations-2007-2010",
            "liao-jinrong-visits-interpol-2013",
            "operation-soga-iv-2012",
            "operation-soga-v-2014",
            "operation-soga-vi-2016",
            "operation-soga-vii-2018",
        }

    def test_json_bad_input_is_a_400_with_errors(self, client):
        response = client.get("/events.json?person=nobody&from=soon&order=up")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"person", "from", "order"}

    def test_nothing_matches(self, client):
        response = client.get("/?q=zebra")
        assert slugs(response) == [] and "No event matches these filters" in response.content.decode()

    def test_drafts_stay_invisible_everywhere(self, client):
        Event.objects.filter(slug="xiamen-cybercrime-meeting-2015").update(status=Event.Status.DRAFT)
        assert "xiamen-cybercrime-meeting-2015" not in slugs(client.get("/?q=xiamen"))
        assert client.get("/events.json?q=xiamen").json()["count"] == 0
        assert "xiamen-cybercrime-meeting-2015" not in slugs(client.get("/crimes/cybercrime/"))
        html = client.get("/").content.decode()
        assert "Xiamen, China" not in html  # the place only a draft has is not offered
        # Nor counted in the year navigator: one fewer than the published events of 2015 before.
        assert (
            year_counts(html)[2015]
            == Event.objects.published().filter(start__year__lte=2015, end__year__gte=2015).count()
        )


@pytest.mark.usefixtures("seeded")
class TestFacets:
    def option(self, html, name, value):
        match = re.search(
            rf'<label class="option( muted)?"><input type="checkbox" name="{name}" value="{value}"'
            rf'[^>]*?( checked)?> <span class="label">[^<]+</span> <span class="count">(\d+)',
            html,
        )
        return {"muted": bool(match[1]), "checked": bool(match[2]), "count": int(match[3])}

    def test_counts_are_under_the_other_filters(self, client):
        html = client.get("/?person=guo-shengkun&crime=terrorism").content.decode()
        # Person counts ignore the person filter but keep the crime filter.
        assert self.option(html, "person", "guo-shengkun") == {"muted": False, "checked": True, "count": 4}
        assert self.option(html, "person", "meng-hongwei")["count"] == 5
        assert self.option(html, "person", "liao-jinrong")["count"] == 1
        assert self.option(html, "person", "ronald-k-noble")["count"] == 4
        assert self.option(html, "person", "grace-meng") == {"muted": True, "checked": False, "count": 0}
        # Crime counts keep the person filter.
        assert self.option(html, "crime", "terrorism") == {"muted": False, "checked": True, "count": 4}
        assert self.option(html, "crime", "corruption")["count"] == 1
        assert self.option(html, "crime", "fraud") == {"muted": True, "checked": False, "count": 0}
        # Kind counts keep both.
        assert self.option(html, "kind", "speech")["count"] == 1
        assert self.option(html, "kind", "visit")["count"] == 1
        assert self.option(html, "kind", "assembly")["count"] == 2
        assert "Beijing, China (3)" in html and "Lyon, France (0)" in html

    def test_year_navigator_counts_overlaps_and_ignores_the_date_range(self, client):
        html = client.get("/?crime=illegal-gambling&from=2013").content.decode()
        counts = year_counts(html)
        assert [counts[y] for y in (2007, 2008, 2010, 2011, 2012, 2013, 2015, 2016)] == [1, 1, 1, 0, 1, 1, 0, 1]
        assert len(counts) == 40
        # Chosen years with events are marked; empty years are not links at all.
        assert html.count('aria-current="true"') == 4  # 2013, 2014, 2016, 2018: SOGA V–VII and the 2013 visit

    def test_year_links_narrow_to_that_year(self, client):
        html = client.get("/?crime=cybercrime").content.decode()
        assert 'href="/?crime=cybercrime&amp;from=2015&amp;to=2015"' in html


@pytest.mark.usefixtures("seeded")
class TestHtmx:
    def test_full_page(self, client):
        response = client.get("/?person=liao-jinrong")
        html = response.content.decode()
        assert "<html" in html and 'id="results"' in html and 'id="filters"' in html
        assert "HX-Request" in response["Vary"]

    def test_htmx_request_gets_the_fragment(self, client):
        response = client.get("/?person=liao-jinrong&q=", HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "<html" not in html
        # Out of band: the count, the time axis, the download links, and the form's new state
        # (static/js/browse.js applies it to the live controls instead of replacing them).
        assert 'id="result-count" hx-swap-oob="innerHTML">4 events match these filters' in html
        assert re.search(r'<svg id="axis-svg"[^>]* hx-swap-oob="true"', html)
        assert '<div id="downloads" class="downloads" hx-swap-oob="true">' in html
        assert '<a href="/events.json?person=liao-jinrong">JSON</a>' in html
        assert re.search(r'<form id="filters"[^>]* hx-swap-oob="true">', html)
        assert html.lstrip().startswith("<title>Liao Jinrong: 4 events — China–INTERPOL cooperation</title>")
        assert response["HX-Push-Url"] == "/?person=liao-jinrong"
        assert "HX-Request" in response["Vary"]
        assert set(slugs(response)) == LIAO

    def test_the_fragment_carries_the_state_of_every_control(self, client):
        html = client.get("/?q=xiamen&from=2015&to=soon&kind=meeting", HTTP_HX_REQUEST="true").content.decode()
        form = html.split('<form id="filters"', 1)[1]
        assert 'id="q" name="q" type="search" value="xiamen"' in form
        assert 'id="from" name="from" value="2015"' in form and 'id="to" name="to" value="soon"' in form
        assert "Could not read “soon” as a date" in form
        assert re.search(r'value="meeting" id="kind-meeting" checked>', form)
        assert "· 3 active" in form and "Show 1 event<" in form

    def test_history_restore_gets_the_full_page(self, client):
        response = client.get("/?person=liao-jinrong", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
        assert "<html" in response.content.decode()

    def test_person_and_crime_pages(self, client):
        response = client.get("/people/liao-jinrong/")
        html = response.content.decode()
        assert response.status_code == 200 and "Also written “Jingrong Liao”." in html
        assert set(slugs(response)) == LIAO
        assert slugs(client.get("/people/liao-jinrong/?kind=visit&from=2015")) == ["jurgen-stock-visits-china-2015"]
        assert '<span lang="zh-Hans">孟宏伟</span>' in client.get("/people/meng-hongwei/").content.decode()
        crime = client.get("/crimes/illegal-gambling/")
        assert set(slugs(crime)) == {
            "soga-operations-2007-2010",
            "liao-jinrong-visits-interpol-2013",
            "operation-soga-iv-2012",
            "operation-soga-v-2014",
            "operation-soga-vi-2016",
            "operation-soga-vii-2018",
        }
        fragment = client.get("/crimes/illegal-gambling/?q=Lyon", HTTP_HX_REQUEST="true")
        assert (
            "<html" not in fragment.content.decode() and fragment["HX-Push-Url"] == "/crimes/illegal-gambling/?q=Lyon"
        )
        assert client.get("/people/nobody/").status_code == 404
        assert client.get("/crimes/nothing/").status_code == 404
        # A crime type only drafts name has no public page (nor exports that would all be refused).
        for event in Event.objects.filter(crime_types__slug="illegal-gambling"):
            event.status = Event.Status.DRAFT
            event.save()  # and the data version moves on, as an editor's change does
        assert client.get("/crimes/illegal-gambling/").status_code == 404

    def test_event_page_lists_related_events(self, client):
        html = client.get("/events/xi-jinping-opens-86th-general-assembly/").content.decode()
        related = html.split("Related events")[1]
        # Most people shared first, then the nearest in time: the assembly itself and Xi's two pledges there.
        assert "86th-general-assembly-2017" in related and "china-pledges-communication-systems-crime-labs" in related
        assert "20th-asian-regional-conference-hong-kong-2008" not in related  # Meng Hongwei's too, but years before
        assert 'href="/people/xi-jinping/"' in html and 'href="/crimes/terrorism/"' in html


class TestPages:
    def test_pages_follow_one_another_by_keyset(self, empty, client, make_events, settings):
        settings.TIMELINE_PAGE_SIZE = 7
        make_events(30)
        seen, url = [], "/events.json?order=desc"
        while url:
            response = client.get(url)
            assert response.json()["count"] == 30
            seen += json_slugs(response)
            url = response.json()["next"]
        assert seen == list(Event.objects.order_by("-start", "-end", "-id").values_list("slug", flat=True))

    def test_more_link_and_next_page_fragment(self, empty, client, make_events, settings):
        settings.TIMELINE_PAGE_SIZE = 4
        make_events(25)
        first = client.get("/?crime=crime-1")
        html = first.content.decode()
        more = re.search(r'<a href="(/\?crime=crime-1&amp;cursor=[\w-]+)" hx-get', html)
        assert more and 'hx-trigger="click, revealed"' in html
        url = more[1].replace("&amp;", "&")
        plain = client.get(url)  # without JavaScript: the next page as a full page
        assert "<html" in plain.content.decode()
        fragment = client.get(url, HTTP_HX_REQUEST="true")
        assert "<html" not in fragment.content.decode() and 'id="facet-box"' not in fragment.content.decode()
        assert set(slugs(first)).isdisjoint(slugs(fragment))
        assert (len(slugs(first)), len(slugs(fragment))) == (4, 2)  # crime-1 is on 6 of the 25 events
        assert 'id="more"' not in fragment.content.decode()  # the last page


# Queries per request, pinned: the same at 1,000 events as at 10.
QUERIES = {
    # data version; the event index, loaded again as the data changed (its version, read again under the
    # loading lock, events, event-person and event-crime pairs, people, crime types, places); the index's
    # version checked again where it is used; the page's events and their 3 prefetches
    "/": 14,
    # + the search words' ids (the slugs are checked against the index)
    "/?person=person-1&person=person-3&crime=crime-1&kind=conference&place=city-1&q=event&from=1984&order=desc": 16,
    "/?cursor=1984-01-01_1984-01-01_0": 14,  # how many come before the page is the index's answer
    "/events.json": 13,
    "/events.json?person=person-1&crime=crime-1&from=1984&q=summary": 15,
    "/people/person-1/": 18,  # + the person, their aliases, whether they have a published event, their roles
    "/crimes/crime-1/?kind=conference": 16,  # + the crime type, whether it has a published event
    "/events/event-3/": 12,
    "/events/event-3/?person=person-1&order=desc": 20,  # + the index, to check the person's slug
    "/events/event-3/?via=crime:crime-1": 13,  # + the crime type whose page it was
}


@pytest.mark.parametrize("url, expected", QUERIES.items())
def test_queries_do_not_grow_with_the_data(empty, client, make_events, url, expected):
    make_events(1000)
    with CaptureQueriesContext(connection) as at_1000:
        assert client.get(url).status_code == 200
    Event.objects.exclude(pk__in=list(Event.objects.order_by("id").values_list("pk", flat=True)[:10])).delete()
    with CaptureQueriesContext(connection) as at_10:
        assert client.get(url).status_code == 200
    assert (len(at_1000), len(at_10)) == (expected, expected)


HOSTILE = [
    "\x00",
    "'; DROP TABLE timeline_event; --",
    "<script>alert(1)</script>",
    "x" * 10000,
    "１９８４",
    "𝕏",
    "%",
    "_",
    "-1",
    "9" * 40,
    "before",
    "between and",
    "2007–",
    "Tuesday",
    "last month",
    "2013-02-30",
    "9999-12-31_9999-12-31_1",
    "2013-01-01_2013-01-01_99999999999999999999",
]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path", ["/", "/events.json", "/people/liao-jinrong/", "/crimes/cybercrime/"])
@pytest.mark.parametrize("param", ["person", "crime", "kind", "place", "q", "from", "to", "order", "cursor"])
def test_hostile_values_never_cause_a_server_error(client, path, param):
    for value in HOSTILE:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(path, {param: value}, **headers)
            assert response.status_code in (200, 400), (param, value)
            if response["Content-Type"].startswith("application/json"):
                response.json()  # valid JSON; quoted values are data, never markup
            else:
                assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.usefixtures("seeded")
def test_public_pages_are_compressed(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"] and "HX-Request" in response["Vary"]


def axis_svg(html):
    return html.split('<svg id="axis-svg"', 1)[1].split("</svg>", 1)[0]


def marks(html):
    """The axis' marks as (classes, x, y, width, height): a rectangle per subpath of each style's path."""
    found = []
    for classes, d in re.findall(r'<path class="((?:point|period)[^"]*)" d="([^"]+)"', axis_svg(html)):
        for x, y, w, h in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+z", d):
            found.append((classes, float(x), float(y), float(w), float(h)))
    return found


def spans(html):
    """The axis' data: (first year, last year) → events."""
    data = re.search(r'data-spans="([^"]*)"', axis_svg(html))[1]
    return {(int(a), int(b)): int(n) for a, b, n in (item.split(",") for item in data.split(";") if item)}


@pytest.mark.usefixtures("seeded")
class TestAxis:
    def test_each_event_is_drawn_and_counted_once(self, client):
        html = client.get("/").content.decode()
        assert sum(spans(html).values()) == Event.objects.published().count() > 100
        drawn = {(classes, x, w) for classes, x, _, w, _ in marks(html)}
        heights = {(classes, x): h for classes, x, _, _, h in marks(html)}
        # Five exact events in September 2017 share one mark, taller than a month with one.
        assert heights[("point", 404)] > heights[("point", 473)]
        # SOGA, 2007–2010, is one bar four years long (a unit is a month from January 1984); the two pledges of
        # c. September 2017 – September 2022 share one soft bar five years long, stronger for being two.
        periods = [m for m in marks(html) if m[0].startswith("period")]
        assert ("period", 276, 1, 48, 4) in periods and ("period soft many", 404, 1, 61, 4) in periods
        assert ("period", 352, 1, 2, 4) in periods  # Operation Hurricane, May–June 2013: two months
        # A year-only date spans its year, softly: we do not know the day.
        assert ("point soft", 132, 12) in drawn  # 1995
        assert ("point soft", 4, 1) in drawn  # May 1984: a month, softly
        assert ("point", 8, 1) in drawn  # 5 September 1984: a day
        assert ("point soft", 368, 4) in drawn  # "late 2014": September to December
        assert ("point", 473, 1) in drawn  # 7–9 June 2023: exact days, a month wide at this scale
        assert ("point soft", 357, 1) in drawn  # by 11 October 2013
        # Years the reader would get by choosing them: a period counts in each year it overlaps.
        counts = year_counts(html)
        assert [counts[y] for y in (2007, 2008, 2010, 2011, 2013)] == [2, 5, 2, 1, 4]

    def test_the_chosen_range_shows_in_context(self, client):
        html = client.get("/?from=2013&to=2016").content.decode()
        assert '<rect class="band" x="348" y="0" width="48" height="40"/>' in axis_svg(html)
        assert 'data-from="2013" data-to="2016"' in html
        assert ("period out", 276, 1, 48, 4) in marks(html)  # 2007–2010 lies outside, drawn muted
        assert (
            sum(spans(html).values()) == Event.objects.published().count()
        )  # every filter but the dates: the context stays

    def test_other_filters_narrow_the_axis(self, client):
        html = client.get("/?crime=illegal-gambling").content.decode()
        assert spans(html) == {
            (2007, 2010): 1,
            (2012, 2012): 1,
            (2013, 2013): 1,
            (2014, 2014): 1,
            (2016, 2016): 1,
            (2018, 2018): 1,
        }

    def test_periods_that_share_a_row_or_nest_are_each_drawn(self, client):
        Event.objects.exclude(kind="operation").delete()
        Event.objects.filter(kind="operation").update(
            start="2000-01-01", end="2005-12-31", precision="year", qualifier=""
        )
        nested = [
            ("1990-01-01", "2005-12-31"),
            ("1991-01-01", "2004-12-31"),
            ("1992-01-01", "2003-12-31"),
            ("1993-01-01", "2002-12-31"),
            ("1994-01-01", "2001-12-31"),
        ]
        for i, (start, end) in enumerate(nested):
            Event.objects.create(
                slug=f"nested-{i}",
                title="n",
                kind="meeting",
                start=start,
                end=end,
                precision="year",
                status="published",
                summary="s",
            )
        periods = [m for m in marks(client.get("/").content.decode()) if m[0].startswith("period")]
        operations = Event.objects.published().filter(kind="operation").count()
        # The five nested periods, and the operations now all 2000–2005 as one stronger bar.
        assert [m[0] for m in periods].count("period") == 5
        assert [m[0] for m in periods].count("period many") == 1 and operations > 1
        assert len({m[2] for m in periods}) == 3  # in three rows; the rest share them, translucent
        assert spans(client.get("/").content.decode())[2000, 2005] == operations

    def test_events_outside_the_forty_years_are_left_off_the_axis(self, client):
        Event.objects.filter(slug="operation-first-light-2014").update(
            start="1850-01-01", end="1850-12-31", precision="year"
        )
        html = client.get("/").content.decode()
        assert sum(spans(html).values()) == Event.objects.published().count() - 1 and "1850" not in axis_svg(html)


def gaps(html):
    return re.findall(r'<p class="gap">([^<]+)</p>', html)


def only_events(*rows):
    """Replace every event with published ones of (slug, start, end, precision)."""
    Event.objects.all().delete()
    for slug, start, end, precision in rows:
        Event.objects.create(
            slug=slug,
            title=slug,
            kind="meeting",
            start=start,
            end=end,
            precision=precision,
            status="published",
            summary="s",
        )


@pytest.mark.usefixtures("seeded")
class TestGaps:
    def test_empty_years_are_said_out_loud(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 200  # the whole seed on one page
        html = client.get("/").content.decode()
        assert gaps(html) == ["No recorded event for 10 years, 1985–1994", "No recorded event for 11 years, 1996–2006"]
        # 2007–2010 covers its years: nothing is said about 2008; 2018–2022 are years of the Meng Hongwei case,
        # Fox Hunt and the Hu Binchen election, not an empty stretch behind two plans.
        assert "2008" not in " ".join(gaps(html)) and "2018" not in " ".join(gaps(html))

    def test_newest_first_says_the_same_gaps(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 200  # the whole seed on one page
        html = client.get("/?order=desc").content.decode()
        assert gaps(html) == ["No recorded event for 11 years, 1996–2006", "No recorded event for 10 years, 1985–1994"]

    def test_under_filters_a_gap_is_of_matching_events(self, client):
        html = client.get("/?crime=cybercrime").content.decode()
        assert gaps(html) == ["No matching event in 2016", "No matching event for 2 years, 2018–2019"]

    def test_a_gap_at_the_top_of_a_later_page(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 3  # 1984's three events, then 1995 at the top of the next page
        first = client.get("/").content.decode()
        assert gaps(first) == []
        cursor = re.search(r"cursor=([\w-]+)", first)[1]
        second = client.get(f"/?cursor={cursor}", HTTP_HX_REQUEST="true").content.decode()
        assert gaps(second) == [
            "No recorded event for 10 years, 1985–1994",
            "No recorded event for 11 years, 1996–2006",
        ]

    @pytest.mark.parametrize("order", ["asc", "desc"])
    def test_a_long_period_listed_later_fills_its_years(self, client, order):
        only_events(
            ("late", "2010-05-01", "2010-05-01", "day"),
            ("single", "2000-03-01", "2000-03-01", "day"),
            ("period", "1995-01-01", "2008-12-31", "year"),
        )
        # Newest first, 1995–2008 comes after 2000 but covers 2001–2008: only 2009 is empty.
        assert gaps(client.get(f"/?order={order}", follow=True).content.decode()) == ["No recorded event in 2009"]

    def test_newest_first_at_a_page_edge(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 2
        newest = list(Event.objects.published().order_by("-start", "-end", "-id"))
        # The first empty years newest first: no event listed from there on reaches them (c. September 2017 – September 2022, listed
        # after 2017's single days, fills 2018–2022).
        cut = next(
            i for i in range(1, len(newest)) if max(e.end.year for e in newest[i:]) < newest[i - 1].start.year - 1
        )
        last = newest[cut - 1]
        html = client.get(f"/?order=desc&cursor={last.start}_{last.end}_{last.id}").content.decode()
        first, final = max(e.end.year for e in newest[cut:]) + 1, last.start.year - 1
        assert gaps(html)[0] == (
            f"No recorded event in {first}"
            if first == final
            else f"No recorded event for {final - first + 1} years, {first}–{final}"
        )

    @pytest.mark.parametrize("url", ["/?cursor=1000-01-01_1000-01-01_0", "/?order=desc&cursor=2999-01-01_2999-01-01_1"])
    def test_no_gap_is_claimed_off_the_axis(self, client, url, settings):
        settings.TIMELINE_PAGE_SIZE = 200  # the whole seed on one page, in either order
        said = gaps(client.get(url).content.decode())
        assert said  # the seed's own gaps are still said
        years = [int(y) for gap in said for y in re.findall(r"\b(\d{4})\b", gap)]
        assert all(1984 <= year <= 2023 for year in years), said  # not "983 years, 1001–1983"

    def test_a_plan_does_not_hide_a_gap_in_what_happened(self, client):
        only_events(("before", "2010-05-01", "2010-05-01", "day"), ("after", "2016-05-01", "2016-05-01", "day"))
        Event.objects.create(
            slug="plan",
            title="A plan",
            kind="milestone",
            start="2011-01-01",
            end="2014-12-31",
            precision="year",
            stage="planned",
            status="published",
            summary="s",
        )
        # Listed under 2011, the plan runs over 2012–2014, where nothing is reported as having happened.
        assert gaps(client.get("/").content.decode()) == [
            "Nothing reported as having happened for 4 years, 2012–2015; only plans"
        ]
        assert gaps(client.get("/zh-hans/").content.decode()) == ["2012–2015年，共 4 年无已发生事件的记录，仅有计划"]
        plan = Event.objects.get(slug="plan")
        plan.stage = "happened"
        plan.save()
        assert gaps(client.get("/").content.decode()) == ["No recorded event in 2015"]

    def test_a_long_period_on_an_earlier_page_fills_its_years(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 2
        only_events(
            ("long", "2000-01-01", "2010-12-31", "year"),
            ("short", "2005-03-01", "2005-03-01", "day"),
            ("later", "2013-01-01", "2013-12-31", "year"),
        )
        first = client.get("/").content.decode()
        cursor = re.search(r"cursor=([\w-]+)", first)[1]
        second = client.get(f"/?cursor={cursor}").content.decode()
        # The cursor (the 2005 event) alone would say 2006–2012; the 2000–2010 period reaches 2010.
        assert gaps(second) == ["No recorded event for 2 years, 2011–2012"]


@pytest.mark.usefixtures("seeded")
class TestPagePosition:
    def test_a_later_page_says_which_events_it_shows(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 5
        first = client.get("/").content.decode()
        cursor = re.search(r"cursor=([\w-]+)", first)[1]
        html = client.get(f"/?cursor={cursor}").content.decode()
        assert f'tabindex="-1">Events 6–10 of {Event.objects.published().count()}</p>' in html
        assert re.search(r"<h2>\d{4}, continued</h2>", html)  # visible on a page of its own
        fragment = client.get(f"/?cursor={cursor}", HTTP_HX_REQUEST="true").content.decode()
        assert re.search(r'<h2 class="vh">\d{4}, continued</h2>', fragment)  # appended: the list reads on
        operations = list(Event.objects.published().filter(kind="operation").order_by("start", "end", "id"))
        last = operations[1]
        filtered = client.get(f"/?kind=operation&cursor={last.start}_{last.end}_{last.id}").content.decode()
        shown = min(len(operations), 2 + 5)  # the five of a page after the first two
        assert f'tabindex="-1">Events 3–{shown} of {len(operations)} matching these filters</p>' in filtered

    def test_a_cursor_past_the_end_does_not_contradict_the_count(self, client):
        html = client.get("/?kind=visit&cursor=2030-01-01_2030-01-01_1").content.decode()
        assert "2 events match these filters" in html
        assert "No event matches" not in html
        assert "This page link goes past the last of them." in html
        assert 'href="/?kind=visit" hx-get="/?kind=visit">Back to the first page' in html

    def test_json_twin_of_the_view(self, client):
        assert (
            'href="/events.json?person=guo-shengkun&amp;crime=terrorism"'
            in client.get("/?person=guo-shengkun&crime=terrorism").content.decode()
        )
        person_page = client.get("/people/meng-hongwei/?kind=election").content.decode()
        assert 'href="/events.json?person=meng-hongwei&amp;kind=election"' in person_page


@pytest.mark.usefixtures("seeded")
class TestTooLarge:
    def test_an_update_too_large_to_run_shows_why(self, client):
        words = " ".join(["word"] * 11)
        assert client.get("/", {"q": words}).status_code == 400
        update = client.get("/", {"q": words}, HTTP_HX_REQUEST="true")
        assert update.status_code == 200  # htmx swaps only 2xx: the message must arrive as an update
        assert "Search for at most 10 words." in update.content.decode()


@pytest.mark.usefixtures("seeded")
class TestWithoutJavaScript:
    def test_empty_fields_are_dropped_from_the_url(self, client):
        response = client.get("/?q=&person=guo-shengkun&from=&to=&order=asc")
        assert response.status_code == 302 and response["Location"] == "/?person=guo-shengkun"  # asc: the default
        assert client.get("/?q=&from=&to=")["Location"] == "/"
        assert client.get("/people/meng-hongwei/?q=&kind=election")["Location"] == "/people/meng-hongwei/?kind=election"
        # What cannot be read stays, so its message can be shown.
        assert client.get("/?from=soon&to=")["Location"] == "/?from=soon"
        assert client.get("/?q=", HTTP_HX_REQUEST="true").status_code == 200  # htmx pushes the clean URL itself
        assert client.get("/?order=desc&q=")["Location"] == "/?order=desc"

    def test_head_answers_like_get(self, client):
        for url in [
            "/",
            "/?person=guo-shengkun",
            "/events.json",
            "/events/operation-hurricane/",
            "/people/meng-hongwei/",
            "/crimes/cybercrime/",
        ]:
            get, head = client.get(url), client.head(url)
            assert head.status_code == get.status_code == 200, url  # was 405
            assert head["Content-Type"] == get["Content-Type"] and head["ETag"] == get["ETag"]

    def test_the_redirect_keeps_the_meaning(self, client):
        # One value counts for q, from, to and order: the last, as without the redirect.
        assert client.get("/?q=cyber&q=")["Location"] == "/"
        assert client.get("/?order=desc&order=asc")["Location"] == "/"
        assert client.get("/?q=&q=cyber")["Location"] == "/?q=cyber"
        assert client.get("/?person=&person=guo-shengkun")["Location"] == "/?person=guo-shengkun"

    def test_empty_years_are_not_links(self, client):
        nav = client.get("/").content.decode().split('<nav class="years"', 1)[1].split("</nav>")[0]
        published = Event.objects.published()
        years = {y for e in published for y in range(e.start.year, e.end.year + 1)}
        assert len(re.findall(r"<a href=", nav)) == len(years) == 19  # the years with events
        assert '<span class="none">1985<span class="vh"> (no events)</span></span>' in nav


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "url, title",
    [
        ("/", "China–INTERPOL cooperation, 1984–2023"),
        ("/?person=guo-shengkun&crime=terrorism", "Guo Shengkun, Terrorism: 4 events — China–INTERPOL cooperation"),
        ("/?from=2013&to=June+2016", "2013 to June 2016: 25 events — China–INTERPOL cooperation"),
        ("/?q=xiamen", "“xiamen”: 1 event — China–INTERPOL cooperation"),
        ("/people/meng-hongwei/", "Meng Hongwei: 21 events — China–INTERPOL cooperation"),
        ("/crimes/cybercrime/?from=2016", "Cybercrime, from 2016: {} events — China–INTERPOL cooperation"),
        # One year chosen on the axis is that year, not "2015 to 2015" (issue 28).
        ("/?from=2015&to=2015", "2015: {} events — China–INTERPOL cooperation"),
        ("/zh-hans/?from=2015&to=2015", "2015年：{} 个事件 — 中国与国际刑警组织合作"),
    ],
)
def test_the_page_title_names_the_filters(client, url, title):
    if "2015" in url:
        count = Event.objects.published().filter(start__lte="2015-12-31", end__gte="2015-01-01").count()
    else:
        count = Event.objects.published().filter(crime_types__slug="cybercrime", end__gte="2016-01-01").count()
    assert f"<title>{title.format(count)}</title>" in client.get(url).content.decode()

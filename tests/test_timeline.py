"""The interactive timeline: filters, facets, htmx fragments, pages, JSON and bad input."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.models import Event


def slugs(response):
    return re.findall(r'<h3 id="event-([\w-]+)"', response.content.decode())


def json_slugs(response):
    return [e["slug"] for e in response.json()["events"]]


@pytest.mark.usefixtures("seeded")
class TestFilters:
    @pytest.mark.parametrize("query, expected", [
        ("person=liao-jinrong", {"liao-jinrong-visits-interpol-2013", "jurgen-stock-visits-china-2015"}),
        # Several values of one parameter: any of them.
        ("person=ronald-k-noble&person=duan-daqi",
         {"liao-jinrong-visits-interpol-2013", "jurgen-stock-visits-china-2015"}),
        ("crime=illegal-gambling", {"soga-operations-2007-2010", "liao-jinrong-visits-interpol-2013"}),
        # Different parameters: all of them.
        ("person=guo-shengkun&crime=terrorism",
         {"jurgen-stock-visits-china-2015", "86th-general-assembly-2017", "guo-shengkun-terrorist-suspects-2017"}),
        ("person=guo-shengkun&crime=terrorism&kind=speech", {"guo-shengkun-terrorist-suspects-2017"}),
        ("kind=election", {"meng-hongwei-elected-president-2016"}),
        ("kind=training&kind=meeting", {"illicit-trade-training-2013", "xiamen-cybercrime-meeting-2015"}),
        ("place=xiamen-china", {"xiamen-cybercrime-meeting-2015"}),
        # Words: title, summary, names, aliases, Chinese names, place.
        ("q=Jingrong", {"liao-jinrong-visits-interpol-2013", "jurgen-stock-visits-china-2015"}),
        ("q=孟宏伟", {"meng-hongwei-elected-president-2016", "86th-general-assembly-2017",
                   "xi-jinping-opens-86th-general-assembly"}),
        ("q=xiamen", {"xiamen-cybercrime-meeting-2015"}),
        ("q=Lyon+Noble", {"liao-jinrong-visits-interpol-2013"}),
        ("q=France", {"liao-jinrong-visits-interpol-2013"}),
        # Periods overlap the range, inclusive at the precision typed.
        ("from=2008&to=2009", {"soga-operations-2007-2010"}),
        ("to=1984", {"china-legal-status-restored-1984"}),
        ("from=December 2014&to=2014", {"operation-first-light-2014", "igci-due-to-open-2014"}),
        ("from=27 September 2017&to=2017", {"86th-general-assembly-2017"}),
        ("from=2023", {"operation-trigger-ix", "heads-of-ncb-conference-2023", "interpol-centenary-2023"}),
        # "before September 2013" is left out of a range that starts in September 2013.
        ("from=September 2013&to=September 2013", {"illicit-trade-training-2013"}),
    ])
    def test_filters_page_and_json_agree(self, client, query, expected):
        page = client.get("/?" + query)
        data = client.get("/events.json?" + query)
        assert page.status_code == data.status_code == 200
        assert set(slugs(page)) == expected
        assert json_slugs(data) == slugs(page)
        assert data.json()["count"] == len(expected)

    def test_order(self, client):
        ascending = slugs(client.get("/"))
        assert slugs(client.get("/?order=desc")) == ascending[::-1]
        assert ascending == list(Event.objects.order_by("start", "end", "id").values_list("slug", flat=True))

    def test_unknown_values_show_a_message_and_the_rest_applies(self, client):
        response = client.get("/?person=nobody&crime=illegal-gambling&from=soon")
        html = response.content.decode()
        assert response.status_code == 200
        assert "No person called “nobody”; left out." in html
        assert "could not read “soon” as a date" in html
        assert set(slugs(response)) == {"soga-operations-2007-2010", "liao-jinrong-visits-interpol-2013"}

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
        assert 'title="2015: 1 event"' in html  # nor counted in the year navigator


@pytest.mark.usefixtures("seeded")
class TestFacets:
    def option(self, html, name, value):
        match = re.search(rf'<label class="option( muted)?"><input type="checkbox" name="{name}" value="{value}"'
                          rf'[^>]*?( checked)?> <span class="label">[^<]+</span> <span class="count">(\d+)', html)
        return {"muted": bool(match[1]), "checked": bool(match[2]), "count": int(match[3])}

    def test_counts_are_under_the_other_filters(self, client):
        html = client.get("/?person=guo-shengkun&crime=terrorism").content.decode()
        # Person counts ignore the person filter but keep the crime filter.
        assert self.option(html, "person", "guo-shengkun") == {"muted": False, "checked": True, "count": 3}
        assert self.option(html, "person", "meng-hongwei")["count"] == 2
        assert self.option(html, "person", "liao-jinrong")["count"] == 1
        assert self.option(html, "person", "ronald-k-noble") == {"muted": True, "checked": False, "count": 0}
        # Crime counts keep the person filter.
        assert self.option(html, "crime", "terrorism") == {"muted": False, "checked": True, "count": 3}
        assert self.option(html, "crime", "corruption")["count"] == 1
        assert self.option(html, "crime", "fraud") == {"muted": True, "checked": False, "count": 0}
        # Kind counts keep both.
        assert self.option(html, "kind", "speech")["count"] == 1
        assert self.option(html, "kind", "visit")["count"] == 1
        assert self.option(html, "kind", "assembly")["count"] == 1
        assert "Beijing, China (3)" in html and "Lyon, France (0)" in html

    def test_year_navigator_counts_overlaps_and_ignores_the_date_range(self, client):
        html = client.get("/?crime=illegal-gambling&from=2013").content.decode()
        for year, count in [(2007, 1), (2008, 1), (2010, 1), (2011, 0), (2013, 1)]:
            assert f'title="{year}: {count} event{"" if count == 1 else "s"}"' in html
        assert html.count('aria-current="true"') == 2024 - 2013

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
        assert "<html" not in html and "<form" not in html
        assert 'id="facet-box" hx-swap-oob="innerHTML"' in html
        assert 'id="result-count" hx-swap-oob="innerHTML">2 events match these filters' in html
        assert 'id="search-box" hx-swap-oob="innerHTML"' in html
        assert response["HX-Push-Url"] == "/?person=liao-jinrong"
        assert "HX-Request" in response["Vary"]
        assert set(slugs(response)) == {"liao-jinrong-visits-interpol-2013", "jurgen-stock-visits-china-2015"}

    def test_typing_does_not_replace_the_search_box(self, client):
        response = client.get("/?q=xiamen", HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="q")
        html = response.content.decode()
        assert 'id="search-box"' not in html and 'id="q-error"' in html
        assert slugs(response) == ["xiamen-cybercrime-meeting-2015"]

    def test_history_restore_gets_the_full_page(self, client):
        response = client.get("/?person=liao-jinrong", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
        assert "<html" in response.content.decode()

    def test_person_and_crime_pages(self, client):
        response = client.get("/people/liao-jinrong/")
        html = response.content.decode()
        assert response.status_code == 200 and "Also written “Jingrong Liao”." in html
        assert set(slugs(response)) == {"liao-jinrong-visits-interpol-2013", "jurgen-stock-visits-china-2015"}
        assert slugs(client.get("/people/liao-jinrong/?kind=visit&from=2015")) == ["jurgen-stock-visits-china-2015"]
        assert '<span lang="zh">孟宏伟</span>' in client.get("/people/meng-hongwei/").content.decode()
        crime = client.get("/crimes/illegal-gambling/")
        assert set(slugs(crime)) == {"soga-operations-2007-2010", "liao-jinrong-visits-interpol-2013"}
        fragment = client.get("/crimes/illegal-gambling/?q=Lyon", HTTP_HX_REQUEST="true")
        assert "<html" not in fragment.content.decode() and fragment["HX-Push-Url"] == "/crimes/illegal-gambling/?q=Lyon"
        assert client.get("/people/nobody/").status_code == 404
        assert client.get("/crimes/nothing/").status_code == 404

    def test_event_page_lists_related_events(self, client):
        html = client.get("/events/xi-jinping-opens-86th-general-assembly/").content.decode()
        related = html.split("Related events")[1]
        assert "86th-general-assembly-2017" in related and "meng-hongwei-elected-president-2016" in related
        assert 'href="/people/xi-jinping/"' in html and 'href="/crimes/terrorism/"' in html


class TestPages:
    def test_pages_follow_one_another_by_keyset(self, client, make_events, settings):
        settings.TIMELINE_PAGE_SIZE = 7
        make_events(30)
        seen, url = [], "/events.json?order=desc"
        while url:
            response = client.get(url)
            assert response.json()["count"] == 30
            seen += json_slugs(response)
            url = response.json()["next"]
        assert seen == list(Event.objects.order_by("-start", "-end", "-id").values_list("slug", flat=True))

    def test_more_link_and_next_page_fragment(self, client, make_events, settings):
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
    "/": 14,  # data version, 3 facet option lists, count, page, 3 prefetches, 5 facet counts
    "/?person=person-1&person=person-3&crime=crime-1&kind=conference&place=city-1&q=event&from=1984&order=desc": 17,
    "/?cursor=1984-01-01_1984-01-01_0": 14,
    "/events.json": 6,
    "/events.json?person=person-1&crime=crime-1&from=1984&q=summary": 8,
    "/people/person-1/": 17,  # + the person, their aliases, whether they have a published event
    "/crimes/crime-1/?kind=conference": 15,
    "/events/event-3/": 6,
}


@pytest.mark.parametrize("url, expected", QUERIES.items())
def test_queries_do_not_grow_with_the_data(client, make_events, url, expected):
    make_events(1000)
    with CaptureQueriesContext(connection) as at_1000:
        assert client.get(url).status_code == 200
    Event.objects.exclude(pk__in=list(Event.objects.order_by("id").values_list("pk", flat=True)[:10])).delete()
    with CaptureQueriesContext(connection) as at_10:
        assert client.get(url).status_code == 200
    assert (len(at_1000), len(at_10)) == (expected, expected)


HOSTILE = ["\x00", "'; DROP TABLE timeline_event; --", "<script>alert(1)</script>", "x" * 10000, "１９８４", "𝕏",
           "%", "_", "-1", "9" * 40, "before", "between and", "2007–", "Tuesday", "last month", "2013-02-30",
           "9999-12-31_9999-12-31_1", "2013-01-01_2013-01-01_99999999999999999999"]


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

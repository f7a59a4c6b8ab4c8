"""The exports, each read back by the programs people read them with: CSV by Python's csv and pandas,
iCalendar by icalendar and vobject, the Atom feed by feedparser; and each the same view as /events.json."""

import csv
import datetime as dt
import io
import json
from html import unescape

import feedparser
import icalendar
import pandas
import pytest
import vobject
from django.http import QueryDict

from timeline.browse import queries
from timeline.browse.filters import Filters
from timeline.models import Event

pytestmark = pytest.mark.usefixtures("seeded")

VIEWS = [
    "",
    "?person=meng-hongwei",
    "?order=desc&kind=assembly&kind=meeting",
    "?q=cyber",
    "?from=2013&to=2016",
    "?stage=planned",
    "?crime=terrorism&order=desc",
]
EXPORTS = ["/events.csv", "/events.ics", "/timelinejs.json", "/feed/"]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def as_json(client, query):
    """Every event of the view, following /events.json's pages."""
    url, events = "/events.json" + query, []
    while url:
        page = client.get(url).json()
        events += page["events"]
        url = page["next"]
    return events


def read_csv(client, query):
    response = client.get("/events.csv" + query)
    assert response.status_code == 200
    assert response.streaming  # never built whole in memory
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = body(response)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    frame = pandas.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return rows, frame


@pytest.mark.parametrize("query", VIEWS)
def test_csv_is_the_view_as_json_says_it_read_by_csv_and_by_pandas(client, query):
    rows, frame = read_csv(client, query)
    expected = as_json(client, query)
    assert expected, "each view matches some events"
    assert [r["slug"] for r in rows] == [e["slug"] for e in expected]  # same events, same order
    assert frame.to_dict("records") == rows  # a second reader sees the same table
    for row, event in zip(rows, expected):
        for field in ("title", "kind", "stage", "start", "end", "precision", "display_date", "edtf", "summary"):
            assert row[field] == event[field], (event["slug"], field)
        assert row["place"] == (event["place"]["name"] if event["place"] else "")
        assert row["country"] == (event["place"]["country"] if event["place"] else "")
        assert row["people"] == "; ".join(f"{p['name']} ({p['role']})" for p in event["people"])
        assert row["crime_types"] == "; ".join(c["name"] for c in event["crime_types"])
        assert row["url"] == "http://testserver" + event["url"]
        assert row["sources"] == "; ".join(dict.fromkeys(c["source"] for c in event["citations"]))
        assert row["source_urls"].split() == list(dict.fromkeys(c["url"] for c in event["citations"] if c["url"]))


def test_csv_keeps_chinese_and_quotes_and_newlines(client):
    Event.objects.filter(slug="86th-general-assembly-2017").update(
        title='王小洪 says “yes”, then "no"', summary="Line one,\nline two; and a tab\there."
    )
    rows, frame = read_csv(client, "?kind=assembly")
    row = next(r for r in rows if r["slug"] == "86th-general-assembly-2017")
    assert row["title"] == '王小洪 says “yes”, then "no"'
    assert row["summary"] == "Line one,\nline two; and a tab\there."
    assert frame.to_dict("records") == rows


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client):
    Event.objects.filter(slug="86th-general-assembly-2017").update(
        title='=HYPERLINK("http://example.com","click")', summary="+1+1 and more"
    )
    Event.objects.filter(slug="64th-general-assembly-1995").update(title="@SUM(A1:A9)", summary="-2+3")
    rows, frame = read_csv(client, "?kind=assembly")
    by_slug = {r["slug"]: r for r in rows}
    assert by_slug["86th-general-assembly-2017"]["title"] == '\'=HYPERLINK("http://example.com","click")'
    assert by_slug["86th-general-assembly-2017"]["summary"] == "'+1+1 and more"
    assert by_slug["64th-general-assembly-1995"]["title"] == "'@SUM(A1:A9)"
    assert by_slug["64th-general-assembly-1995"]["summary"] == "'-2+3"
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_event_comes_in_keyset_batches_in_the_view_order(order):
    filters = Filters.parse(QueryDict(f"order={order}"))
    whole = [e.slug for e in queries.every(filters)]
    assert [e.slug for e in queries.every(filters, batch=3)] == whole  # batches join up without loss or repeat
    ordering = queries.ASC if order == "asc" else queries.DESC
    assert whole == list(Event.objects.published().order_by(*ordering).values_list("slug", flat=True))


def calendar_of(client, query):
    response = client.get("/events.ics" + query)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = body(response).decode()
    return text, icalendar.Calendar.from_ical(text), vobject.readOne(text)


@pytest.mark.parametrize("query", VIEWS)
def test_icalendar_read_by_icalendar_and_vobject_is_the_view(client, query):
    text, calendar, other = calendar_of(client, query)
    expected = as_json(client, query)
    events = calendar.walk("VEVENT")
    assert [e["UID"] for e in events] == [e.uid.value for e in other.vevent_list]
    by_url = {str(e["URL"]): e for e in events}
    assert [str(e["URL"]) for e in events] == ["http://testserver" + e["url"] for e in expected]
    for item, event in zip(other.vevent_list, expected):
        # All-day dates, the end exclusive: the day after the last day.
        assert item.dtstart.value == dt.date.fromisoformat(event["start"])
        assert item.dtend.value == dt.date.fromisoformat(event["end"]) + dt.timedelta(days=1)
        assert item.summary.value == event["title"]
        assert event["display_date"] in item.description.value
        mine = by_url[item.url.value]
        assert mine["DTSTART"].dt == item.dtstart.value and mine["DTEND"].dt == item.dtend.value
        assert mine.decoded("DTSTART").__class__ is dt.date  # a date, not a date-time
        assert str(mine["STATUS"]) == ("TENTATIVE" if event["stage"] == "planned" else "CONFIRMED")
    assert len({e["UID"] for e in events}) == len(events)


def test_the_86th_general_assembly_spans_26_to_29_september_2017(client):
    _, calendar, other = calendar_of(client, "?kind=assembly")
    assembly = next(e for e in other.vevent_list if e.summary.value == "INTERPOL's 86th General Assembly in Beijing")
    assert (assembly.dtstart.value, assembly.dtend.value) == (dt.date(2017, 9, 26), dt.date(2017, 9, 30))
    days = (assembly.dtend.value - assembly.dtstart.value).days
    assert days == 4  # 26, 27, 28 and 29 September
    assert assembly.location.value == "Beijing, China"
    ours = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == assembly.summary.value)
    assert (ours.decoded("DTSTART"), ours.decoded("DTEND")) == (dt.date(2017, 9, 26), dt.date(2017, 9, 30))


def test_a_date_known_to_the_month_spans_the_month_and_says_so(client):
    _, calendar, _ = calendar_of(client, "")
    by_url = {str(e["URL"]).rsplit("/", 2)[-2]: e for e in calendar.walk("VEVENT")}
    month = by_url["prc-applies-for-interpol-membership-1984"]
    assert (month.decoded("DTSTART"), month.decoded("DTEND")) == (dt.date(1984, 5, 1), dt.date(1984, 6, 1))
    assert "Date: May 1984. Known only to the month: the calendar spans the whole month" in str(month["DESCRIPTION"])
    year = by_url["64th-general-assembly-1995"]
    assert (year.decoded("DTSTART"), year.decoded("DTEND")) == (dt.date(1995, 1, 1), dt.date(1996, 1, 1))
    assert "Known only to the year" in str(year["DESCRIPTION"])
    day = by_url["86th-general-assembly-2017"]
    assert "Known only" not in str(day["DESCRIPTION"])


def test_a_part_of_a_year_spans_its_months_and_says_so(client):
    _, calendar, _ = calendar_of(client, "?stage=planned")
    late = next(e for e in calendar.walk("VEVENT") if "Date: late 2014." in str(e["DESCRIPTION"]))
    assert (late.decoded("DTSTART"), late.decoded("DTEND")) == (dt.date(2014, 9, 1), dt.date(2015, 1, 1))
    assert "the calendar spans September–December 2014." in str(late["DESCRIPTION"])
    assert str(late["STATUS"]) == "TENTATIVE"


def test_the_calendar_is_named_after_the_view(client):
    text, calendar, other = calendar_of(client, "?person=meng-hongwei&kind=election")
    assert other.x_wr_calname.value == "China–INTERPOL cooperation: Meng Hongwei, Election"
    assert "X-WR-CALNAME:China–INTERPOL cooperation: Meng Hongwei\\, Election" in text  # a text value, escaped


def test_icalendar_uids_stay_when_an_event_is_corrected(client):
    _, before, _ = calendar_of(client, "")
    event = Event.objects.get(slug="86th-general-assembly-2017")
    event.title = "The 86th General Assembly"
    event.save()
    _, after, _ = calendar_of(client, "")
    uids = lambda calendar: {str(e["URL"]): str(e["UID"]) for e in calendar.walk("VEVENT")}  # noqa: E731
    assert uids(before) == uids(after)
    # Nor with the host the site is reached by.
    other_host = icalendar.Calendar.from_ical(body(client.get("/events.ics", HTTP_HOST="127.0.0.1")))
    assert sorted(uids(other_host).values()) == sorted(uids(after).values())


def test_timelinejs_json_has_a_title_slide_and_each_event_at_its_precision(client):
    for query in VIEWS:
        response = client.get("/timelinejs.json" + query)
        assert response.status_code == 200 and response.streaming
        data = json.loads(body(response))
        expected = as_json(client, query)
        assert data["title"]["text"]["headline"].startswith("China–INTERPOL cooperation")
        assert [s["unique_id"] for s in data["events"]] == [e["slug"] for e in expected]
        for slide, event in zip(data["events"], expected):
            assert slide["display_date"] == event["display_date"]
            assert slide["group"] == dict(Event.Kind.choices)[event["kind"]]
    data = json.loads(body(client.get("/timelinejs.json")))
    slides = {s["unique_id"]: s for s in data["events"]}
    assert slides["86th-general-assembly-2017"]["start_date"] == {"year": 2017, "month": 9, "day": 26}
    assert slides["86th-general-assembly-2017"]["end_date"] == {"year": 2017, "month": 9, "day": 29}
    assert slides["prc-applies-for-interpol-membership-1984"]["start_date"] == {"year": 1984, "month": 5}
    assert "end_date" not in slides["prc-applies-for-interpol-membership-1984"]  # one month, not a range
    assert slides["china-legal-status-restored-1984"]["start_date"] == {"year": 1984, "month": 9, "day": 5}
    assert slides["64th-general-assembly-1995"]["start_date"] == {"year": 1995}
    late = next(s for s in data["events"] if s["display_date"] == "late 2014")
    assert late["start_date"] == {"year": 2014, "month": 9}  # where "late 2014" begins, not 1 January
    years = next(s for s in data["events"] if s["display_date"] == "2007–2010")
    assert (years["start_date"], years["end_date"]) == ({"year": 2007}, {"year": 2010, "month": 12, "day": 31})
    assert slides["86th-general-assembly-2017"]["text"]["headline"] == "INTERPOL's 86th General Assembly in Beijing"


def test_timelinejs_headlines_are_escaped_html(client):
    Event.objects.filter(slug="64th-general-assembly-1995").update(title="<b>Bold</b> & <script>x</script>")
    data = json.loads(body(client.get("/timelinejs.json")))
    slide = next(s for s in data["events"] if s["unique_id"] == "64th-general-assembly-1995")
    assert slide["text"]["headline"] == "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;"


def test_the_feed_read_by_feedparser_newest_change_first(client):
    event = Event.objects.get(slug="64th-general-assembly-1995")
    event.summary += " Corrected."
    event.save()
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.entries[0].link == "http://testserver/events/64th-general-assembly-1995/"
    assert "Corrected. Sources: Fighting Global Crime: Interpol facilitates international police cooperation; " in (
        feed.entries[0].summary
    )
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert len(feed.entries) == 50 < Event.objects.published().count()  # the latest 50 changes


@pytest.mark.parametrize("query", ["?person=meng-hongwei", "?crime=terrorism", "?kind=assembly&from=2000"])
def test_a_filtered_feed_follows_that_view(client, query):
    feed = feedparser.parse(client.get("/feed/" + query).content)
    assert not feed.bozo
    assert {e.link for e in feed.entries} == {"http://testserver" + e["url"] for e in as_json(client, query)}
    assert any(link.rel == "self" and link.href == "http://testserver/feed/" + query for link in feed.feed.links)
    assert any(link.rel == "alternate" and link.href == "http://testserver/" + query for link in feed.feed.links)


@pytest.mark.parametrize(
    "query",
    [
        "?from=xx",
        "?kind=nope",
        "?order=sideways",
        "?q=" + "word " * 60,
        "?" + "&".join(f"person=p{i}" for i in range(30)),
    ],
)
def test_every_format_refuses_what_the_json_refuses(client, query):
    assert client.get("/events.json" + query).status_code == 400
    for path in EXPORTS:
        response = client.get(path + query)
        assert response.status_code == 400, path
        assert not response.streaming
    assert "errors" in json.loads(client.get("/timelinejs.json" + query).content)
    assert b"cannot be exported" in client.get("/events.csv" + query).content


def test_exports_answer_not_modified_until_the_data_changes(client):
    etags = {path: client.get(path)["ETag"] for path in EXPORTS}
    for path, etag in etags.items():
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304, path
    Event.objects.get(slug="64th-general-assembly-1995").save()
    for path, etag in etags.items():
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 200, path


def test_drafts_never_leave_the_site(client):
    Event.objects.filter(slug="operation-hurricane").update(status=Event.Status.DRAFT)
    for path in [*EXPORTS, "/embed/?q=hurricane", "/events.json?q=hurricane"]:
        assert b"operation-hurricane" not in body(client.get(path)), path


def test_the_download_line_offers_every_format_of_the_view(client):
    html = client.get("/?person=meng-hongwei&kind=election").content.decode()
    line = html.split('id="downloads"', 1)[1].split("</p>", 1)[0]
    assert "Download this view:" in line
    for path, name in (
        ("/events.csv", "CSV"),
        ("/events.ics", "iCalendar"),
        ("/events.json", "JSON"),
        ("/timelinejs.json", "TimelineJS"),
        ("/feed/", "Feed"),
    ):
        rel = ' rel="nofollow"' if name in ("CSV", "iCalendar", "TimelineJS") else ""  # long; not for crawlers
        assert f'href="{path}?person=meng-hongwei&amp;kind=election"{rel}>{name}</a>' in line
    fragment = client.get("/?crime=terrorism", HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="downloads" class="downloads" hx-swap-oob="true">' in fragment
    assert '<a href="/events.csv?crime=terrorism" rel="nofollow">CSV</a>' in fragment
    on_person_page = client.get("/people/meng-hongwei/?kind=election").content.decode()
    assert 'href="/events.csv?person=meng-hongwei&amp;kind=election" rel="nofollow">CSV</a>' in on_person_page


def test_the_embed_box_gives_an_iframe_of_the_same_view(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "chronology.example"]
    html = client.get("/?kind=assembly", HTTP_HOST="chronology.example").content.decode()
    code = html.split('<textarea id="embed-code"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    snippet = unescape(code)
    assert snippet.startswith('<iframe src="http://chronology.example/embed/?kind=assembly" title="General assembly: ')
    assert snippet.endswith('width="100%" height="600" loading="lazy"></iframe>')
    # The address is the host's own, also when the page comes from the cache.
    other = client.get("/?kind=assembly", HTTP_HOST="127.0.0.1").content.decode()
    assert 'src="http://127.0.0.1/embed/?kind=assembly"' in unescape(other)


@pytest.mark.parametrize("query", ["?q=a%01b%1fc", "?q=%7f", "?q=%22%3E%3Cscript%3E", "?person=%3Cb%3E", "?from=%00"])
def test_hostile_queries_get_an_answer_never_a_server_error(client, query):
    for path in [*EXPORTS, "/events.json", "/embed/"]:
        response = client.get(path + query)
        assert response.status_code in (200, 400), (path, response.status_code)
        body(response)
    feed = feedparser.parse(client.get("/feed/?q=a%01b").content)
    assert not feed.bozo and feed.feed.title == "China–INTERPOL cooperation: “a b”"


def test_head_gets_the_headers_without_making_the_rows(rf, django_assert_max_num_queries):
    from timeline.exports import formats

    for view in (formats.events_csv, formats.events_ics, formats.timelinejs):
        with django_assert_max_num_queries(2):  # the data version; no event is read
            head = view(rf.head("/x"))
            assert b"".join(head.streaming_content) == b""
        get = view(rf.get("/x"))
        assert head["Content-Type"] == get["Content-Type"] and head["ETag"] == get["ETag"]
        assert len(b"".join(get.streaming_content)) > 1000


def test_exports_are_kept_out_of_search_engines(client):
    for path in ["/events.csv", "/events.ics", "/timelinejs.json", "/events.csv?from=xx"]:
        assert client.get(path)["X-Robots-Tag"] == "noindex"
    robots = client.get("/robots.txt").content.decode()
    for path in ["/events.csv", "/events.ics", "/timelinejs.json", "/embed/"]:
        assert f"Disallow: {path}\n" in robots


def test_timelinejs_refusals_reach_other_sites(client):
    response = client.get("/timelinejs.json?from=xx")
    assert response.status_code == 400 and response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/timelinejs.json")["Access-Control-Allow-Origin"] == "*"


def test_the_feed_summary_is_escaped_html(client):
    event = Event.objects.get(slug="64th-general-assembly-1995")
    event.summary = "Tom & Jerry <b>met</b>."
    event.save()  # the newest change: in the feed's 50
    feed = feedparser.parse(client.get("/feed/").content)
    entry = next(e for e in feed.entries if e.link.endswith("/64th-general-assembly-1995/"))
    assert entry.summary.startswith("Tom &amp; Jerry &lt;b&gt;met&lt;/b&gt;.")  # shown as typed, not as markup


def test_the_embed_snippet_stays_one_iframe_whatever_the_search(client):
    import lxml.html

    html = client.get("/?q=x%22+onload%3D%22alert(1)+%3E%3Cscript%3E").content.decode()
    code = html.split('<textarea id="embed-code"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    snippet = lxml.html.fragment_fromstring(unescape(code))
    assert snippet.tag == "iframe" and len(snippet) == 0
    assert set(snippet.attrib) == {"src", "title", "width", "height", "loading"}
    assert 'x" onload="alert(1) >' in snippet.attrib["title"]

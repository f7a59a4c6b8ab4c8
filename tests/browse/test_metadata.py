"""What pages say about themselves, read back as machines read it: JSON-LD and Open Graph by extruct,
Twitter cards and <link>s from <head>; and in Chromium, that the JSON-LD block trips no Content-Security-Policy."""

import json

import extruct
import lxml.html
import pytest

from timeline.browse import metadata
from timeline.domain import dates
from timeline.models import CrimeType, Event, Person, Place, Source

BASE = "http://testserver"
PUBLIC = [
    "/",
    "/?person=meng-hongwei",
    "/people/meng-hongwei/",
    "/crimes/cybercrime/",
    "/events/86th-general-assembly-2017/",
    "/sources/",
    "/sources/cgtn-2017-fighting-global-crime/",
]
TWINS = {
    "application/atom+xml": "/feed/",
    "application/json": "/events.json",
    "text/csv": "/events.csv",
    "text/calendar": "/events.ics",
}
HOSTILE = "Talks</script><script>alert(1)</script><!-- & more"


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def extract(html, path):
    return extruct.extract(html, base_url=BASE + path, syntaxes=["json-ld", "opengraph"])


def card(html, path):
    """Open Graph (read by extruct) and Twitter properties (name=, as Twitter documents them)."""
    found = {}
    for item in extract(html, path)["opengraph"]:
        found.update(item["properties"])
    head = lxml.html.fromstring(html).find("head")
    found.update({m.get("name"): m.get("content") for m in head.iterfind("meta[@name]")})
    return found


def head_links(html, rel):
    """The head's links of one kind; the same page in each language (hreflang) is tests/test_languages.py's."""
    head = lxml.html.fromstring(html).find("head")
    return [link.attrib for link in head.iterfind("link") if link.get("rel") == rel and "hreflang" not in link.attrib]


def event_ld(client, slug):
    """The Event and the page that tells it, from the event page's one JSON-LD block."""
    path = f"/events/{slug}/"
    (data,) = extract(get(client, path), path)["json-ld"]
    assert data["@context"] == "https://schema.org"
    nodes = {node["@type"]: node for node in data["@graph"]}
    return nodes["Event"], nodes["ItemPage"]


@pytest.mark.usefixtures("seeded")
def test_a_general_assembly_is_a_schema_org_event(client):
    event, page = event_ld(client, "86th-general-assembly-2017")
    url = BASE + "/events/86th-general-assembly-2017/"
    stored = Event.objects.get(slug="86th-general-assembly-2017")
    assert (event["name"], event["description"]) == (stored.title, stored.summary)
    assert event["url"] == url and page["url"] == url and page["mainEntity"] == {"@id": event["@id"]}
    assert (event["startDate"], event["endDate"]) == ("2017-09-26", "2017-09-29")
    assert event["location"] == {
        "@type": "Place",
        "name": "Beijing",
        "address": {"@type": "PostalAddress", "addressCountry": "China"},
    }
    assert "eventStatus" not in event  # it happened: schema.org has no status for that
    people = {p["name"]: p for p in event["performer"]}
    assert people["Xi Jinping"]["jobTitle"] == "President of China"  # the role at the time
    assert people["Xi Jinping"]["url"] == BASE + "/people/xi-jinping/"
    assert all(p["@type"] == "Person" for p in people.values())
    assert event["about"] == [
        {"@type": "Thing", "name": c.name, "url": f"{BASE}/crimes/{c.slug}/"} for c in stored.crime_types.all()
    ]
    # The sources: cited by the page that tells the event (schema.org's citation is a creative work's).
    works = page["citation"]
    assert works and all(w["@type"] == "CreativeWork" and w["name"] for w in works)
    assert all(w["url"].startswith(("http://", "https://")) for w in works)
    assert all(w["publisher"]["@type"] == "Organization" for w in works if "publisher" in w)
    dated = [w for w in works if "datePublished" in w]
    assert dated and all(len(w["datePublished"]) == 10 for w in dated)


@pytest.mark.usefixtures("seeded")
def test_only_what_the_documents_state_about_themselves(client):
    # Pakistan Today's "30 September 2017" is our inference (the document shows no date) and CGTN's is a bound:
    # the pages mark both, JSON-LD could not, so it leaves them out; the publishers, which they state, stay.
    _, page = event_ld(client, "86th-general-assembly-2017")
    works = {w["name"]: w for w in page["citation"]}
    sources = {s.title: s for s in Source.objects.filter(title__in=works)}
    assert len(works) == len(sources) == len(page["citation"]) == 5  # one each, however many excerpts
    for title, work in works.items():
        source = sources[title]
        assert work.get("url") == (source.url or None)
        assert work["publisher"] == {"@type": "Organization", "name": source.publisher}
        stated = not source.date_inferred and source.published.qualifier == ""
        assert work.get("datePublished") == (source.published.datetime_start if stated else None), title
    assert "datePublished" not in works[Source.objects.get(slug="pakistan-today-2017-09-30-new-members").title]
    assert "datePublished" not in works[Source.objects.get(slug="cgtn-2017-fighting-global-crime").title]


@pytest.mark.parametrize(
    "slug, dates",
    [
        (
            "prc-applies-for-interpol-membership-1984",
            {"startDate": "1984-05"},
        ),  # a month: no endDate, the month says it
        ("china-legal-status-restored-1984", {"startDate": "1984-09-05"}),
        ("64th-general-assembly-1995", {"startDate": "1995"}),
        ("wang-xiaohong-meets-jurgen-stock-2023", {"startDate": "2023-04-18"}),
        ("soga-operations-2007-2010", {"startDate": "2007", "endDate": "2010"}),
        ("igci-due-to-open-2014", {"startDate": "2014"}),  # "late 2014" is in 2014
        ("china-pledges-communication-systems-crime-labs", {"startDate": "2017-09", "endDate": "2022-09"}),  # c.
        # Bounds say only "at the latest": no date rather than a wrong one.
        ("liao-jinrong-visits-interpol-2013", {}),  # by 11 October 2013
        ("meng-hongwei-reported-missing-2018", {}),  # by 5 October 2018
        ("operation-soga-vi-2016", {}),  # before 18 July 2016
        ("operation-hurricane", {"startDate": "2013-05", "endDate": "2013-06"}),  # May–June 2013
    ],
)
@pytest.mark.usefixtures("seeded")
def test_dates_at_their_precision_and_no_further(client, slug, dates):
    event, _ = event_ld(client, slug)
    assert {k: v for k, v in event.items() if k in ("startDate", "endDate")} == dates


@pytest.mark.parametrize(
    "text, found",
    [
        ("26–29 September 2017", {"startDate": "2017-09-26", "endDate": "2017-09-29"}),
        ("June 2015 to August", {"startDate": "2015-06", "endDate": "2015-08"}),
        ("c. 2014", {"startDate": "2014"}),
        ("mid-2016", {"startDate": "2016"}),
        ("1984 onwards", {"startDate": "1984"}),  # an open end: no endDate
        ("2015?", {}),  # possibly wrong altogether
        ("after 2015", {}),  # on or after 1 January 2016: no day, month or year of it is known
        ("before 7 June 2023", {}),
        ("by October 2013", {}),
    ],
)
def test_schema_dates_state_only_what_holds(text, found):
    assert metadata.schema_dates(dates.read(text)) == found


@pytest.mark.parametrize(
    "text, limit, shortened",
    [
        ("Short enough.", 200, "Short enough."),
        ("One  two\nthree", 200, "One two three"),
        ("Beijing was host to the assembly", 20, "Beijing was host to…"),
        ("Beijing was host, to the assembly", 20, "Beijing was host…"),  # no dangling comma
        ("Supercalifragilistic", 10, "Supercali…"),  # one long word: cut inside it
    ],
)
def test_descriptions_are_cut_on_a_word(text, limit, shortened):
    assert metadata.shorten(text, limit) == shortened
    assert len(metadata.shorten("word " * 100)) <= 200


@pytest.mark.usefixtures("seeded")
def test_planned_events_are_scheduled(client):
    assert event_ld(client, "igci-due-to-open-2014")[0]["eventStatus"] == "https://schema.org/EventScheduled"
    assert "eventStatus" not in event_ld(client, "64th-general-assembly-1995")[0]


@pytest.mark.parametrize("path", PUBLIC)
@pytest.mark.usefixtures("seeded")
def test_every_public_page_has_a_card_and_a_canonical_address(client, path):
    html = get(client, path)
    found = card(html, path)
    assert found["og:url"] == BASE + path  # absolute, this page's own address
    assert found["og:title"] and found["twitter:title"] == found["og:title"]
    assert found["og:site_name"] == "China–INTERPOL cooperation"
    assert found["og:type"] == ("article" if path.startswith("/events/") else "website")
    assert found["twitter:card"] == "summary"
    assert 0 < len(found["og:description"]) <= 200 and found["twitter:description"] == found["og:description"]
    assert found["description"] == found["og:description"]
    (canonical,) = head_links(html, "canonical")
    assert canonical["href"] == found["og:url"] and canonical["href"].startswith(BASE)  # absolute (issue 28)


@pytest.mark.usefixtures("seeded")
def test_cards_say_what_the_page_holds(client):
    n = Event.objects.published().count()
    assert card(get(client, "/"), "/")["og:description"].startswith(f"{n} events in a sourced chronology")
    person = card(get(client, "/people/meng-hongwei/"), "/people/meng-hongwei/")
    n = Event.objects.published().filter(involvements__person__slug="meng-hongwei").distinct().count()
    assert person["og:description"].startswith(f"{n} events naming Meng Hongwei (孟宏伟) in a sourced chronology")
    narrowed = card(get(client, "/crimes/cybercrime/?from=2015"), "/crimes/cybercrime/?from=2015")
    assert narrowed["og:description"].endswith(
        "concerning cybercrime in a sourced chronology of cooperation between "
        "China and INTERPOL, 1984–2023. Filters: from 2015."
    )
    assert person["og:title"].startswith("Meng Hongwei")
    event = Event.objects.get(slug="86th-general-assembly-2017")
    found = card(get(client, "/events/86th-general-assembly-2017/"), "/events/86th-general-assembly-2017/")
    assert found["og:title"] == event.title
    summary = " ".join(event.summary.split())
    assert (
        found["og:description"] == summary
        if len(summary) <= 200
        else (found["og:description"].endswith("…") and summary.startswith(found["og:description"][:-1]))
    )


@pytest.mark.usefixtures("seeded")
def test_an_event_reached_from_a_view_names_its_own_address(client):
    path = "/events/86th-general-assembly-2017/?person=meng-hongwei&order=desc"
    html = get(client, path)
    assert card(html, path)["og:url"] == BASE + "/events/86th-general-assembly-2017/"
    assert head_links(html, "canonical")[0]["href"] == BASE + "/events/86th-general-assembly-2017/"


@pytest.mark.usefixtures("seeded")
def test_each_host_gets_its_own_absolute_addresses(client):
    # The page cache keys by scheme and host too: one host's absolute addresses never reach another.
    for host in ("localhost", "127.0.0.1"):
        html = client.get("/events/86th-general-assembly-2017/", HTTP_HOST=host).content.decode()
        assert card(html, "/")["og:url"] == f"http://{host}/events/86th-general-assembly-2017/"
        assert f'"url": "http://{host}/events/86th-general-assembly-2017/"' in html


@pytest.mark.parametrize(
    "path, query",
    [
        ("/?person=meng-hongwei", "?person=meng-hongwei"),
        # On a person's page the twins name the person: /events.json knows no pages.
        ("/people/meng-hongwei/?kind=assembly", "?person=meng-hongwei&kind=assembly"),
    ],
)
@pytest.mark.usefixtures("seeded")
def test_a_view_names_its_twins_and_each_answers(client, path, query):
    links = {link["type"]: link for link in head_links(get(client, path), "alternate")}
    assert {kind: link["href"] for kind, link in links.items()} == {kind: twin + query for kind, twin in TWINS.items()}
    assert {link["title"] for link in links.values()} == {
        "This view as an Atom feed",
        "This view as JSON",
        "This view as CSV",
        "This view as iCalendar",
    }
    for kind, link in links.items():
        response = client.get(link["href"])
        assert response.status_code == 200, link["href"]
        assert response["Content-Type"].split(";")[0] == kind
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"86th" in body or b"86th-general-assembly-2017" in body, link["href"]


@pytest.mark.usefixtures("seeded")
def test_no_twins_where_the_exports_cannot_say_the_view(client):
    # Events naming both Meng Hongwei and Xi Jinping: the exports read two people as either.
    html = get(client, "/people/meng-hongwei/?person=xi-jinping")
    assert head_links(html, "alternate") == []


@pytest.mark.usefixtures("seeded")
def test_other_pages_name_the_whole_feed(client):
    for path in ("/events/86th-general-assembly-2017/", "/sources/"):
        (feed,) = head_links(get(client, path), "alternate")
        assert (feed["type"], feed["href"]) == ("application/atom+xml", "/feed/")
        assert client.get(feed["href"]).status_code == 200


def test_hostile_text_stays_inside_its_json_ld(empty, client, make_events):
    make_events(2)
    Event.objects.filter(slug="event-1").update(title=HOSTILE, summary=f"Summary {HOSTILE}")
    Person.objects.filter(slug="person-1").update(name=HOSTILE, name_zh="</script>")
    CrimeType.objects.filter(slug="crime-1").update(name=HOSTILE)
    Place.objects.filter(slug="city-1").update(name=HOSTILE, country="</SCRIPT >")
    Source.objects.update(title=HOSTILE, publisher=HOSTILE, url="https://example.org/?a=1&b=</script>")
    path = "/events/event-1/"
    html = get(client, path)
    assert "</script><script>" not in html and "<!-- & more" not in html
    assert html.count("</script>") == html.count("<script")  # every script element ends where it should
    (data,) = extract(html, path)["json-ld"]
    event, page = data["@graph"]
    assert event["name"] == HOSTILE and event["description"] == f"Summary {HOSTILE}"
    assert event["location"] == {
        "@type": "Place",
        "name": HOSTILE,
        "address": {"@type": "PostalAddress", "addressCountry": "</SCRIPT >"},
    }
    assert {"name": HOSTILE, "alternateName": "</script>"}.items() <= event["performer"][0].items()
    assert event["about"][0]["name"] == HOSTILE
    assert page["citation"][0]["url"] == "https://example.org/?a=1&b=</script>"
    # The card's attributes carry the text escaped, and read back whole.
    assert card(html, path)["og:title"] == HOSTILE
    person_page = get(client, "/people/person-1/")
    assert "</script><script>" not in person_page and card(person_page, "/")["og:description"].startswith(
        f"1 event naming {HOSTILE} (</script>)"
    )


# --- in Chromium -----------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_json_ld_block_breaks_no_content_security_policy(site, page, errors):
    # Every violation of the policy, as the page itself hears of them.
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation', e => "
        "window.violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(site + "/events/86th-general-assembly-2017/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    block = page.locator('script[type="application/ld+json"]')
    assert block.count() == 1
    data = json.loads(block.text_content())
    assert data["@graph"][0]["startDate"] == "2017-09-26"
    assert page.evaluate("window.violations") == []
    assert errors == []

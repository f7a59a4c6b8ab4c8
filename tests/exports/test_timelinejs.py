"""Our /timelinejs.json rendered by Knight Lab's TimelineJS itself, in real Chromium.

TimelineJS is vendored by `make test` (the `timelinejs` target) into .timelinejs/, at a pinned version. The site
never serves it: the test hands Chromium the package's files at another loopback origin with Playwright's routing,
and the page reaches nothing else but, in one test, our own server.
"""

import html
import json
import mimetypes
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from timeline.models import Event

pytestmark = pytest.mark.browser

PACKAGE = Path(__file__).resolve().parents[2] / ".timelinejs/node_modules/@knight-lab/timelinejs"
DIST = PACKAGE / "dist"
# Another origin than the live server's, on loopback where no server listens (port 9, discard): Playwright
# answers for it. Loopback, because Chromium refuses a public-looking origin's fetch to a loopback server
# (Private Network Access), which the test that loads our JSON by its address does.
ORIGIN = "http://127.0.0.1:9"

HARNESS = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>TimelineJS harness</title>
<link rel="stylesheet" href="/css/timeline.css">
<script src="/js/timeline.js"></script>
<style>html, body { margin: 0; height: 100%; } #timeline-embed { height: 650px; }</style>
</head>
<body><div id="timeline-embed"></div></body>
</html>
"""

# script_path: the locale and CSS TimelineJS loads come from the vendored package, not its CDN.
# font: null: the default font's CSS pulls PT Sans and PT Serif from fonts.gstatic.com, which the test
# does not have (and would abort, with a console error).
OPTIONS = {"script_path": f"{ORIGIN}/js/", "font": None, "hash_bookmark": False}


@pytest.fixture
def timelinejs(page):
    """The page at the harness, TimelineJS loaded. Requests anywhere else (CDNs, fonts, analytics) are
    aborted and listed, so the test can say none was made."""
    if not (DIST / "js/timeline.js").is_file() or not (DIST / "css/timeline.css").is_file():
        pytest.fail(
            f"TimelineJS is not vendored in {PACKAGE.parent.parent.parent}: run `make test` "
            "(or `make timelinejs`) first.",
            pytrace=False,
        )
    elsewhere = []

    def serve(route):
        url = urllib.parse.urlsplit(route.request.url)
        if url.path == "/":
            return route.fulfill(body=HARNESS, content_type="text/html; charset=utf-8")
        path = (DIST / url.path.lstrip("/")).resolve()
        if not path.is_relative_to(DIST) or not path.is_file():
            return route.fulfill(status=404, body="not in the package")
        return route.fulfill(
            body=path.read_bytes(), content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )

    def outside(route):
        elsewhere.append(route.request.url)
        route.abort()

    # Playwright tries the last route registered first: the harness's host wins over the catch-all.
    page.route("**/*", outside)
    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("() => typeof TL !== 'undefined' && typeof TL.Timeline === 'function'")
    yield page
    assert elsewhere == [], f"TimelineJS fetched from outside the vendored package: {elsewhere}"


def timeline_json(server, query=""):
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the live server is local
    with direct.open(server + reverse("timelinejs") + query, timeout=30) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "application/json"
        return json.loads(response.read().decode("utf-8"))


def render(page, data):
    """Build the timeline from `data` (our JSON, or its address for TimelineJS to fetch), wait until TimelineJS
    says both the slides and the time navigation are loaded, and return what it put in the page."""
    page.evaluate(
        """([data, options]) => {
        window.tlLoaded = false;
        window.timeline = new TL.Timeline("timeline-embed", data, options);
        window.timeline.on("loaded", () => { window.tlLoaded = true; });
    }""",
        [data, OPTIONS],
    )
    page.wait_for_function("() => window.tlLoaded === true")
    return page.evaluate("""() => {
        const text = el => el ? el.textContent.trim() : null;
        return {
            errors: window.timeline.config.getErrors(),
            slides: [...document.querySelectorAll("#timeline-embed .tl-slide")].map(slide => ({
                id: slide.id,
                headline: text(slide.querySelector(".tl-headline")),
                date: text(slide.querySelector(".tl-headline-date")),
                link: [...slide.querySelectorAll(".tl-text-content a")].pop()?.href,
            })),
            markers: [...document.querySelectorAll("#timeline-embed .tl-timemarker .tl-headline")].map(text),
            groups: [...document.querySelectorAll("#timeline-embed .tl-timegroup-message")].map(text),
        };
    }""")


def assert_renders_every_slide(page, server, data):
    events = data["events"]
    # What a reader must see: the events' titles as stored, not as the JSON spells them (escaped once, for HTML).
    titles = dict(Event.objects.filter(slug__in=[e["unique_id"] for e in events]).values_list("slug", "title"))
    headlines = [titles.get(e["unique_id"]) for e in events]
    shown = render(page, data)
    # TimelineJS builds every slide at once: the title slide and one per event.
    slides = page.locator("#timeline-embed .tl-slide")
    expect(slides).to_have_count(len(events) + 1)
    expect(slides.first).to_have_class(re.compile(r"\btl-slide-titleslide\b"))
    for headline in headlines:
        expect(slides.locator(".tl-headline", has_text=headline).first).to_be_attached()
    # Headlines are HTML to TimelineJS: ours arrive escaped once, and read as plain text in the buttons too.
    expect(page.locator("#timeline-embed .tl-slidenav-next .tl-slidenav-title")).to_have_text(headlines[0])
    assert shown["errors"] == []
    title, *slides = shown["slides"]
    assert title["headline"] == html.unescape(data["title"]["text"]["headline"])
    # Each event keeps its unique_id as its slide's HTML id (TimelineJS renames missing or repeated ones),
    # our order (TimelineJS sorts by start date), its headline, our display date and its link to the site.
    assert [s["id"] for s in slides] == [e["unique_id"] for e in events]
    assert [s["headline"] for s in slides] == headlines
    assert [s["date"] for s in slides] == [e["display_date"] for e in events]
    assert [s["link"] for s in slides] == [f"{server}/events/{e['unique_id']}/" for e in events]
    # The time navigation below: a marker per event, a row per group.
    assert sorted(shown["markers"]) == sorted(headlines)
    assert sorted(shown["groups"]) == sorted({e["group"] for e in events})


def test_timelinejs_renders_every_event_of_the_seed(site, timelinejs, errors):
    data = timeline_json(site)
    assert len(data["events"]) == Event.objects.published().count()
    assert_renders_every_slide(timelinejs, site, data)
    assert errors == []


def test_timelinejs_renders_a_filtered_view(site, timelinejs, errors):
    data = timeline_json(site, "?person=meng-hongwei")
    involved = Event.objects.published().filter(involvements__person__slug="meng-hongwei").distinct()
    assert 0 < len(data["events"]) < Event.objects.published().count()
    assert sorted(e["unique_id"] for e in data["events"]) == sorted(involved.values_list("slug", flat=True))
    assert_renders_every_slide(timelinejs, site, data)
    assert errors == []


def test_timelinejs_loads_our_view_by_its_address_from_another_site(site, timelinejs, errors):
    """What a journalist does: give TimelineJS the address; it fetches it across origins (CORS)."""
    url = site + reverse("timelinejs") + "?kind=assembly"
    timelinejs.route(f"{site}/**", lambda route: route.continue_())  # our server is reachable, nothing else
    # Chromium asks the reader before a page reaches a local address (Local Network Access); say yes.
    timelinejs.context.grant_permissions(["local-network-access"], origin=ORIGIN)
    shown = render(timelinejs, url)
    assemblies = list(Event.objects.published().filter(kind="assembly").values_list("title", flat=True))
    slides = timelinejs.locator("#timeline-embed .tl-slide")
    expect(slides).to_have_count(len(assemblies) + 1)
    for title in assemblies:
        expect(slides.locator(".tl-headline", has_text=title).first).to_be_attached()
    assert shown["errors"] == []
    assert errors == []

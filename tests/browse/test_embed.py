"""/embed/: one view of the timeline for other sites' iframes; every other page still refuses to be framed."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.exceptions import ImproperlyConfigured
from playwright.sync_api import expect

from tests.browser.test_browser import PHONE, WCAG
from timeline.models import Event
from timeline.settings import frame_ancestors


def policy(response):
    """The Content-Security-Policy header as directive → value."""
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";"))


def links(html):
    return re.findall(r"<a\b[^>]*>", html)


# --- what it shows ---------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
class TestContent:
    def test_a_persons_events_and_nothing_else(self, client):
        response = client.get("/embed/", {"person": "meng-hongwei"})
        assert response.status_code == 200
        html = response.content.decode()
        data = client.get("/events.json", {"person": "meng-hongwei"}).json()
        assert data["count"] == Event.objects.published().filter(involvements__person__slug="meng-hongwei").count() > 20
        assert f'<p class="count">{data["count"]} events match these filters</p>' in html
        listed = re.findall(r'<h3><a href="(/events/[^/"]+/)', html)
        assert listed == [event["url"] for event in data["events"]]
        assert "<h1>Meng Hongwei</h1>" in html
        assert f"<title>Meng Hongwei: {data['count']} events — China–INTERPOL cooperation</title>" in html
        assert f'>See all {data["count"]} events on <span class="name">China–INTERPOL cooperation</span></a>' in html
        assert 'href="/?person=meng-hongwei"' in html  # the same view on the full site

    def test_the_first_page_of_everything_with_dates_places_and_planned(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 5
        html = client.get("/embed/").content.decode()
        n = Event.objects.published().count()
        assert "<h1>All events, 1984–2023</h1>" in html and f'<p class="count">{n} events</p>' in html
        assert len(re.findall(r'<li class="event">', html)) == 5
        assert '<time datetime="1984-05">May 1984</time>' in html
        assert f'>See all {n} events on <span class="name">China–INTERPOL cooperation</span></a>' in html
        planned = client.get("/embed/", {"stage": "planned"}).content.decode()
        data = client.get("/events.json", {"stage": "planned"}).json()
        assert data["count"] and planned.count('<span class="stage">Planned</span>') == min(data["count"], 5)
        assert '<span class="stage">Planned</span>' not in client.get("/embed/", {"stage": "happened"}).content.decode()
        place = client.get("/embed/", {"person": "meng-hongwei"}).content.decode()
        assert '<span class="place">Bali, Indonesia</span>' in place

    def test_a_standalone_page_without_script_or_inline_style_kept_out_of_search_engines(self, client):
        html = client.get("/embed/", {"kind": "assembly"}).content.decode()
        assert html.startswith("<!doctype html>") and '<html lang="en">' in html
        assert '<meta name="robots" content="noindex">' in html
        assert "<script" not in html and "style=" not in html and "<style" not in html
        assert "css/embed.css" in html and "css/site.css" not in html
        assert 'id="filters"' not in html and "site-name" not in html and "<footer" not in html

    def test_every_link_opens_the_full_site_in_a_new_tab(self, client):
        for query in ({}, {"person": "meng-hongwei"}, {"q": "nothing-matches-this"}, {"from": "soon"}):
            found = links(client.get("/embed/", query).content.decode())
            assert found, query
            for link in found:
                assert 'target="_blank"' in link and 'rel="noopener"' in link, link

    def test_event_links_carry_the_view(self, client):
        html = client.get("/embed/", {"person": "meng-hongwei", "order": "desc"}).content.decode()
        assert 'href="/events/86th-general-assembly-2017/?person=meng-hongwei&amp;order=desc"' in html
        assert 'href="/?person=meng-hongwei&amp;order=desc"' in html

    def test_always_the_first_page(self, client, settings):
        settings.TIMELINE_PAGE_SIZE = 5
        first = client.get("/embed/").content.decode()
        cursor = client.get("/events.json").json()["next"].split("cursor=")[1]
        assert client.get("/embed/", {"cursor": cursor}).content.decode() == first

    def test_nothing_matching_says_so(self, client):
        html = client.get("/embed/", {"q": "nothing-matches-this"}).content.decode()
        assert "No event matches this view." in html and '<p class="count">0 events match these filters</p>' in html
        assert '>Open this view on <span class="name">China–INTERPOL cooperation</span></a>' in html


@pytest.mark.usefixtures("seeded")
class TestInvalid:
    def test_a_bad_date_is_explained_and_the_rest_applies(self, client):
        response = client.get("/embed/", {"person": "meng-hongwei", "from": "soon"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<li>From: Could not read “soon” as a date" in html
        n = Event.objects.published().filter(involvements__person__slug="meng-hongwei").count()
        assert f'<p class="count">{n} events match these filters</p>' in html

    def test_to_before_from_is_explained(self, client):
        response = client.get("/embed/", {"from": "2016", "to": "2013"})
        assert response.status_code == 200
        assert "<li>To: “2013” is before “2016”.</li>" in response.content.decode()

    @pytest.mark.parametrize(
        "query",
        [{"q": "x" * 201}, {"q": " ".join(["w"] * 11)}, {"kind": ["visit"] * 21}, {"person": ["meng-hongwei"] * 21}],
    )
    def test_requests_too_large_to_run_get_a_clear_400(self, client, query):
        response = client.get("/embed/", query)
        assert response.status_code == 400
        assert "at most" in response.content.decode()
        # Still the embed, still framable: the host page shows why, not a browser error.
        assert policy(response)["frame-ancestors"] == "*" and "X-Frame-Options" not in response

    @pytest.mark.parametrize(
        "query",
        [
            {"q": "😀" * 5000},
            {"from": "9" * 400, "to": "\x00"},
            {"cursor": "2013-01-01_2013-01-01_" + "9" * 30},
            {"person": ["<script>alert(1)</script>", "../../etc/passwd"], "place": ["a", "b"], "order": "sideways"},
            {"x": "y" * 10_000, "kind": "' OR 1=1 --", "stage": "maybe"},
        ],
    )
    def test_hostile_queries_never_cause_a_server_error(self, client, query):
        response = client.get("/embed/", query)
        assert response.status_code in (200, 400)
        html = response.content.decode()
        assert html.startswith("<!doctype html>") and "<script>alert(" not in html

    def test_only_safe_methods(self, client):
        assert client.post("/embed/").status_code == 405


# --- framing -------------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
class TestFraming:
    def test_anyone_may_frame_the_embed_by_default_also_when_cached(self, client, django_assert_num_queries):
        for attempt in ("fresh", "cached", "cached, compressed"):
            headers = {"HTTP_ACCEPT_ENCODING": "gzip"} if "compressed" in attempt else {}
            if attempt == "fresh":
                response = client.get("/embed/?kind=assembly", **headers)
            else:
                with django_assert_num_queries(1):  # the data version: served from the cache
                    response = client.get("/embed/?kind=assembly", **headers)
            assert response.status_code == 200, attempt
            assert policy(response)["frame-ancestors"] == "*", attempt
            assert "X-Frame-Options" not in response, attempt
            # The rest of the policy is the site's.
            assert policy(response)["script-src"] == "'self'" and policy(response)["style-src"] == "'self'"

    def test_the_configured_sites_may_frame_it_read_at_each_request(self, client, settings):
        client.get("/embed/")  # cached under the default
        settings.EMBED_FRAME_ANCESTORS = ["https://news.example.org", "https://*.example.net"]
        for attempt in ("cached", "cached again"):
            response = client.get("/embed/")
            assert policy(response)["frame-ancestors"] == "https://news.example.org https://*.example.net", attempt
            assert "X-Frame-Options" not in response
        settings.EMBED_FRAME_ANCESTORS = ["'none'"]
        assert policy(client.get("/embed/"))["frame-ancestors"] == "'none'"

    def test_a_not_modified_answer_keeps_the_embeds_policy(self, client):
        etag = client.get("/embed/")["ETag"]
        response = client.get("/embed/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert "X-Frame-Options" not in response

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/?person=meng-hongwei",
            "/events/86th-general-assembly-2017/",
            "/people/meng-hongwei/",
            "/crimes/cybercrime/",
            "/sources/",
            "/events.json",
            "/embedded/",
            "/admin/login/",
        ],
    )
    def test_every_other_page_still_refuses_to_be_framed(self, client, url):
        for attempt in ("fresh", "cached"):
            response = client.get(url)
            assert policy(response)["frame-ancestors"] == "'none'", (url, attempt)
            assert response["X-Frame-Options"] == "DENY", (url, attempt)

    def test_after_the_embed_the_timeline_is_still_unframable(self, client, settings):
        settings.EMBED_FRAME_ANCESTORS = ["*"]
        client.get("/embed/")
        for _attempt in ("fresh", "cached"):
            response = client.get("/")
            assert policy(response)["frame-ancestors"] == "'none'" and response["X-Frame-Options"] == "DENY"


def test_the_setting_reads_a_comma_separated_list():
    assert frame_ancestors("*") == ["*"]
    assert frame_ancestors(" https://a.example.org, https://b.example.org ,") == [
        "https://a.example.org",
        "https://b.example.org",
    ]
    assert frame_ancestors("") == ["'none'"]  # set but empty: no one
    with pytest.raises(ImproperlyConfigured):
        frame_ancestors("https://a.example.org; script-src *")
    with pytest.raises(ImproperlyConfigured):
        frame_ancestors("https://a.example.org https://b.example.org")


# --- in Chromium ------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    html = b""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.html)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site(site):
    """Another origin (127.0.0.1 on its own port; the live server is localhost) with a page framing ours."""
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A news site</title>
<link rel="icon" href="data:,"></head><body><h1>A news site</h1>
<iframe name="embed" title="Assemblies" src="{site}/embed/?kind=assembly" width="320" height="600"></iframe>
<iframe name="whole" title="The whole site" src="{site}/" width="320" height="600"></iframe>
</body></html>"""
    handler = type("Page", (Handler,), {"html": html.encode()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def refused_to_frame(text, url):
    """Chromium's report of the site's frame-ancestors 'none' at work, for `url` only: "Framing 'url' violates
    the following Content Security Policy directive: "frame-ancestors 'none'". The request has been blocked."
    (older versions: "Refused to frame 'url' because an ancestor violates …")."""
    return (
        re.match(rf"(Framing|Refused to frame) '{re.escape(url)}' .*\"frame-ancestors 'none'\"", text, re.DOTALL)
        is not None
    )


@pytest.mark.browser
def test_another_site_shows_the_embed_but_not_the_site(site, other_site, page, context, errors):
    with page.expect_console_message(lambda message: refused_to_frame(message.text, site + "/")):
        page.goto(other_site)
    embed = page.frame_locator("iframe[name=embed]")
    expect(embed.get_by_role("heading", level=1)).to_have_text("General assembly")
    expect(embed.get_by_role("link", name="INTERPOL's 86th General Assembly in Beijing")).to_be_visible()
    expect(
        embed.get_by_role("link", name=re.compile(r"^See all \d+ events on China–INTERPOL cooperation$"))
    ).to_be_visible()
    # 320 px wide: nothing scrolls sideways.
    frame = page.frame(name="embed")
    assert frame.evaluate("document.documentElement.scrollWidth") <= 320
    # The other frame was refused: Chromium's error page, not ours.
    whole = page.frame(name="whole")
    assert not whole.url.startswith(site)
    assert whole.evaluate("document.querySelector('header.site') === null")
    expect(page.frame_locator("iframe[name=whole]").get_by_text("China–INTERPOL cooperation")).to_have_count(0)
    # A link opens the full site in a tab of its own.
    with context.expect_page() as opened:
        embed.get_by_role("link", name="INTERPOL's 86th General Assembly in Beijing").click()
    tab = opened.value
    expect(tab).to_have_url(site + "/events/86th-general-assembly-2017/?kind=assembly")
    expect(tab.get_by_role("heading", level=1)).to_have_text("INTERPOL's 86th General Assembly in Beijing")
    assert page.url == other_site and frame.url == site + "/embed/?kind=assembly"
    # Only the expected refusal (and the request it cut short) was logged.
    unexpected = [
        e for e in errors if not refused_to_frame(e, site + "/") and e != f"{site}/: net::ERR_BLOCKED_BY_RESPONSE"
    ]
    assert unexpected == []


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        "/embed/?kind=assembly",
        "/embed/?person=meng-hongwei&from=soon",
        "/embed/?stage=planned",
        "/embed/?q=nothing-matches-this",
    ],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_embed(site, page, path, scheme):
    """WCAG 2.2 AA, target size included, with best practices, at the narrowest iframe."""
    page.set_viewport_size({"width": 320, "height": 600})
    page.emulate_media(color_scheme=scheme)
    page.goto(site + path)
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.browser
def test_the_embed_fits_a_phone_too(site, page, errors):
    page.set_viewport_size(PHONE)
    page.goto(site + "/embed/")
    expect(page.locator("li.event")).to_have_count(20)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []

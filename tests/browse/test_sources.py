"""Sources as pages: /sources/ and /sources/<slug>/, citations linking both ways, and the JSON that says the same."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from timeline.models import Citation, Event, Source

pytestmark = pytest.mark.usefixtures("seeded")


class Links(HTMLParser):
    """Every <a href> of a page, with its text."""

    def __init__(self):
        super().__init__()
        self.links, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href"), ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append(tuple(self._open))
            self._open = None


def links(response):
    parser = Links()
    parser.feed(response.content.decode())
    return parser.links


def test_the_sources_page_lists_every_cited_source_with_publisher_date_address_and_count(client):
    pages = [client.get("/sources/", {"page": n}) for n in (1, 2, 3)]  # 100 a page
    assert all(page.status_code == 200 for page in pages)
    html = "".join(page.content.decode() for page in pages)
    hrefs = {href for page in pages for href, _ in links(page)}
    for source in Source.objects.filter(citations__event__status="published").distinct():
        assert source.get_absolute_url() in html
        if source.url:
            assert source.url in hrefs
    cgtn = Source.objects.get(seed_file__startswith="003")
    row = html.split(cgtn.get_absolute_url(), 1)[1].split("</tr>", 1)[0]
    n = Event.objects.published().filter(citations__source=cgtn).distinct().count()
    assert "CGTN" in row and "before" in row and "(inferred)" in row and f'data-label="Events">{n}</td>' in row


def test_a_source_page_shows_publisher_date_original_how_we_know_and_its_events_in_document_order(client):
    source = Source.objects.get(seed_file__startswith="000")
    response = client.get(source.get_absolute_url())
    html = response.content.decode()
    assert "INTERPOL" in html and "11 October 2013" in html and "How we know" in html
    assert (source.url, source.url) in links(response)
    # Events follow the document, not the calendar: the 2013 visit opens the release, before the 2007–2010
    # SOGA operations; then the SOGA operations come before the September training.
    excerpts = re.findall(r"<blockquote>“(.*?)”</blockquote>", html)
    citations = Citation.objects.filter(source=source, event__status="published")
    assert sorted(map(unescape, excerpts)) == sorted(c.excerpt for c in citations)
    soga = html.index("SOGA operations")
    assert html.index("has met with INTERPOL Secretary General") < soga
    training = html.index("China hosted its first INTERPOL training session")
    assert soga < training
    for event in Event.objects.filter(citations__source=source).distinct():
        assert event.get_absolute_url() in html


def test_an_inferred_date_is_marked_and_explained_to_readers(client):
    source = Source.objects.get(seed_file__startswith="002")
    html = client.get(source.get_absolute_url()).content.decode()
    dated = html.split("<dt>Published</dt>", 1)[1].split("</dd>", 1)[0]
    assert "27 September 2017" in dated and "(inferred)" in dated
    assert "How we know" in html and "address" in html


def test_drafts_are_never_shown_on_source_pages(client):
    source = Source.objects.get(seed_file__startswith="004")
    event = Event.objects.filter(citations__source=source).distinct().first()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    html = client.get(source.get_absolute_url()).content.decode()
    assert event.get_absolute_url() not in html and event.title not in html
    # A source only drafts cite has no public page, and is not listed.
    lonely = Source.objects.create(title="Cited only by a draft", publisher="Someone")
    Citation.objects.create(event=event, source=lonely, excerpt="a draft's quotation")
    assert client.get(lonely.get_absolute_url()).status_code == 404
    assert lonely.get_absolute_url() not in client.get("/sources/").content.decode()


def test_an_unknown_source_is_a_clear_404(client):
    response = client.get("/sources/no-such-source/")
    assert response.status_code == 404


def test_every_citation_on_an_event_page_links_to_its_source_page_and_its_original(client):
    event = Event.objects.get(slug="operation-first-light-2014")
    response = client.get(event.get_absolute_url())
    found = dict(links(response))
    for citation in event.citations.select_related("source"):
        assert citation.source.get_absolute_url() in found
        assert citation.source.url in found
    # And the source page links back to the event.
    source = event.citations.first().source
    assert event.get_absolute_url() in dict(links(client.get(source.get_absolute_url())))


def test_citations_in_the_timeline_link_to_source_pages_and_originals(client):
    response = client.get("/", {"q": "First Light"})
    hrefs = {href for href, _ in links(response)}
    source = Source.objects.get(seed_file__startswith="001")
    assert source.get_absolute_url() in hrefs and source.url in hrefs


def test_json_citations_carry_url_readable_date_and_source_page(client):
    data = client.get("/events.json", {"q": "86th"}).json()
    citations = [c for e in data["events"] for c in e["citations"]]
    china_daily = next(c for c in citations if c["source"] == "Interpol aiming to bolster global role")
    assert china_daily["url"] == "http://usa.chinadaily.com.cn/china/2017-09/27/content_32536139.htm"
    assert china_daily["published"] == "2017-09-27" and china_daily["published_label"] == "27 September 2017"
    assert china_daily["inferred"] == ["published"]
    assert china_daily["source_url"] == "/sources/china-daily-2017-09-27-interpol-aiming-to-bolster-global-role/"
    cgtn = next(c for c in citations if c["publisher"] == "CGTN")
    assert cgtn["published_label"] == "before 26 September 2017" and cgtn["published"] == "[..2017-09-25]"
    assert client.get(china_daily["source_url"]).status_code == 200


def test_a_source_made_in_code_gets_a_unique_readable_slug():
    one = Source.objects.create(title="Annual report 2016")
    two = Source.objects.create(title="Annual report 2016")
    assert one.slug == "annual-report-2016" and two.slug == "annual-report-2016-2"


# --- several sources, side by side ----------------------------------------------------------------------------


def test_an_event_told_by_several_sources_shows_each_side_by_side_and_says_where_they_disagree(client):
    event = Event.objects.get(slug="china-legal-status-restored-1984")
    html = client.get(event.get_absolute_url()).content.decode()
    told = html.split('<ul class="sources side-by-side">', 1)[1].split("</ul>", 1)[0]
    entries = told.split("<li>")[1:]
    # CGTN's "restored", Beijing Review's "became a member state", China Daily's Xi, INTERPOL's 1923, Liu Wen's and
    # Xinhua's 5 September, the Christian Science Monitor of that week…: one entry each.
    n = len(event.told_by())
    assert len(entries) == n > 10 and f"{n} sources tell this event" in html
    assert sum("1984年9月5日" in e for e in entries) == 3  # Liu Wen's two accounts and Xinhua's, each a source
    assert any("is restored" in e and "CGTN" in e for e in entries)
    assert any("became a member state of Interpol in September 1984" in e and "Beijing Review" in e for e in entries)
    assert any("7 September 1923" in e and "INTERPOL" in e for e in entries)
    note = html.split('<p class="disagreement" role="note">', 1)[1].split("</p>", 1)[0]
    assert "52nd" in note and "53rd" in note and "1923" in note and "1914" in note
    # One source, however many excerpts, is one entry; no disagreement is claimed where none is recorded.
    single = client.get("/events/illicit-trade-training-2013/").content.decode()
    assert '<ul class="sources">' in single and 'class="disagreement"' not in single
    data = next(
        e
        for e in client.get("/events.json", {"from": "1984", "to": "1984"}).json()["events"]
        if e["slug"] == event.slug
    )
    assert data["sources_disagree"] == event.disagreement and len(data["citations"]) == event.citations.count()


def test_an_editor_adds_a_source_and_its_page_address_is_made_from_the_title(admin_client):
    response = admin_client.post(
        "/admin/timeline/source/add/",
        {
            "title": "Annual report 2016",
            "slug": "",
            "publisher": "Ministry of Public Security",
            "publisher_inferred": "on",
            "published": "2017",
            "url": "",
            "note": "The cover names no publisher.",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
            "citations-MIN_NUM_FORMS": "0",
            "citations-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    source = Source.objects.get(title="Annual report 2016")
    assert source.slug == "annual-report-2016" and source.publisher_inferred and not source.date_inferred

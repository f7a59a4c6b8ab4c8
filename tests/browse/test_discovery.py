"""For search engines: robots.txt points at a sitemap index; the sitemaps list every public page, no draft."""

from xml.etree import ElementTree

import pytest

from timeline.models import CrimeType, Event, Person, Source

pytestmark = pytest.mark.usefixtures("seeded")
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def addresses(client):
    """Every page address the sitemaps list, read as a crawler reads them: the index, then each file in it."""
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    found = {}
    for section in index.findall("s:sitemap/s:loc", NS):
        response = client.get(section.text.removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
        for url in ElementTree.fromstring(response.content).findall("s:url", NS):
            lastmod = url.find("s:lastmod", NS)
            found[url.find("s:loc", NS).text.removeprefix("http://testserver")] = (
                lastmod.text if lastmod is not None else None
            )
    return found


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemaps_list_every_public_page_and_when_it_changed(client):
    found = addresses(client)
    expected = {"/", "/sources/", "/about/"}
    expected |= {e.get_absolute_url() for e in Event.objects.published()}
    expected |= {p.get_absolute_url() for p in Person.objects.filter(involvements__isnull=False).distinct()}
    expected |= {c.get_absolute_url() for c in CrimeType.objects.filter(events__isnull=False).distinct()}
    expected |= {s.get_absolute_url() for s in Source.objects.filter(citations__isnull=False).distinct()}
    expected |= {"/zh-hans" + path for path in expected}  # each page in Chinese too
    assert set(found) == expected
    event = Event.objects.get(slug="86th-general-assembly-2017")
    assert found[event.get_absolute_url()].startswith(event.updated.date().isoformat())
    assert found["/zh-hans" + event.get_absolute_url()] == found[event.get_absolute_url()]
    for path in expected:
        assert client.get(path).status_code == 200, path  # nothing listed that does not answer


def test_each_address_names_its_twin_in_the_other_language(client):
    urls = ElementTree.fromstring(client.get("/sitemap-events.xml").content).findall("s:url", NS)
    for url in urls:
        links = {
            link.get("hreflang"): link.get("href").removeprefix("http://testserver")
            for link in url.findall("x:link", NS)
        }
        english = links["en-gb"]
        assert links == {"en-gb": english, "zh-hans": "/zh-hans" + english, "x-default": english}


def test_drafts_and_what_only_drafts_name_are_left_out(client):
    event = Event.objects.get(slug="heads-of-ncb-conference-2023")
    Event.objects.filter(involvements__person__slug="ahmed-naser-al-raisi").update(status=Event.Status.DRAFT)
    found = addresses(client)
    assert event.get_absolute_url() not in found
    assert "/people/ahmed-naser-al-raisi/" not in found  # named only by drafts
    assert "/people/jurgen-stock/" in found


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-events.xml"])
def test_a_sitemap_is_made_once_per_data_version(client, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(1):  # the data version; the rest comes from the cache
        again = client.get(url)
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    Event.objects.get(slug="64th-general-assembly-1995").save()
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 200

"""The seeded timeline in real Chromium (Debian's), against a live server."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_seed", verbosity=0)
    return live_server.url


def test_reader_opens_an_event_and_reads_its_source(site, page):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=2, name="1984")).to_be_visible()
    expect(page.locator("article")).to_have_count(18)
    card = page.locator("article", has_text="Eurasian working group meeting on cybercrime")
    expect(card.locator(".meta time")).to_have_attribute("datetime", "2015-09")
    card.get_by_text("Summary and sources").click()
    expect(card.locator("blockquote")).to_contain_text("Last month China’s Ministry of Public Security")
    card.get_by_role("link", name="Eurasian working group meeting on cybercrime in Xiamen").click()
    expect(page).to_have_url(site + "/events/xiamen-cybercrime-meeting-2015/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eurasian working group meeting on cybercrime in Xiamen")


def test_fits_a_phone_without_sideways_scroll(site, page):
    page.set_viewport_size({"width": 360, "height": 800})
    for path in ["/", "/events/jurgen-stock-visits-china-2015/"]:
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path

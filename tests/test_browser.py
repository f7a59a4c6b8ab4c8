"""The timeline in real Chromium (Debian's), driven by Playwright against a live server."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_seed", verbosity=0)
    return live_server.url


# hx-sync aborts a request a newer one replaces, and htmx logs each abort as
# an error; failures show as htmx:responseError or htmx:sendError instead.
ABORTED = ("htmx:afterRequest", "htmx:sendAbort")


@pytest.fixture
def errors(page):
    """Console errors and failed requests: a working page has none."""
    seen = []
    page.on("console", lambda message: message.type == "error" and not message.text.startswith(ABORTED)
            and seen.append(message.text))
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def cards(page):
    return page.locator("#results article")


def test_reader_opens_an_event_and_reads_its_source(site, page, errors):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=2, name="1984")).to_be_visible()
    expect(cards(page)).to_have_count(18)
    card = page.locator("article", has_text="Eurasian working group meeting on cybercrime")
    expect(card.locator(".meta time")).to_have_attribute("datetime", "2015-09")
    card.get_by_text("Summary and sources").click()
    expect(card.locator("blockquote")).to_contain_text("Last month China’s Ministry of Public Security")
    card.get_by_role("link", name="Eurasian working group meeting on cybercrime in Xiamen").click()
    expect(page).to_have_url(site + "/events/xiamen-cybercrime-meeting-2015/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eurasian working group meeting on cybercrime in Xiamen")
    assert errors == []


def test_typing_a_search_updates_results_and_url(site, page, errors):
    page.goto(site + "/")
    page.get_by_label("Search").press_sequentially("Xiamen", delay=30)
    expect(cards(page)).to_have_count(1)
    expect(page).to_have_url(site + "/?q=Xiamen")
    expect(page.locator("#result-count")).to_have_text("1 event matches these filters")
    expect(page.get_by_label("Search")).to_be_focused()  # the box typed in is not replaced
    expect(page.get_by_label("Search")).to_have_value("Xiamen")
    assert errors == []


def test_person_and_crime_type_in_a_few_clicks_then_back_and_new_tab(site, page, context, errors):
    page.goto(site + "/")
    page.get_by_role("checkbox", name=re.compile("^Guo Shengkun")).check()
    expect(cards(page)).to_have_count(3)
    expect(page).to_have_url(site + "/?person=guo-shengkun")
    page.get_by_role("checkbox", name=re.compile("^Terrorism")).check()
    expect(page).to_have_url(site + "/?person=guo-shengkun&crime=terrorism")
    expect(cards(page)).to_have_count(3)
    page.get_by_role("checkbox", name=re.compile("^Speech")).check()
    expect(cards(page)).to_have_count(1)
    expect(page.locator("ul.chips")).to_contain_text("Person: Guo Shengkun")
    expect(page.get_by_role("checkbox", name=re.compile("^Fraud"))).to_have_count(1)  # muted, still offered

    page.go_back()
    expect(page).to_have_url(site + "/?person=guo-shengkun&crime=terrorism")
    expect(cards(page)).to_have_count(3)
    expect(page.get_by_role("checkbox", name=re.compile("^Speech"))).not_to_be_checked()
    page.go_back()
    expect(page).to_have_url(site + "/?person=guo-shengkun")
    expect(page.get_by_role("checkbox", name=re.compile("^Terrorism"))).not_to_be_checked()
    page.go_forward()
    expect(cards(page)).to_have_count(3)

    other = context.new_page()
    other.goto(page.url)
    expect(cards(other)).to_have_count(3)
    expect(other.get_by_role("checkbox", name=re.compile("^Guo Shengkun"))).to_be_checked()
    other.get_by_role("link", name="Person: Guo Shengkun (remove)").click()
    expect(other).to_have_url(site + "/?crime=terrorism")
    expect(cards(other)).to_have_count(6)
    assert errors == []


def test_year_navigator_and_bad_date(site, page, errors):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/")
    page.get_by_role("link", name="2013: 3 events").click()
    expect(page).to_have_url(site + "/?from=2013&to=2013")
    expect(cards(page)).to_have_count(3)
    page.get_by_label("From").fill("soon")
    page.get_by_label("From").press("Enter")
    expect(page.locator("#from-error")).to_contain_text("could not read “soon” as a date")
    expect(page).to_have_url(site + "/?to=2013")
    expect(cards(page)).to_have_count(6)  # the rest of the query still applies: everything to 2013
    assert errors == []


def test_scrolling_loads_more(site, page, settings, errors):
    settings.TIMELINE_PAGE_SIZE = 5
    page.goto(site + "/")
    expect(cards(page)).to_have_count(5)
    for expected in (10, 15, 18):
        page.locator("#results article").last.scroll_into_view_if_needed()
        expect(cards(page)).to_have_count(expected)
    expect(page.locator("#more")).to_have_count(0)
    expect(page).to_have_url(site + "/")  # loading more does not change the view's URL
    assert errors == []


def test_everything_works_without_javascript(site, browser, settings):
    settings.TIMELINE_PAGE_SIZE = 5
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site + "/")
    page.get_by_text("Filter by date, person, crime type, kind, place").click()  # folded on a phone
    page.get_by_role("checkbox", name=re.compile("^Liao Jinrong")).check()
    page.get_by_label("Search").fill("Lyon")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/\?.*q=Lyon"))
    expect(cards(page)).to_have_count(1)
    page.get_by_role("link", name="Clear all").click()
    expect(cards(page)).to_have_count(5)
    page.get_by_role("link", name="More events").click()
    expect(page).to_have_url(re.compile("cursor="))
    expect(cards(page)).to_have_count(5)
    context.close()


def test_keyboard_reaches_the_filters_with_visible_focus(site, page):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    for _ in range(2):  # past the site name to the search box
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


@pytest.mark.parametrize("path", ["/", "/?person=guo-shengkun&from=soon", "/events/86th-general-assembly-2017/",
                                  "/people/liao-jinrong/", "/crimes/cybercrime/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site, page, path, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(site + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_fits_a_phone_without_sideways_scroll(site, page):
    page.set_viewport_size({"width": 360, "height": 800})
    for path in ["/", "/?person=liao-jinrong&crime=organized-crime&from=soon", "/events/jurgen-stock-visits-china-2015/",
                 "/people/meng-hongwei/"]:
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_editor_adds_a_dated_cited_event_and_readers_find_it(site, page, errors):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.org", "a-long-editor-password")
    page.goto(site + "/admin/timeline/event/add/")
    expect(page).to_have_url(re.compile("/admin/login/"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(site + "/admin/timeline/event/add/")

    page.get_by_label("Title").press_sequentially("Joint review of cybercrime cooperation in Singapore")
    expect(page.get_by_label("Slug")).to_have_value("joint-review-of-cybercrime-cooperation-in-singapore")
    page.get_by_label("Kind").select_option(label="Meeting")
    page.get_by_label("When").fill("late 2014")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_label("Summary").fill("Officials reviewed how their cybercrime cooperation had gone.")
    # The citation's source through the autocomplete widget.
    page.locator("#citations-0 .field-source .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Chinese Ministry")
    page.get_by_role("option", name=re.compile("Chinese Ministry of Public Security visit")).click()
    page.locator("#id_citations-0-excerpt").fill("due to open in Singapore in late 2014")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text(
        "When read as late 2014 — 1 Sep 2014 to 31 Dec 2014, approximate")
    page.goto(site + "/?q=Joint+review")
    card = page.locator("#results article")
    expect(card).to_have_count(1)
    expect(card.locator(".meta")).to_contain_text("late 2014")
    card.get_by_text("Summary and sources").click()
    expect(card.locator("blockquote")).to_have_text("“due to open in Singapore in late 2014”")
    assert errors == []


def test_nothing_breaks_the_content_security_policy(site, page):
    from django.contrib.auth.models import User

    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(site + "/")
    page.get_by_label("Search").press_sequentially("beijing", delay=20)
    expect(page.locator("#result-count")).to_contain_text("match")
    page.get_by_role("checkbox", name=re.compile("^Xi Jinping")).check()
    expect(page).to_have_url(re.compile("person=xi-jinping"))
    expect(page.locator("#loading")).to_be_hidden()
    page.goto(site + "/events/86th-general-assembly-2017/")
    page.goto(site + "/people/meng-hongwei/")

    User.objects.create_superuser("csp", "csp@example.org", "a-long-csp-password")
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("csp")
    page.get_by_label("Password").fill("a-long-csp-password")
    page.get_by_role("button", name="Log in").click()
    for path in ["/admin/", "/admin/timeline/event/?status__exact=published", "/admin/timeline/event/import/",
                 "/admin/timeline/person/", "/admin/timeline/source/1/change/"]:
        page.goto(site + path)
    page.goto(site + "/admin/timeline/event/add/")
    page.get_by_label("Title").press_sequentially("CSP check")
    expect(page.get_by_label("Slug")).to_have_value("csp-check")
    page.get_by_text("Add another Citation").click()
    page.locator("#citations-1 .field-source .select2-selection").click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    assert refused == []

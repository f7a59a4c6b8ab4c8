"""The timeline in real Chromium (Debian's), driven by Playwright against a live server, at a person's pace."""

import re
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


class Gate:
    """The server holds every htmx update until the test lets it through, so a response lands exactly
    when the test says: mid-word, after a second click. No timing to go wrong on a busy machine."""

    def __init__(self):
        self.opened = threading.Event()

    def hold(self):
        self.opened.clear()

    def release(self):
        self.opened.set()


@pytest.fixture
def held(live_server):
    """Wraps the live server's whole application, so cached answers and 304s are held too."""
    gate, server = Gate(), live_server.thread.httpd
    app = server.get_app()

    def gated(environ, start_response):
        if environ.get("HTTP_HX_REQUEST"):
            gate.opened.wait(timeout=20)
        return app(environ, start_response)

    server.set_app(gated)
    yield gate
    gate.release()
    server.set_app(app)


def in_flight(page):
    """A request has left and is held: htmx shows the loading indicator."""
    expect(page.locator("#loading")).to_be_visible()


def cards(page):
    return page.locator("#results article")


def axis_x(page, year):
    box = page.locator("#axis").bounding_box()
    return box["x"] + box["width"] * (year - 1984 + 0.5) / 40, box["y"] + box["height"] / 2


def watch_swaps(page, field):
    """Record what `field` held each time a response was applied."""
    page.evaluate(
        """field => {
        window.seen = [];
        document.addEventListener("htmx:afterSwap", () => window.seen.push(document.getElementById(field).value));
    }""",
        field,
    )


# --- reading -------------------------------------------------------------------


def test_reader_opens_an_event_and_reads_its_source(site, page, errors):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=2, name="1984")).to_be_visible()
    expect(cards(page)).to_have_count(20)  # the first page of over a hundred
    card = page.locator("article", has_text="China hosts INTERPOL's 64th General Assembly")
    expect(card.locator(".meta time")).to_have_attribute("datetime", "1995")
    card.get_by_text("Summary and sources").click()
    expect(card.locator("blockquote").first).to_contain_text("In 1995, China hosts the 64th INTERPOL general assembly")
    card.get_by_role("link", name="China hosts INTERPOL's 64th General Assembly").click()
    expect(page).to_have_url(site + "/events/64th-general-assembly-1995/")
    expect(page.get_by_role("heading", level=1)).to_have_text("China hosts INTERPOL's 64th General Assembly")
    assert errors == []


def test_from_an_event_to_its_sources_and_the_originals_in_one_click(site, page, errors):
    page.goto(site + "/events/china-legal-status-restored-1984/")
    told = page.locator("ul.sources > li")
    expect(told).to_have_count(13)  # thirteen sources, side by side, each with how it puts it
    expect(page.get_by_role("note")).to_contain_text("Where the sources disagree")
    original = told.filter(has_text="Beijing Review").get_by_role("link", name="Original")
    expect(original).to_have_attribute("href", "http://www.bjreview.com/China/201611/t20161111_800071450.html")
    told.filter(has_text="CGTN").get_by_role(
        "link", name="Fighting Global Crime: Interpol facilitates international police cooperation", exact=True
    ).click()
    expect(page).to_have_url(site + "/sources/cgtn-2017-fighting-global-crime/")
    expect(page.locator(".facts")).to_contain_text("before 26 September 2017 (inferred)")
    expect(page.locator(".facts")).to_contain_text("How we know")
    page.get_by_role("link", name="China admitted to INTERPOL at the General Assembly in Luxembourg").click()
    expect(page).to_have_url(site + "/events/china-legal-status-restored-1984/")
    page.go_back()
    expect(page).to_have_url(site + "/sources/cgtn-2017-fighting-global-crime/")
    assert errors == []


def test_gaps_in_time_are_said_in_the_list(site, page, errors):
    page.goto(site + "/")
    expect(page.locator(".gap").nth(1)).to_have_text("No recorded event for 11 years, 1996–2006")
    assert errors == []


# --- no lost input -------------------------------------------------------------


def test_typed_dates_keep_every_letter_while_responses_land(site, page, errors, held):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    watch_swaps(page, "to")
    page.get_by_label("From", exact=True).click()
    page.keyboard.type("2013", delay=80)
    page.keyboard.press("Tab")  # a change: the form asks for from=2013
    in_flight(page)
    expect(page.get_by_label("To", exact=True)).to_be_focused()
    page.keyboard.type("June", delay=80)
    held.release()  # the answer for from=2013 lands mid-word
    page.wait_for_function("() => window.seen.length > 0")
    page.keyboard.type(" 2016", delay=80)
    assert page.evaluate("window.seen")[0] == "June"
    expect(page.get_by_label("To", exact=True)).to_have_value("June 2016")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/?from=2013&to=June+2016")
    expect(page.locator("#result-count")).to_have_text("25 events match these filters")
    expect(page.locator("#to-error")).to_be_empty()
    expect(page).to_have_title("2013 to June 2016: 25 events — China–INTERPOL cooperation")
    assert errors == []


def test_search_then_from_keeps_both(site, page, errors, held):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    watch_swaps(page, "from")
    page.get_by_label("Search").press_sequentially("cyber", delay=80)
    page.keyboard.press("Tab")
    expect(page.get_by_label("From", exact=True)).to_be_focused()
    in_flight(page)  # the search's request, sent as the typing paused
    page.keyboard.type("Sept", delay=80)
    held.release()
    page.wait_for_function("() => window.seen.length > 0")
    page.keyboard.type("ember 2015", delay=80)
    assert page.evaluate("window.seen")[0] == "Sept"
    expect(page.get_by_label("From", exact=True)).to_have_value("September 2015")
    expect(page.get_by_label("Search")).to_have_value("cyber")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/?q=cyber&from=September+2015")
    assert errors == []


def test_ticking_low_in_a_list_keeps_its_place(site, page, errors, held):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    people = page.locator("fieldset", has=page.get_by_text("Person", exact=True)).locator("ul.options")
    people.evaluate("list => list.scrollTop = list.scrollHeight")
    scrolled = people.evaluate("list => list.scrollTop")
    assert scrolled > 0
    box = page.get_by_role("checkbox", name=re.compile("^Zhao Hongzhu"))
    box.check()
    in_flight(page)
    held.release()
    expect(page).to_have_url(site + "/?person=zhao-hongzhu")
    expect(cards(page)).to_have_count(1)
    assert people.evaluate("list => list.scrollTop") == scrolled
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    assert errors == []


def test_a_newer_request_wins_and_nothing_is_logged(site, page, errors, held):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    page.get_by_role("checkbox", name=re.compile("^Guo Shengkun")).check()
    in_flight(page)
    page.get_by_role("checkbox", name=re.compile("^Terrorism")).check()  # while that one is held
    held.release()
    expect(page.get_by_role("checkbox", name=re.compile("^Terrorism"))).to_be_checked()
    expect(page).to_have_url(site + "/?person=guo-shengkun&crime=terrorism")
    expect(cards(page)).to_have_count(4)
    expect(page.get_by_role("checkbox", name=re.compile("^Guo Shengkun"))).to_be_checked()
    held.hold()
    page.get_by_role("checkbox", name=re.compile("^Speech")).check()
    in_flight(page)
    page.get_by_role("link", name="Clear all").click()  # newer than the tick: it wins
    held.release()
    expect(page).to_have_url(site + "/")
    expect(cards(page)).to_have_count(20)  # the first page of 28
    expect(page.get_by_role("checkbox", name=re.compile("^Speech"))).not_to_be_checked()
    assert errors == []


def test_a_removed_filter_stays_removed(site, page, errors, held):
    page.goto(site + "/?person=guo-shengkun&crime=terrorism")
    # Two chips, the second clicked while the first is held: each link was written before the other was used.
    page.get_by_role("link", name="Person: Guo Shengkun (remove)").click()
    in_flight(page)
    page.get_by_role("link", name="Crime type: Terrorism (remove)").click()
    held.release()
    expect(page).to_have_url(site + "/")
    expect(cards(page)).to_have_count(20)  # the first page of 28
    # A chip, then a tick while it is held: both hold.
    page.goto(site + "/?person=guo-shengkun")
    held.hold()
    page.get_by_role("link", name="Person: Guo Shengkun (remove)").click()
    in_flight(page)
    page.get_by_role("checkbox", name=re.compile("^Speech")).check()
    held.release()
    expect(page).to_have_url(site + "/?kind=speech")
    expect(page.get_by_role("checkbox", name=re.compile("^Guo Shengkun"))).not_to_be_checked()
    assert errors == []


def test_a_search_too_long_says_why(site, page, errors):
    page.goto(site + "/")
    page.get_by_label("Search").press_sequentially("one two three four five six seven eight nine ten eleven", delay=10)
    expect(page.locator("#q-error")).to_have_text("Search for at most 10 words.")
    assert errors == []


# --- the time axis -------------------------------------------------------------


def test_dragging_across_the_axis_chooses_years(site, page, errors):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    x, y = axis_x(page, 2013)
    page.mouse.move(x, y)
    expect(page.locator("#axis-readout")).to_have_text("2013: 4 events")  # pointing shows the count
    page.mouse.down()
    page.mouse.move(axis_x(page, 2016)[0], y, steps=12)
    expect(page.locator("#axis-readout")).to_have_text("2013–2016: 31 events")
    page.mouse.up()
    expect(page).to_have_url(site + "/?from=2013&to=2016")
    expect(page.get_by_label("From", exact=True)).to_have_value("2013")
    expect(page.get_by_label("To", exact=True)).to_have_value("2016")
    expect(cards(page)).to_have_count(20)  # the first page of 31
    expect(page.locator("ul.chips")).to_contain_text("From: 2013")
    page.mouse.click(*axis_x(page, 2015))  # a click is one year
    expect(page).to_have_url(site + "/?from=2015&to=2015")
    expect(cards(page)).to_have_count(10)
    page.go_back()
    expect(page).to_have_url(site + "/?from=2013&to=2016")
    expect(page.get_by_label("To", exact=True)).to_have_value("2016")
    assert errors == []


def test_the_axis_by_keyboard(site, page, errors):
    page.goto(site + "/")
    axis = page.get_by_role("slider", name="Time axis, 1984 to 2023")
    axis.focus()
    page.keyboard.press("End")
    expect(axis).to_have_attribute("aria-valuetext", "2023: 10 events")
    page.keyboard.press("PageDown")
    expect(axis).to_have_attribute("aria-valuetext", "2013: 4 events")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    expect(axis).to_have_attribute("aria-valuetext", "2013–2016: 31 events")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/?from=2013&to=2016")
    expect(axis).to_be_focused()  # the control chosen with keeps focus
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/?from=2015&to=2015")
    assert errors == []


def test_the_axis_value_follows_the_view(site, page, errors):
    page.goto(site + "/?from=2013")
    axis = page.get_by_role("slider", name="Time axis, 1984 to 2023")
    expect(axis).to_have_attribute("aria-valuetext", "2013–2023: 96 events")  # from 2013 on, not 2013 alone
    page.get_by_role("link", name="From: 2013 (remove)").click()
    expect(page).to_have_url(site + "/")
    expect(axis).to_have_attribute("aria-valuetext", "1984–2023: 114 events")
    axis.focus()
    page.keyboard.press("Enter")  # choosing what is already shown changes nothing
    expect(page.locator("#axis-readout")).not_to_contain_text("Enter shows")
    assert errors == []


def test_the_axis_shows_where_the_reader_is(site, page, errors):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    view = page.locator(".axis-overlay .view")
    expect(view).not_to_have_attribute("width", "0")
    start = float(view.get_attribute("x"))
    assert start < 12  # the 1984 event is on screen
    for _ in range(8):
        page.mouse.wheel(0, 400)  # a reader scrolling down
    page.wait_for_function(
        "x => parseFloat(document.querySelector('.axis-overlay .view').getAttribute('x')) > x", arg=start + 12 * 5
    )  # five years and more further on
    expect(page.locator(".timebar")).to_be_in_viewport()  # sticky: still there
    assert errors == []


def test_a_tap_on_the_phone_axis_chooses_a_year(site, browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site + "/")
    page.touchscreen.tap(*axis_x(page, 2017))
    expect(page).to_have_url(site + "/?from=2017&to=2017")
    expect(cards(page)).to_have_count(15)  # 2017's events, and the two pledges of c. September 2017 – September 2022
    context.close()


# --- feedback ------------------------------------------------------------------


def test_filtering_from_lower_down_shows_what_changed(site, page, errors, held):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    card = page.locator("article", has_text="Meng Jianzhu meets Ronald Noble")
    card.scroll_into_view_if_needed()
    card.get_by_role("link", name="Ronald K. Noble", exact=True).click()
    expect(page.locator("#results")).to_have_class(re.compile("htmx-request"))  # dimmed while it loads
    held.release()
    expect(page).to_have_url(site + "/?person=ronald-k-noble")
    expect(page.locator("#results")).not_to_have_class(re.compile("htmx-request"))
    expect(page.locator("#result-count")).to_have_text("6 events match these filters")
    expect(page.locator("#result-count")).to_be_focused()
    expect(page.locator("#result-count")).to_be_in_viewport()
    expect(page.locator("ul.chips")).to_be_in_viewport()
    expect(page).to_have_title("Ronald K. Noble: 6 events — China–INTERPOL cooperation")
    page.get_by_role("link", name="Person: Ronald K. Noble (remove)").click()
    expect(page).to_have_url(site + "/")
    expect(page.locator("#result-count")).to_be_focused()  # the chip is gone; focus is not lost
    assert errors == []


def test_on_a_phone_the_filter_panel_shows_what_it_gives(site, page, errors):
    page.set_viewport_size(PHONE)
    page.goto(site + "/")
    page.get_by_text("Filter by date, person, crime type, kind, place").click()
    page.get_by_role("checkbox", name=re.compile("^Cybercrime")).check()
    show = page.get_by_role("button", name="Show 15 events")
    expect(show).to_be_in_viewport()  # sticky at the foot of the open panel
    expect(page.locator(".filter-panel > summary")).to_contain_text("· 1 active")
    show.click()
    expect(page.locator(".filter-panel")).not_to_have_attribute("open", "")
    expect(page.locator("#result-count")).to_have_text("15 events match these filters")
    expect(page.locator("#result-count")).to_be_focused()
    expect(page.locator("#result-count")).to_be_in_viewport()
    assert errors == []


def test_person_and_crime_type_in_a_few_clicks_then_back_and_new_tab(site, page, context, errors):
    page.goto(site + "/")
    page.get_by_role("checkbox", name=re.compile("^Guo Shengkun")).check()
    expect(cards(page)).to_have_count(5)
    expect(page).to_have_url(site + "/?person=guo-shengkun")
    page.get_by_role("checkbox", name=re.compile("^Terrorism")).check()
    expect(page).to_have_url(site + "/?person=guo-shengkun&crime=terrorism")
    expect(cards(page)).to_have_count(4)
    page.get_by_role("checkbox", name=re.compile("^Speech")).check()
    expect(cards(page)).to_have_count(1)
    expect(page.locator("ul.chips")).to_contain_text("Person: Guo Shengkun")
    expect(page.get_by_role("checkbox", name=re.compile("^Fraud"))).to_have_count(1)  # muted, still offered

    page.go_back()
    expect(page).to_have_url(site + "/?person=guo-shengkun&crime=terrorism")
    expect(cards(page)).to_have_count(4)
    expect(page.get_by_role("checkbox", name=re.compile("^Speech"))).not_to_be_checked()
    page.go_back()
    expect(page).to_have_url(site + "/?person=guo-shengkun")
    expect(cards(page)).to_have_count(5)
    expect(page.get_by_role("checkbox", name=re.compile("^Terrorism"))).not_to_be_checked()
    page.go_forward()
    expect(cards(page)).to_have_count(4)
    expect(page.get_by_role("checkbox", name=re.compile("^Terrorism"))).to_be_checked()

    other = context.new_page()
    other.goto(page.url)
    expect(cards(other)).to_have_count(4)
    expect(other.get_by_role("checkbox", name=re.compile("^Guo Shengkun"))).to_be_checked()
    other.get_by_role("link", name="Person: Guo Shengkun (remove)").click()
    expect(other).to_have_url(site + "/?crime=terrorism")
    expect(cards(other)).to_have_count(20)  # the first page of 22
    expect(other.get_by_role("checkbox", name=re.compile("^Guo Shengkun"))).not_to_be_checked()
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


def test_a_bad_date_is_explained_and_the_rest_applies(site, page, errors):
    page.goto(site + "/?from=2013&to=2013")
    expect(cards(page)).to_have_count(4)
    page.get_by_label("From", exact=True).fill("soon")
    page.get_by_label("From", exact=True).press("Enter")
    expect(page.locator("#from-error")).to_contain_text("Could not read “soon” as a date")
    expect(page).to_have_url(site + "/?to=2013")
    expect(cards(page)).to_have_count(20)  # the rest of the query still applies: everything to 2013 (22)
    expect(page.locator("#result-count")).to_have_text("22 events match these filters")
    expect(page.get_by_label("From", exact=True)).to_have_value("soon")  # what was typed stays to be mended
    assert errors == []


def test_scrolling_loads_more(site, page, settings, errors):
    settings.TIMELINE_PAGE_SIZE = 3  # the first page is 1984's three events, the second starts in 1995
    page.goto(site + "/?to=2008")
    expect(cards(page)).to_have_count(3)
    for expected in (6, 9, 10):
        page.locator("#results article").last.scroll_into_view_if_needed()
        expect(cards(page)).to_have_count(expected)
    expect(page.locator("#more")).to_have_count(0)
    expect(page).to_have_url(site + "/?to=2008")  # loading more does not change the view's URL
    expect(page.locator(".gap")).to_have_count(2)  # a gap at a page's edge (1985–1994) is said too
    assert errors == []


def test_more_events_by_keyboard_keeps_focus(site, page, settings, errors):
    settings.TIMELINE_PAGE_SIZE = 5
    page.goto(site + "/")
    page.get_by_role("link", name="More events").focus()  # a keyboard user reaching the end of the list
    expect(cards(page)).to_have_count(10)
    expect(page.locator("#results article").nth(5).locator("h3 a")).to_be_focused()
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
    expect(page).to_have_url(site + "/?q=Lyon&person=liao-jinrong")  # no empty fields in the link
    expect(cards(page)).to_have_count(1)
    page.get_by_role("link", name="Clear all").click()
    expect(cards(page)).to_have_count(5)
    page.get_by_role("link", name="More events").click()
    expect(page).to_have_url(re.compile("cursor="))
    expect(cards(page)).to_have_count(5)
    expect(page.locator("#result-count")).to_have_text("Events 6–10 of 114")
    page.get_by_role("navigation", name="Years").get_by_role("link", name=re.compile("^2013")).click()
    expect(page).to_have_url(site + "/?from=2013&to=2013")
    expect(cards(page)).to_have_count(4)
    context.close()


# --- keyboard and touch ----------------------------------------------------------


def test_the_first_tab_stop_skips_to_the_results(site, page, errors):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to results")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_be_focused()
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#results article')"):
            break
        stops.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    # The axis, the download line and the embed box, then the first event.
    assert stops == ["axis", "CSV", "iCalendar", "JSON", "TimelineJS", "Feed", "Embed this view"]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # Focus moved by Tab is never hidden under the sticky time bar.
    focused = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert focused >= page.locator(".timebar").bounding_box()["height"]
    assert page.locator("nav.years a").count() == 0  # no year links to Tab through with JavaScript
    assert errors == []


def test_keyboard_reaches_the_filters_with_visible_focus(site, page):
    page.goto(site + "/")
    for _ in range(4):  # past the skip link, the site name and the language switch to the search box
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?person=guo-shengkun&from=soon",
        "/events/86th-general-assembly-2017/",
        "/people/liao-jinrong/",
        "/crimes/cybercrime/?from=2013&to=2016",
        "/events/china-legal-status-restored-1984/",
        "/sources/",
        "/sources/cgtn-2017-fighting-global-crime/",
        "/zh-hans/?person=meng-hongwei&from=2013",
        "/zh-hans/events/86th-general-assembly-2017/",
        "/zh-hans/sources/",
    ],
)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site, page, path, viewport, scheme):
    """WCAG 2.2 AA, target size included, with best practices."""
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    page.goto(site + path)
    if "/?" in path:
        page.get_by_role("slider").focus()  # the axis as a keyboard user sees it
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def test_a_reader_who_prefers_chinese_lands_in_chinese_and_switches_with_one_click(site, page, errors):
    """Issue 14's reader: lands on the Chinese timeline, filters by 孟宏伟 and 网络犯罪, types Chinese dates, reads an
    event in Chinese with its sources, goes back, and switches to English on the same view with one click."""
    page.set_viewport_size(DESKTOP)
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    page.goto(site + "/")
    expect(page).to_have_url(site + "/zh-hans/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("checkbox", name=re.compile("^孟宏伟")).check()
    expect(page.locator("#result-count")).to_have_text("21 个事件符合筛选条件")
    page.get_by_role("checkbox", name=re.compile("^网络犯罪")).check()
    expect(page.locator("#result-count")).to_have_text("3 个事件符合筛选条件")
    page.get_by_role("checkbox", name=re.compile("^孟宏伟")).uncheck()
    expect(page.locator("#result-count")).to_have_text("15 个事件符合筛选条件")
    page.get_by_label("起", exact=True).click()
    page.keyboard.type("2013年", delay=80)
    page.keyboard.press("Tab")
    page.keyboard.type("2016年", delay=80)
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("3 个事件符合筛选条件")
    expect(page).to_have_title("网络犯罪，2013年至2016年：3 个事件 — 中国与国际刑警组织合作")
    view = page.url.removeprefix(site + "/zh-hans")
    first = page.locator(".event h3 a").first
    title = first.inner_text()
    assert re.search("[\u4e00-\u9fff]", title), title
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".sources blockquote").first).to_be_visible()  # the sources, in their own words
    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(site + "/zh-hans" + view)))
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(site + view)  # the same view, in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#result-count")).to_have_text("3 events match these filters")
    expect(page.get_by_role("button", name="简体中文")).to_be_visible()
    page.goto(site + "/")  # the choice is remembered over the browser's preference
    expect(page).to_have_url(site + "/")
    page.get_by_role("button", name="简体中文").focus()
    page.keyboard.press("Enter")  # by keyboard
    expect(page).to_have_url(site + "/zh-hans/")
    assert errors == []


def test_fits_a_phone_without_sideways_scroll(site, page):
    page.set_viewport_size({"width": 360, "height": 800})
    for path in [
        "/",
        "/zh-hans/?person=meng-hongwei",
        "/?person=liao-jinrong&crime=organized-crime&from=soon",
        "/events/jurgen-stock-visits-china-2015/",
        "/people/meng-hongwei/",
        "/sources/",
        "/events/china-legal-status-restored-1984/",
        "/sources/interpol-2013-10-11-chinese-ministry-of-public-security-visit/",
    ]:
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


# --- event pages and print --------------------------------------------------------


def test_from_an_event_back_to_the_same_view(site, page, errors):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/?person=guo-shengkun")
    page.get_by_role("link", name="Secretary General Jürgen Stock's first official mission to China").click()
    expect(page).to_have_url(site + "/events/jurgen-stock-visits-china-2015/?person=guo-shengkun")
    following = page.get_by_role("link", name=re.compile("^Next →"))
    expect(following).to_contain_text("China and INTERPOL sign a declaration of strategic cooperation")
    following.click()
    following = page.get_by_role("link", name=re.compile("^Next →"))
    expect(following).to_contain_text("Guo Shengkun urges members to share information")
    following.click()
    expect(page).to_have_url(site + "/events/guo-shengkun-terrorist-suspects-2017/?person=guo-shengkun")
    page.get_by_role("link", name="← Back to the timeline: Guo Shengkun").click()
    expect(page).to_have_url(site + "/?person=guo-shengkun#event-guo-shengkun-terrorist-suspects-2017")
    expect(cards(page)).to_have_count(5)
    expect(page.get_by_role("checkbox", name=re.compile("^Guo Shengkun"))).to_be_checked()
    heading = page.locator("#event-guo-shengkun-terrorist-suspects-2017")
    expect(heading).to_be_in_viewport()  # back at the event the reader left from, below the time bar
    assert heading.bounding_box()["y"] >= page.locator(".timebar").bounding_box()["height"]
    assert errors == []


def test_from_a_persons_page_to_an_event_and_back(site, page, errors):
    page.goto(site + "/people/meng-hongwei/")
    page.get_by_role("link", name="Xi Jinping's keynote at the opening of the 86th General Assembly").click()
    page.get_by_role("link", name="← Back to Meng Hongwei").click()
    expect(page).to_have_url(site + "/people/meng-hongwei/#event-xi-jinping-opens-86th-general-assembly")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meng Hongwei")
    assert errors == []


def test_printing_a_filtered_view_prints_what_was_chosen(site, page):
    page.goto(site + "/?person=guo-shengkun")
    page.emulate_media(media="print")
    expect(page.locator("ul.chips")).to_be_visible()
    expect(page.locator("ul.chips")).to_contain_text("Person: Guo Shengkun")
    expect(page.locator("#results article details > p").first).to_be_visible()  # summaries
    expect(page.locator("#results article blockquote").first).to_be_visible()  # and sources
    expect(page.locator("#filters")).to_be_hidden()
    page.goto(site + "/events/86th-general-assembly-2017/?person=guo-shengkun")
    expect(page.locator("blockquote").first).to_be_visible()
    expect(page.locator(".prev-next")).to_be_hidden()


# --- editors and the content security policy ----------------------------------------


def test_editor_adds_a_dated_cited_event_and_readers_find_it(site, page, errors):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.org", "a-long-editor-password")
    page.goto(site + "/admin/timeline/event/add/")
    expect(page).to_have_url(re.compile("/admin/login/"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(site + "/admin/timeline/event/add/")

    page.get_by_label("Title:", exact=True).press_sequentially("Joint review of cybercrime cooperation in Singapore")
    expect(page.get_by_label("Slug")).to_have_value("joint-review-of-cybercrime-cooperation-in-singapore")
    page.get_by_label("Kind").select_option(label="Meeting")
    page.get_by_label("China's part").select_option(label="With Chinese participation")
    page.get_by_label("When").fill("late 2014")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_label("Summary:", exact=True).fill("Officials reviewed how their cybercrime cooperation had gone.")
    # The citation's source through the autocomplete widget.
    page.locator("#citations-0 .field-source .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Chinese Ministry")
    page.get_by_role("option", name=re.compile("Chinese Ministry of Public Security visit")).click()
    page.locator("#id_citations-0-excerpt").fill("due to open in Singapore in late 2014")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text(
        "When read as late 2014 → 1 Sep 2014 to 31 Dec 2014, year precision, approximate"
    )
    page.goto(site + "/?q=Joint+review")
    card = page.locator("#results article")
    expect(card).to_have_count(1)
    expect(card.locator(".meta")).to_contain_text("late 2014")
    card.get_by_text("Summary and sources").click()
    expect(card.locator("blockquote")).to_have_text("“due to open in Singapore in late 2014”")
    assert errors == []


def test_an_editor_sees_the_when_reading_as_they_type_then_history_shows_the_change(site, page, errors):
    from django.contrib.auth.models import User

    from tests.conftest import editors_group

    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(editors_group())
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(site + "/admin/timeline/event/add/")
    when, reading = page.get_by_label("When"), page.locator("output.when-reading")
    when.press_sequentially("26-29 September 2017", delay=60)
    expect(reading).to_contain_text("26 Sep 2017 to 29 Sep 2017")
    when.fill("")
    when.press_sequentially("1850", delay=60)
    expect(reading).to_contain_text("1984–2023")
    when.fill("26-29 September 2017")
    page.get_by_label("Title:", exact=True).fill("A test gathering")
    page.get_by_label("Kind").select_option(label="General assembly")
    page.get_by_label("China's part").select_option(label="Hosted or led by China")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("26 Sep 2017")
    expect(page.get_by_label("When")).to_have_value("26-29 September 2017")
    expect(reading).to_contain_text("29 Sep 2017")
    page.get_by_label("Summary:", exact=True).fill("Our own words.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history")).to_contain_text("Our own words.")
    page.get_by_role("link", name="Compare with the newest").click()
    expect(page.locator("#compare tr.changed")).to_contain_text("Summary")
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
    page.mouse.click(*axis_x(page, 2017))
    expect(page).to_have_url(re.compile("from=2017"))
    page.go_back()  # htmx restores a snapshot of the page: no style attribute may be in it
    expect(page).not_to_have_url(re.compile("from=2017"))
    page.go_back()
    expect(page.locator("#loading")).to_be_hidden()
    page.goto(site + "/events/86th-general-assembly-2017/")
    page.goto(site + "/people/meng-hongwei/")

    User.objects.create_superuser("csp", "csp@example.org", "a-long-csp-password")
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("csp")
    page.get_by_label("Password").fill("a-long-csp-password")
    page.get_by_role("button", name="Log in").click()
    for path in [
        "/admin/",
        "/admin/timeline/event/?status__exact=published",
        "/admin/timeline/event/import/",
        "/admin/timeline/person/",
        "/admin/timeline/source/1/change/",
    ]:
        page.goto(site + path)
    page.goto(site + "/admin/timeline/event/add/")
    page.get_by_label("Title:", exact=True).press_sequentially("CSP check")
    expect(page.get_by_label("Slug")).to_have_value("csp-check")
    page.get_by_text("Add another Citation").click()
    page.locator("#citations-1 .field-source .select2-selection").click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    assert refused == []

"""The interface in Simplified Chinese as well as English: addresses, the first visit's language, the switch,
hreflang, the page cache, and a catalogue that holds every string the templates and the code translate."""

import re
import shutil
import subprocess
import sys

import lxml.html
import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.usefixtures("seeded")
CATALOGUE = settings.BASE_DIR / "timeline/locale/zh_Hans/LC_MESSAGES/django.po"
PAGES = ["/", "/?person=meng-hongwei&crime=cybercrime&from=2013&to=2016", "/?q=nothing-matches-this",
         "/?person=nobody&kind=junk&order=up&from=soon", "/events/86th-general-assembly-2017/",
         "/events/china-legal-status-restored-1984/?person=meng-hongwei", "/people/meng-hongwei/",
         "/crimes/cybercrime/", "/sources/", "/sources/cgtn-2017-fighting-global-crime/", "/embed/?person=meng-hongwei",
         "/no-such-page/"]
ZH_ACCEPT = "zh-CN,zh;q=0.9,en;q=0.8"


def catalogue(path):
    with open(path, "rb") as file:
        return read_po(file)


def strings(found):
    """Every string a catalogue translates, by its English (plural forms as one)."""
    return {message.id for message in found if message.id}


def test_the_catalogue_holds_every_string_and_translates_each(tmp_path):
    """Extract the strings again from a copy of the code and templates (Django's makemessages, GNU xgettext):
    a string added or changed without its Chinese fails here, and so does one left behind."""
    for folder in ("timeline", "templates"):
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(settings.BASE_DIR / "manage.py", tmp_path)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
                   cwd=tmp_path, check=True, capture_output=True)
    extracted = catalogue(tmp_path / "timeline/locale/zh_Hans/LC_MESSAGES/django.po")
    committed = catalogue(CATALOGUE)
    assert strings(extracted) == strings(committed), "run `make messages` and translate what is new"
    untranslated = [m.id for m in committed if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                                                                     else [m.string]))]
    assert untranslated == []


def test_each_translation_keeps_its_placeholders():
    """A translation that drops or misspells %(name)s would fail at run time, or show the wrong value."""
    for message in catalogue(CATALOGUE):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        chinese = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]|\{\}", english[-1]))
        for text in chinese:
            assert set(re.findall(r"%\(\w+\)[sd]|\{\}", text)) == wanted, message.id


def chrome(html):
    """What the interface says on a page, not what the data says: the text and the attributes people read
    (titles, labels, placeholders), with the events' titles, summaries, names and quotations taken out."""
    tree = lxml.html.fromstring(html)
    for selector in ("h1", "h3", ".event p", ".event li", ".facts dd", "blockquote", ".cite", ".people",
                     ".options .label", "#place option", ".related", ".source-list tbody", ".source-events",
                     ".chips a", "textarea", ".prev-next", ".lede", ".back", ".meta .place", "script",
                     ".errors", ".error", "dd"):
        for element in tree.cssselect(selector):
            element.drop_tree()
    attributes = " ".join(value for element in tree.iter() if isinstance(element.tag, str)
                          for name, value in element.attrib.items()
                          if name in ("title", "aria-label", "placeholder", "content", "data-label"))
    return tree.text_content() + " " + attributes


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_in_chinese_with_no_english_left_in_its_interface(client, path):
    response = client.get("/zh-hans" + path)
    assert response.status_code in (200, 404)
    html = response.content.decode()
    assert re.search(r'<html lang="zh-Hans">', html)
    text = chrome(html)
    # Every English string of the catalogue of two words or more: none may show on a Chinese page.
    left = sorted(english for english in (m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(CATALOGUE))
                  if english and " " in english.strip() and "%(" not in english and english.strip() in text)
    assert left == []
    assert re.search(r"[\u4e00-\u9fff]", text)


def test_the_english_pages_stay_english(client):
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "Oldest first" in html and "最早的在前" not in html


def test_a_first_visit_lands_in_the_browsers_language(client):
    response = client.get("/events/86th-general-assembly-2017/?person=meng-hongwei", HTTP_ACCEPT_LANGUAGE=ZH_ACCEPT)
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/events/86th-general-assembly-2017/?person=meng-hongwei"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").status_code == 200


@pytest.mark.parametrize("path, headers", [
    ("/events.json", {}),  # an address in one language only
    ("/feed/", {}),
    ("/?person=meng-hongwei", {"HX-Request": "true"}),  # htmx asks for the page the reader is on
])
def test_what_has_one_language_is_never_moved(client, path, headers):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=ZH_ACCEPT, headers=headers)
    assert response.status_code == 200


def test_a_chinese_address_is_never_moved(client):
    client.cookies["django_language"] = "en-gb"
    assert client.get("/zh-hans/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_the_switch_keeps_the_view_and_is_remembered():
    """One click, no script, no CSRF token (pages are cached and carry none): the same view in the other
    language; the choice then wins over the browser's."""
    client = Client(enforce_csrf_checks=True)
    view = "/events/86th-general-assembly-2017/?from=2013&person=meng-hongwei"  # in the order the cache keys it
    html = client.get("/zh-hans" + view).content.decode()
    form = lxml.html.fromstring(html).cssselect("form.languages")[0]
    (button,) = form.cssselect("button")
    assert (button.get("value"), button.text_content(), button.get("lang")) == ("en-gb", "English", "en")
    fields = {i.get("name"): i.get("value") for i in form.cssselect("input")}
    response = client.post(form.get("action"), {**fields, "language": "en-gb"})
    assert (response.status_code, response["Location"]) == (302, view)
    assert client.get(view, HTTP_ACCEPT_LANGUAGE=ZH_ACCEPT).status_code == 200  # chose English: stays
    response = client.post("/i18n/setlang/", {"next": view, "language": "zh-hans"})
    assert response["Location"] == "/zh-hans" + view
    assert client.get(view)["Location"] == "/zh-hans" + view  # chose Chinese: an English link leads there


def test_each_page_names_its_twin_in_the_other_language(client):
    for prefix in ("", "/zh-hans"):
        html = client.get(prefix + "/people/meng-hongwei/?kind=assembly", HTTP_HOST="localhost").content.decode()
        links = {link.get("hreflang"): link.get("href") for link in lxml.html.fromstring(html).cssselect(
            "link[rel=alternate][hreflang]")}
        assert links == {"en": "http://localhost/people/meng-hongwei/?kind=assembly",
                         "x-default": "http://localhost/people/meng-hongwei/?kind=assembly",
                         "zh-Hans": "http://localhost/zh-hans/people/meng-hongwei/?kind=assembly"}


def test_the_cache_keeps_each_language_apart(client):
    cache.clear()
    for _ in range(2):  # made, then served from the cache
        english, chinese = client.get("/?person=meng-hongwei"), client.get("/zh-hans/?person=meng-hongwei")
        assert "Oldest first" in english.content.decode() and "最早的在前" in chinese.content.decode()
        assert (english["Content-Language"], chinese["Content-Language"]) == ("en-gb", "zh-hans")


def test_messages_about_the_query_are_in_chinese(client):
    html = client.get("/zh-hans/?person=nobody&kind=junk&order=up").content.decode()
    assert "没有名为“nobody”的人物；已忽略。" in html
    assert "没有名为“junk”的类别；已忽略。" in html
    assert "排序应为“asc”" in html


@pytest.mark.parametrize("typed, english, chinese", [
    ("9 October 2015", "9 October 2015", "2015年10月9日"),
    ("late 2014", "late 2014", "2014年末"),
    ("2007-2010", "2007–2010", "2007年至2010年"),
    ("c. October 2013", "c. October 2013", "约2013年10月"),
    ("before 7 June 2023", "before 7 June 2023", "2023年6月7日之前"),
    ("26-29 September 2017", "26–29 September 2017", "2017年9月26日至29日"),
    ("26 September - 2 October 2017", "26 September – 2 October 2017", "2017年9月26日至10月2日"),
    ("September-November 2013", "September–November 2013", "2013年9月至11月"),
    ("October 2013 - June 2016", "October 2013 – June 2016", "2013年10月至2016年6月"),
    ("after 2015", "after 2015", "2015年之后"),
    ("by 2015", "by 2015", "不晚于2015年"),
    ("1984 onwards", "1984 onwards", "1984年起"),
    ("2015?", "2015?", "2015年？"),
    ("mid-2014", "mid-2014", "2014年中"),
])
def test_dates_read_naturally_in_each_language(typed, english, chinese):
    from django.utils import translation

    from timeline.dates import read

    when = read(typed)
    with translation.override("zh-hans"):
        assert when.label == chinese
        assert read(chinese) == when  # and a Chinese label reads back as the same date
    with translation.override("en-gb"):
        assert when.label == english


@pytest.mark.parametrize("typed, same_as", [
    ("2017年9月", "September 2017"), ("2013年至2016年", "2013-2016"), ("2015年10月9日", "9 October 2015"),
    ("约2013年10月", "c. October 2013"), ("2013年10月左右", "c. October 2013"), ("2023年6月7日之前", "before 7 June 2023"),
    ("2014年底", "late 2014"), ("2014年初", "early 2014"), ("2015年以后", "after 2015"), ("1984年以来", "1984 onwards"),
    ("约2007年至2010年", "c. 2007-2010"), ("2017年9月26日至29日", "26-29 September 2017"),
])
def test_chinese_dates_are_read(typed, same_as):
    from timeline.dates import read

    assert read(typed) == read(same_as)


def test_the_date_filters_take_chinese_dates_and_answer_in_chinese(client):
    html = client.get("/zh-hans/?from=2013年&to=2016年&person=meng-hongwei").content.decode()
    title = lxml.html.fromstring(html).findtext(".//title")
    assert title.startswith("Meng Hongwei，2013年至2016年：")
    assert client.get("/?from=2013年&to=2016年&person=meng-hongwei").content.decode().count("2013 to 2016") >= 1
    for typed, message in (("2013年13月", "“2013年13月”不是真实的日期：没有 13 月；例如“2013年10月11日”"),
                           ("2015年2月30日", "“2015年2月30日”不是真实的日期：2015年2月有 28 天；例如“2015年2月28日”。"),
                           ("soon", "无法将“soon”识别为日期；"), ("2013年至2010年", "时间段的结束早于开始")):
        error = lxml.html.fromstring(client.get("/zh-hans/?from=" + typed).content).get_element_by_id("from-error")
        assert message in error.text_content()


def test_a_junk_parameter_of_the_first_visitor_stays_out_of_the_cached_page(client):
    """The switch and the hreflang links are part of a cached page: they carry the query as the cache keys it."""
    cache.clear()
    client.get("/?kind=meeting&zz=spam&utm_source=x")
    html = client.get("/?kind=meeting").content.decode()
    assert "spam" not in html and "utm_source" not in html
    tree = lxml.html.fromstring(html)
    assert tree.get_element_by_id("language-next").get("value") == "/?kind=meeting"
    assert tree.cssselect("link[hreflang=zh-Hans]")[0].get("href").endswith("/zh-hans/?kind=meeting")


@pytest.mark.parametrize("next_url", ["http://[", "https://evil.example/", "//evil.example/", ""])
def test_the_switch_refuses_what_is_no_page_here(client, next_url):
    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"next": next_url, "language": "zh-hans"})
    assert response.status_code in (204, 302)
    assert "evil" not in response.get("Location", "")


def test_crawlers_keep_out_of_every_languages_embed(client):
    rules = client.get("/robots.txt").content.decode()
    assert "Disallow: /embed/" in rules and "Disallow: /zh-hans/embed/" in rules


def test_an_event_page_says_in_chinese_why_events_are_related(client):
    html = client.get("/zh-hans/events/86th-general-assembly-2017/").content.decode()
    reasons = [r.text_content() for r in lxml.html.fromstring(html).cssselect(".related .reason")]
    assert reasons and all(r.startswith("（同样") for r in reasons), reasons
    assert not any("also" in r for r in reasons)


@pytest.mark.parametrize("typed", ["30 February", "31 February", "2月30日"])
def test_an_impossible_day_without_a_year_is_a_message_not_an_error(client, typed):
    for prefix in ("", "/zh-hans"):
        response = client.get(prefix + "/", {"from": typed})
        assert response.status_code == 200
        assert "error" in response.content.decode()


@pytest.mark.parametrize("path, selectors", [
    ("/?person=meng-hongwei", [".event h3", ".event .place", ".event .name", ".event .role", ".event .tags a",
                               ".event details > summary + p", "input[name=person] + .label",
                               "input[name=crime] + .label", "#place option:not(:first-child)"]),
    ("/events/86th-general-assembly-2017/", ["h1", ".facts dd span", ".facts dd a", ".people a", ".people .role",
                                             ".related a", ".prev-next span[lang]"]),
    ("/people/meng-hongwei/", ["h1 > span:first-child"]),
    ("/crimes/cybercrime/", ["h1"]),
    ("/embed/?person=meng-hongwei", [".event h3 a", ".event .place"]),
])
def test_text_from_the_data_says_it_is_english_on_a_chinese_page(client, path, selectors):
    """The events, names and places are English until they have their Chinese (issue 14): on a Chinese page
    they carry lang="en", so a screen reader reads them with an English voice (WCAG 3.1.2)."""
    chinese = lxml.html.fromstring(client.get("/zh-hans" + path).content)
    english = lxml.html.fromstring(client.get(path).content)
    for selector in selectors:
        found = chinese.cssselect(selector)
        assert found, selector
        assert {element.get("lang") for element in found} == {"en"}, selector
        assert not [e for e in english.cssselect(selector) if e.get("lang")], selector
    translated = chinese.cssselect("input[name=kind] + .label, input[name=stage] + .label, .kind, h2")
    assert not [element for element in translated if element.get("lang")]  # in the page's own language

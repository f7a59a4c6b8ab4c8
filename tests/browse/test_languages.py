"""The interface in Simplified Chinese as well as English: addresses, the first visit's language, the switch,
hreflang, the page cache, and a catalogue that holds every string the templates and the code translate."""

import json
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

from timeline.domain.words import HAN
from timeline.models import CrimeType, Event, Involvement, Person, Place, Source

pytestmark = pytest.mark.usefixtures("seeded")
CATALOGUE = settings.BASE_DIR / "timeline/locale/zh_Hans/LC_MESSAGES/django.po"
PAGES = [
    "/",
    "/?person=meng-hongwei&crime=cybercrime&from=2013&to=2016",
    "/?q=nothing-matches-this",
    "/?person=nobody&kind=junk&order=up&from=soon",
    "/events/86th-general-assembly-2017/",
    "/events/china-legal-status-restored-1984/?person=meng-hongwei",
    "/people/meng-hongwei/",
    "/crimes/cybercrime/",
    "/sources/",
    "/sources/cgtn-2017-fighting-global-crime/",
    "/embed/?person=meng-hongwei",
    "/no-such-page/",
]
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
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = catalogue(tmp_path / "timeline/locale/zh_Hans/LC_MESSAGES/django.po")
    committed = catalogue(CATALOGUE)
    assert strings(extracted) == strings(committed), "run `make messages` and translate what is new"
    untranslated = [
        m.id
        for m in committed
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
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
    for selector in (
        "h1",
        "h3",
        ".event p",
        ".event li",
        ".facts dd",
        "blockquote",
        ".cite",
        ".people",
        ".options .label",
        "#place option",
        ".related",
        ".source-list tbody",
        ".source-events",
        ".chips a",
        "textarea",
        ".prev-next",
        ".lede",
        ".back",
        ".meta .place",
        "script",
        ".errors",
        ".error",
        "dd",
    ):
        for element in tree.cssselect(selector):
            element.drop_tree()
    attributes = " ".join(
        value
        for element in tree.iter()
        if isinstance(element.tag, str)
        for name, value in element.attrib.items()
        if name in ("title", "aria-label", "placeholder", "content", "data-label")
    )
    return tree.text_content() + " " + attributes


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_in_chinese_with_no_english_left_in_its_interface(client, path):
    response = client.get("/zh-hans" + path)
    assert response.status_code in (200, 404)
    html = response.content.decode()
    assert re.search(r'<html lang="zh-Hans">', html)
    text = chrome(html)
    # Every English string of the catalogue of two words or more: none may show on a Chinese page.
    left = sorted(
        english
        for english in (m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(CATALOGUE))
        if english and " " in english.strip() and "%(" not in english and english.strip() in text
    )
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


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/events.json", {}),  # an address in one language only
        ("/feed/", {}),
        ("/?person=meng-hongwei", {"HX-Request": "true"}),  # htmx asks for the page the reader is on
    ],
)
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
        links = {
            link.get("hreflang"): link.get("href")
            for link in lxml.html.fromstring(html).cssselect("link[rel=alternate][hreflang]")
        }
        assert links == {
            "en": "http://localhost/people/meng-hongwei/?kind=assembly",
            "x-default": "http://localhost/people/meng-hongwei/?kind=assembly",
            "zh-Hans": "http://localhost/zh-hans/people/meng-hongwei/?kind=assembly",
        }


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


@pytest.mark.parametrize(
    "typed, english, chinese",
    [
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
    ],
)
def test_dates_read_naturally_in_each_language(typed, english, chinese):
    from django.utils import translation

    from timeline.domain.dates import read

    when = read(typed)
    with translation.override("zh-hans"):
        assert when.label == chinese
        assert read(chinese) == when  # and a Chinese label reads back as the same date
    with translation.override("en-gb"):
        assert when.label == english


@pytest.mark.parametrize(
    "typed, same_as",
    [
        ("2017年9月", "September 2017"),
        ("2013年至2016年", "2013-2016"),
        ("2015年10月9日", "9 October 2015"),
        ("约2013年10月", "c. October 2013"),
        ("2013年10月左右", "c. October 2013"),
        ("2023年6月7日之前", "before 7 June 2023"),
        ("2014年底", "late 2014"),
        ("2014年初", "early 2014"),
        ("2015年以后", "after 2015"),
        ("1984年以来", "1984 onwards"),
        ("约2007年至2010年", "c. 2007-2010"),
        ("2017年9月26日至29日", "26-29 September 2017"),
    ],
)
def test_chinese_dates_are_read(typed, same_as):
    from timeline.domain.dates import read

    assert read(typed) == read(same_as)


def test_the_date_filters_take_chinese_dates_and_answer_in_chinese(client):
    html = client.get("/zh-hans/?from=2013年&to=2016年&person=meng-hongwei").content.decode()
    title = lxml.html.fromstring(html).findtext(".//title")
    assert title.startswith("孟宏伟，2013年至2016年：")
    assert client.get("/?from=2013年&to=2016年&person=meng-hongwei").content.decode().count("2013 to 2016") >= 1
    for typed, message in (
        ("2013年13月", "“2013年13月”不是真实的日期：没有 13 月；例如“2013年10月11日”"),
        ("2015年2月30日", "“2015年2月30日”不是真实的日期：2015年2月有 28 天；例如“2015年2月28日”。"),
        ("soon", "无法将“soon”识别为日期；"),
        ("2013年至2010年", "时间段的结束早于开始"),
    ):
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


# Seeded people whose standard Chinese name we could not confirm: they keep the Latin script.
# Names with no Chinese form confirmed on a stored Chinese page: shown in Latin letters, marked English.
UNCONFIRMED = {
    p["name"]
    for p in json.loads((settings.BASE_DIR / "fixtures/seed.json").read_text())["people"]
    if not p.get("name_zh")
}
assert {"Duan Daqi", "Nestor Roncaglia", "Ahmed Naser Al-Raisi"} <= UNCONFIRMED


def marked(root):
    """The texts a page shows in English for want of their Chinese (bilingual.Text marks them)."""
    return {element.text_content().strip() for element in root.cssselect("[lang=en].untranslated, option[lang=en]")}


def test_every_seeded_event_reads_in_chinese(client):
    """Issue 14: a reader of the Chinese timeline reads every seeded event in Chinese, with its sources; only the
    names without a confirmed Chinese form stay in English, marked."""
    seed = json.loads((settings.BASE_DIR / "fixtures/seed.json").read_text())
    timeline = lxml.html.fromstring(client.get("/zh-hans/").content)
    titles = [h.text_content().strip() for h in timeline.cssselect(".event h3")]
    assert titles and set(titles) <= {e["title_zh"] for e in seed["events"]}
    assert marked(timeline) <= UNCONFIRMED
    for item in seed["events"]:
        page = lxml.html.fromstring(client.get(f"/zh-hans/events/{item['slug']}/").content)
        assert page.cssselect("h1")[0].text_content() == item["title_zh"]
        assert item["summary_zh"] in page.cssselect("main")[0].text_content()
        roles = [r.text_content() for r in page.cssselect(".people .role")]
        assert roles == [p["role_zh"] for p in item.get("people", [])]
        assert marked(page) <= UNCONFIRMED, item["slug"]
        assert page.cssselect(".sources blockquote"), item["slug"]  # quotations stay in their source's language
    # The English timeline stays English, but for the quotations of Chinese sources, in their own language.
    english = lxml.html.fromstring(client.get("/").content)
    for quoted in english.cssselect("ul.sources, .languages"):
        quoted.drop_tree()
    assert not re.search(f"[{HAN}]", english.text_content())


@pytest.mark.parametrize(
    "path, selectors",
    [
        (
            "/?person=meng-hongwei",
            [
                ".event h3",
                ".event .place",
                ".event .name",
                ".event .role",
                ".event .tags a",
                ".event details > summary + p",
                "input[name=person] + .label",
                "input[name=crime] + .label",
                "#place option:not(:first-child)",
            ],
        ),
        (
            "/events/86th-general-assembly-2017/",
            [
                "h1",
                ".facts dd:nth-of-type(3)",
                ".facts dd a",
                ".people a",
                ".people .role",
                ".related a",
                ".prev-next a",
            ],
        ),
        ("/people/meng-hongwei/", ["h1"]),
        ("/crimes/cybercrime/", ["h1"]),
        ("/embed/?person=meng-hongwei", [".event h3 a", ".event .place"]),
    ],
)
def test_text_without_its_chinese_shows_in_english_marked(client, path, selectors):
    """Where a Chinese text is missing, the English shows, never a blank: with lang="en", so a screen reader
    reads it with an English voice (WCAG 3.1.2), and a quiet "EN" mark. English pages have neither."""
    Event.objects.update(title_zh="", summary_zh="")
    Involvement.objects.update(role_zh="")
    Place.objects.update(name_zh="")
    CrimeType.objects.update(name_zh="")
    Person.objects.update(name_zh="")
    cache.clear()
    chinese = lxml.html.fromstring(client.get("/zh-hans" + path).content)
    english = lxml.html.fromstring(client.get(path).content)
    for selector in selectors:
        found = chinese.cssselect(selector)
        assert found, selector
        for element in found:
            marks = [element] if element.get("lang") == "en" else element.cssselect(".untranslated[lang=en]")
            assert marks and all(m.text_content().strip() for m in marks), (selector, lxml.html.tostring(element))
        assert not [e for e in english.cssselect(selector) if e.get("lang") or e.cssselect("[lang]")], selector
    translated = chinese.cssselect("input[name=kind] + .label, input[name=stage] + .label, .kind, h2")
    assert not [element for element in translated if element.get("lang")]  # in the page's own language
    if not path.startswith("/embed/"):  # a page of its own, without the site's footer
        assert "标有 EN 的内容尚无中文" in chinese.cssselect("footer")[0].text_content()


def test_chinese_search_finds_what_its_english_counterpart_finds(client, settings):
    """Issue 14: 孟宏伟, 国际刑警 and 网络犯罪 find what "Meng Hongwei", "INTERPOL" and "cybercrime" find, on the
    timeline in either language (the search words hold Chinese as pairs of characters, domain/words.py)."""
    settings.TIMELINE_PAGE_SIZE = 200  # every match on one page

    def found(prefix, q):
        page = lxml.html.fromstring(client.get(f"{prefix}/", {"q": q}).content)
        return {a.get("href").split("/")[-2] for a in page.cssselect(".event h3 a")}

    for english, chinese in (
        ("Meng Hongwei", "孟宏伟"),
        ("INTERPOL", "国际刑警"),
        ("cybercrime", "网络犯罪"),
        ("Xiamen", "厦门"),
        ("red notice", "红色通缉令"),
    ):
        expected = found("", english)
        assert expected, english
        assert found("/zh-hans", chinese) == found("", chinese) == expected, chinese
    assert found("", "犯罪网络") != found("", "网络犯罪")  # the order of the characters counts


def test_the_json_comes_in_chinese_with_the_english_beside_it(client):
    """Issue 14: /events.json?lang=zh-hans has the shape README describes plus `lang`: the Chinese forms in the fields,
    the English beside them (`…_en`), and what is still English for want of Chinese named in `untranslated`."""
    english = client.get("/events.json", {"person": "meng-hongwei", "kind": "election"}).json()
    chinese = client.get("/events.json", {"person": "meng-hongwei", "kind": "election", "lang": "zh-hans"}).json()
    assert (english["lang"], chinese["lang"], english["count"], chinese["count"]) == ("en", "zh-hans", 1, 1)
    elected = chinese["events"][0]
    assert (
        english["events"][0]["title"] == elected["title_en"] == "Meng Hongwei elected INTERPOL President at "
        "the 85th General Assembly"
    )
    assert elected["title"] == "孟宏伟在第85届全体大会上当选国际刑警组织主席"
    assert (elected["display_date"], elected["display_date_en"]) == ("2016年11月10日", "10 November 2016")
    assert elected["place"] == {"name": "巴厘岛", "country": "印度尼西亚", "name_en": "Bali", "country_en": "Indonesia"}
    assert elected["people"][0] == {
        "name": "孟宏伟",
        "name_en": "Meng Hongwei",
        "slug": "meng-hongwei",
        "role": "中国公安部副部长；当选国际刑警组织主席，接替巴莱斯特拉齐",
        "role_en": "Vice-Minister of Public Security of China; elected INTERPOL President, "
        "succeeding Mireille Ballestrazzi",
    }
    assert elected["summary"].startswith("2016年11月10日，中国公安部副部长孟宏伟") and elected["summary_en"].startswith(
        "Meng Hongwei"
    )
    assert (elected["lang"], elected["untranslated"]) == ("zh-hans", [])
    citation = elected["citations"][0]  # in the language of its source, with our rendering of the source's title
    assert (
        citation["excerpt"].startswith("In 2016")
        and citation["source_title_zh"] == "打击全球犯罪：国际刑警组织促进国际警务合作"
    )
    # Every English field is where the English JSON has it; only the language's additions are new.
    assert set(english["events"][0]) | {
        "title_en",
        "summary_en",
        "display_date_en",
        "url_en",
        "lang",
        "untranslated",
    } == set(elected)
    assert not any(key.endswith("_en") for key in english["events"][0])

    # What has no Chinese yet shows in English, named.
    stock = client.get("/events.json", {"person": "jurgen-stock", "lang": "zh-hans", "q": "Duan"}).json()["events"][0]
    assert stock["untranslated"] == ["people.name"]
    assert [p["name"] for p in stock["people"]][-1] == "Duan Daqi"

    # The next page keeps the language; a wrong language, or a wrong filter, is a clear 400 in the asked language.
    assert client.get("/events.json", {"lang": "zh-hans"}).json()["next"].endswith("&lang=zh-hans")
    for junk in ("fr", "zh-hans2"):
        response = client.get("/events.json", {"lang": junk})
        assert response.status_code == 400 and "zh-hans" in response.json()["errors"]["lang"]
    assert (
        "无法将“soon”识别为日期"
        in client.get("/events.json", {"lang": "zh-hans", "from": "soon"}).json()["errors"]["from"]
    )
    assert client.get("/events.json", {"lang": "fr"}).status_code == 400  # after an English page was cached


@pytest.mark.parametrize(
    "typed, message",
    [
        ("9th", "“9th”是序数词，不是日期；例如“2013年10月11日”"),
        (
            "5/6/2015",
            "“5/6/2015”可能是2015年6月5日（日在前），也可能是2015年5月6日（月在前）：请写明月份，例如“2015年6月5日”。",
        ),
        ("31/31/2015", "无论日在前还是月在前都不是真实的日期；请写明月份，例如“2015年10月9日”。"),
        ("13/2015", "“13/2015”：“13”不是月份；请写明月份，例如“2015年3月”或“2015年3月13日”。"),
        ("40/2015", "“40/2015”：“40”不是月份；请写明月份，例如“2015年3月”。"),
        ("5/2015x", "无法将“5/2015x”识别为日期"),
        ("the 90s", "“the 90s”：请完整写出年代，例如“1990年代”。"),
        ("Q3", "“Q3”需要年份，例如“Q3 2015”。"),
        ("H3 2015", "一年只分上下两个半年，例如“H1 2015”或“H2 2015”。"),
        ("13/0000", "“13”不是月份"),
    ],
)
def test_the_rarer_date_messages_are_in_chinese_too(client, typed, message):
    error = lxml.html.fromstring(client.get("/zh-hans/", {"from": typed}).content).get_element_by_id("from-error")
    assert message in error.text_content()


def test_a_decade_reads_in_chinese():
    from timeline.domain.dates import read

    assert read("1990年代") == read("the 1990s")


def test_a_long_chinese_search_is_read_and_a_too_long_one_is_refused_in_words(client):
    """Chinese counts by its characters, not by the pairs it is searched with: an 11-character name is one
    search, 31 characters are refused with a message, never a server error."""
    page = client.get("/zh-hans/", {"q": "中华人民共和国公安部部长"})
    assert page.status_code == 200 and 'id="q-error"' in page.content.decode()
    assert not lxml.html.fromstring(page.content).get_element_by_id("q-error").text_content().strip()
    refused = client.get("/events.json", {"q": "国" * 31, "lang": "zh-hans"})
    assert refused.status_code == 400 and "30" in refused.json()["errors"]["q"]


def test_a_chinese_page_offers_its_json_in_chinese(client):
    page = lxml.html.fromstring(client.get("/zh-hans/", {"person": "meng-hongwei"}).content)
    links = [
        a.get("href") for a in page.cssselect(".downloads a, link[type='application/json']") if "json" in a.get("href")
    ]
    assert links and all(href.endswith("lang=zh-hans") for href in links if "events.json" in href), links
    english = lxml.html.fromstring(client.get("/", {"person": "meng-hongwei"}).content)
    assert not [a for a in english.cssselect("a, link") if "lang=" in (a.get("href") or "")]
    assert client.get("/events.json", {"lang": "zh-hans "}).json()["lang"] == "zh-hans"  # read as the cache keys it


def test_a_language_parameter_makes_no_new_copy_of_a_page():
    from django.http import QueryDict

    from timeline.browse.caching import canonical_query

    assert canonical_query(QueryDict("lang=x&kind=visit")) == canonical_query(QueryDict("kind=visit"))
    assert (
        canonical_query(QueryDict("lang=x"), json=True) == canonical_query(QueryDict("lang=y"), json=True) == "lang=?"
    )
    assert canonical_query(QueryDict("lang=zh-hans"), json=True) == "lang=zh-hans"


def test_a_crime_type_without_its_chinese_keeps_its_english_marked_in_the_sentence_too(client):
    CrimeType.objects.filter(slug="corruption").update(name_zh="")
    cache.clear()
    lede = lxml.html.fromstring(client.get("/zh-hans/crimes/corruption/").content).cssselect(".lede")[0]
    assert [e.text_content() for e in lede.cssselect("[lang=en]")] == ["Corruption"]


def test_how_we_know_a_source_is_marked_english_on_a_chinese_page(client):
    source = Source.objects.exclude(note="").first()
    page = lxml.html.fromstring(client.get(f"/zh-hans/sources/{source.slug}/").content)
    assert page.cssselect("dd [lang=en]")[0].text_content() == source.note


def test_a_source_title_reads_in_chinese_where_written_and_is_never_marked_english(client):
    """On its page, in the list and under an event that cites it. Without a Chinese rendering the title stays as
    the document gives it, unmarked: a source may itself be in Chinese."""
    # The oldest, so on the first page of the list.
    source = (
        Source.objects.exclude(title_zh="")
        .filter(citations__event__status="published")
        .exclude(published_start=None)
        .order_by("published_start", "title")
        .first()
    )
    event = Event.objects.published().filter(citations__source=source).first()
    pages = {
        "detail": (f"/zh-hans/sources/{source.slug}/", "h1"),
        "list": ("/zh-hans/sources/", f"th a[href$='/sources/{source.slug}/']"),
        "event": (
            event.get_absolute_url().replace("/events/", "/zh-hans/events/", 1),
            f"cite a[href$='/sources/{source.slug}/']",
        ),
    }
    for title in (source.title_zh, source.title):
        for name, (path, selector) in pages.items():
            found = lxml.html.fromstring(client.get(path).content).cssselect(selector)[0]
            assert (found.text_content().strip(), found.cssselect("[lang]")) == (title, []), name
        Source.objects.filter(pk=source.pk).update(title_zh="")
        cache.clear()


def test_a_chinese_page_lists_names_in_pinyin_order(client):
    """As Chinese lists are sorted: 郭声琨 (guo) before 廖进荣 (liao) before 孟宏伟 (meng); Duan Daqi, still in English,
    among them by its letters. English pages keep the English order."""
    page = lxml.html.fromstring(client.get("/zh-hans/").content)
    people = [label.text_content() for label in page.cssselect("input[name=person] + span")]
    assert (
        people.index("Duan Daqi")
        < people.index("郭声琨")
        < people.index("廖进荣")
        < people.index("孟宏伟")
        < people.index("习近平")
    ), people
    crimes = [label.text_content() for label in page.cssselect("input[name=crime] + span")]
    assert crimes[:3] == ["毒品贩运", "非法赌博", "腐败"], crimes  # du, fei, fu
    english = lxml.html.fromstring(client.get("/").content)
    names = [label.text_content() for label in english.cssselect("input[name=person] + span")]
    assert names == sorted(names), names

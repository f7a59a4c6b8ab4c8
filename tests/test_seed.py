"""Integrity of the seed chronology: sourced, honestly dated, one person per human being."""

import datetime as dt
import re
import unicodedata

import pytest

from tests.conftest import blank_long_addresses
from timeline.models import CrimeType, Event, Person, Place, Source

pytestmark = pytest.mark.usefixtures("seeded")

SEED_FILES = {
    "000_f18ad25052563e3f.txt",
    "001_16e5e8e9acfbe4a6.txt",
    "002_0c7ef7380e911eec.txt",
    "003_a12253bc96be7271.txt",
    "004_2b98c5c21dc7bccb.txt",
}


def folded(name):
    """A name with accents, case, punctuation and word order taken out."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(sorted(re.findall(r"[a-z]+", plain)))


def test_every_seed_document_is_one_source():
    documents = Source.objects.exclude(seed_file="")
    assert set(documents.values_list("seed_file", flat=True)) == SEED_FILES
    for source in Source.objects.all():
        assert source.title and source.slug and source.note  # how we know, for every source
    assert all(source.published is not None for source in documents)
    # Publisher and original address of each, as found on the original publications (issue 11).
    assert {s.seed_file[:3]: (s.publisher, s.url.split("/")[2]) for s in documents} == {
        "000": ("INTERPOL", "www.interpol.int"),
        "001": ("INTERPOL", "www.interpol.int"),
        "002": ("China Daily", "usa.chinadaily.com.cn"),
        "003": ("CGTN", "news.cgtn.com"),
        "004": ("INTERPOL", "www.interpol.int"),
    }


def test_the_further_reporting_is_cited_from_its_real_addresses():
    further = {
        s.slug: (s.publisher, s.url, s.published.label if s.published else None, s.date_inferred)
        for s in Source.objects.filter(seed_file="")
    }
    # Issue 26's research: every page read in a stored copy, its address as found, its excerpts checked that day.
    for source in Source.objects.filter(seed_file="", checked__isnull=False):
        assert source.url.startswith(("http://", "https://")) and source.note, source.slug
        assert source.publisher or "Publisher" in source.note, source.slug  # unknown, and said so
    assert Source.objects.filter(seed_file="", checked__isnull=False).count() > 200
    assert max(len(s.url) for s in Source.objects.all()) > 200  # a stored copy's long address, kept whole
    assert (
        further.items()
        >= {
            "beijing-review-2016-11-11-meng-elected": (
                "Beijing Review",
                "http://www.bjreview.com/China/201611/t20161111_800071450.html",
                "11 November 2016",
                False,
            ),
            "the-hindu-2016-11-10-meng-elected": (
                "The Hindu",
                "http://www.thehindu.com/news/international/chinese-minister-elected-interpol-president/"
                "article9327919.ece",
                "10 November 2016",
                False,
            ),
            "china-daily-2017-09-27-xi-pledges": (
                "China Daily",
                "http://i.chinadaily.com.cn/newsdata/news/201709/27/471041/article.html",
                "27 September 2017",
                False,
            ),
            "pakistan-today-2017-09-30-new-members": (
                "Pakistan Today",
                "https://www.pakistantoday.com.pk/2017/09/30/two-countries-become-new-members-at-interpol-"
                "general-assembly/",
                "30 September 2017",
                True,
            ),
            "china-gate-2015-05-23-xia-stock": (
                "Xinhua, via China Gate",
                "http://en.chinagate.cn/2015-05/23/content_35642466.htm",
                "23 May 2015",
                False,
            ),
            "peoples-daily-2023-04-19-wang-stock": (
                "People's Daily Online, from Xinhua",
                "http://en.people.cn/n3/2023/0419/c90000-20007804.html",
                "19 April 2023",
                False,
            ),
            # The page has no date: none is given.
            "interpol-member-country-china": (
                "INTERPOL",
                "https://www.interpol.int/en/Member-countries/Asia-South-Pacific/China",
                None,
                False,
            ),
        }.items()
    )


def test_sources_are_dated_as_precisely_as_the_documents_allow():
    labels = {s.seed_file[:3]: s.published.label for s in Source.objects.exclude(seed_file="")}
    assert labels == {
        "000": "11 October 2013",
        "001": "9 October 2015",
        "002": "27 September 2017",
        "003": "before 26 September 2017",
        "004": "7 June 2023",
    }


def test_over_a_hundred_events_all_published():
    # Issue 26: the five documents' 28 events and the milestones the further reporting supports.
    assert Event.objects.count() > 100
    assert Event.objects.published().count() == Event.objects.count()


def test_every_event_is_cited_with_short_quoted_excerpts():
    for event in Event.objects.prefetch_related("citations"):
        citations = list(event.citations.all())
        assert citations, f"{event.slug} has no citation"
        for citation in citations:
            if len(re.findall(r"[\u4e00-\u9fff]", citation.excerpt)) > 5:  # Chinese: no spaces, counted in characters
                assert 8 <= len(citation.excerpt) <= 80, (event.slug, citation.excerpt)
                continue
            words = citation.excerpt.replace("…", " ").split()
            assert 3 <= len(words) <= 25, (event.slug, citation.excerpt)


def test_every_date_is_within_1984_to_2023():
    for event in Event.objects.all():
        assert dt.date(1984, 1, 1) <= event.start <= event.end <= dt.date(2023, 12, 31), event.slug
        when = event.when
        assert event.summary and event.kind and when.label


def test_summaries_are_our_own_words():
    # A summary must not copy its excerpts: no run of eight words taken over whole.
    for event in Event.objects.prefetch_related("citations"):
        summary = " ".join(re.findall(r"\w+", event.summary.lower()))
        for citation in event.citations.all():
            words = re.findall(r"\w+", citation.excerpt.lower())
            for i in range(len(words) - 7):
                assert " ".join(words[i : i + 8]) not in summary, (event.slug, words[i : i + 8])


@pytest.mark.parametrize(
    "slug, label, edtf",
    [
        # Liu Wen's accounts and Xinhua give the day; Beijing Review the month, CGTN only the year.
        ("china-legal-status-restored-1984", "5 September 1984", "1984-09-05"),
        ("prc-applies-for-interpol-membership-1984", "May 1984", "1984-05"),
        ("soga-operations-2007-2010", "2007–2010", "2007/2010"),
        # "In May and June", INTERPOL's release of 25 September 2013.
        ("operation-hurricane", "May–June 2013", "2013-05/2013-06"),
        ("illicit-trade-training-2013", "September 2013", "2013-09"),
        # Releases that report a visit as over, without its day: on or before the release's date, not "c.".
        ("liao-jinrong-visits-interpol-2013", "by 11 October 2013", "[..2013-10-11]"),
        ("jurgen-stock-visits-china-2015", "by 9 October 2015", "[..2015-10-09]"),
        ("china-seconds-officers-to-general-secretariat-by-2013", "by 11 October 2013", "[..2013-10-11]"),
        # "Met Friday" in Xinhua's report of Saturday 23 May 2015.
        ("xia-chongyuan-meets-jurgen-stock-2015", "22 May 2015", "2015-05-22"),
        ("meng-hongwei-elected-president-2016", "10 November 2016", "2016-11-10"),
        ("igci-due-to-open-2014", "late 2014", "2014-39~"),
        # "Last month" in the release of 9 October 2015.
        ("xiamen-cybercrime-meeting-2015", "September 2015", "2015-09"),
        # Opening day from CGTN and China Daily; "four-day", and "ended … Friday" in a report of 30 September.
        ("86th-general-assembly-2017", "26–29 September 2017", "2017-09-26/2017-09-29"),
        ("86th-general-assembly-closes-2017", "29 September 2017", "2017-09-29"),
        # "In the next five years", from September 2017: our reading, so approximate.
        ("china-pledges-law-enforcement-institute-training", "c. September 2017 – September 2022", "2017-09~/2022-09~"),
        # "On Tuesday" in an undated article: the day another document gives.
        ("guo-shengkun-terrorist-suspects-2017", "26 September 2017", "2017-09-26"),
        ("heads-of-ncb-conference-2023", "7–9 June 2023", "2023-06-07/2023-06-09"),
        ("operation-trigger-ix", "12 March – 2 April 2023", "2023-03-12/2023-04-02"),
        # The 2018 case: no day that no source gives.
        ("meng-hongwei-reported-missing-2018", "by 5 October 2018", "[..2018-10-05]"),
        ("meng-resignation-received-2018", "7 October 2018", "2018-10-07"),
        ("kim-jong-yang-elected-president-2018", "21 November 2018", "2018-11-21"),
        ("meng-sentenced-tianjin-2020", "21 January 2020", "2020-01-21"),
        ("hundred-red-notice-fugitives-list-2015", "22 April 2015", "2015-04-22"),
        ("i-can-project-by-2023", "by 7 June 2023", "[..2023-06-07]"),
        ("wang-xiaohong-meets-jurgen-stock-2023", "18 April 2023", "2023-04-18"),
    ],
)
def test_honest_dates(slug, label, edtf):
    when = Event.objects.get(slug=slug).when
    assert (when.label, when.edtf) == (label, edtf)


def test_one_person_per_human_being():
    seen = {}
    for person in Person.objects.prefetch_related("aliases"):
        for name in [person.name, *(a.name for a in person.aliases.all())]:
            key = folded(name)
            assert seen.setdefault(key, person.slug) == person.slug, f"{name!r} names two people"


def test_both_spellings_of_liao_are_one_person():
    liao = Person.objects.get(aliases__name="Jingrong Liao")
    assert liao.name == "Liao Jinrong"
    assert set(liao.events.values_list("slug", flat=True)) == {
        "liao-jinrong-visits-interpol-2013",
        "jurgen-stock-visits-china-2015",
        "liao-jinrong-leads-delegation-81st-general-assembly-2012",
        "hrw-letter-on-china-red-notices-2017",
    }


def test_no_orphans():
    assert not Person.objects.filter(involvements__isnull=True).exists()
    assert not CrimeType.objects.filter(events__isnull=True).exists()
    assert not Place.objects.filter(events__isnull=True).exists()


def test_every_persons_events_name_them_with_a_role():
    # Each event a person is on names them (by a part of their name or an
    # alias) in its summary, with a role at that time.
    for person in Person.objects.prefetch_related("aliases", "involvements__event"):
        names = {person.name, *(a.name for a in person.aliases.all())}
        tokens = {t for n in names for t in re.findall(r"\w{3,}", n)}
        for involvement in person.involvements.all():
            assert involvement.role.strip(), (person.slug, involvement.event.slug)
            assert any(t in involvement.event.summary for t in tokens), (person.slug, involvement.event.slug)


def test_roles_follow_the_timeline():
    # Meng Hongwei is INTERPOL President only from his 2016 election on.
    for involvement in Person.objects.get(slug="meng-hongwei").involvements.select_related("event"):
        if "INTERPOL President" in involvement.role and "elected" not in involvement.role:
            assert involvement.event.start.year >= 2017


@pytest.mark.django_db(transaction=True)
def test_a_database_seeded_before_the_addresses_were_known_gets_them():
    from django.core.management import call_command

    blank_long_addresses()
    call_command("migrate", "timeline", "0010", verbosity=0)
    Source.objects.filter(seed_file__startswith="002").update(
        url="",
        publisher="",
        note="Neither publisher nor date is given. No URL is known.",
        published_start=dt.date(2017, 9, 1),
        published_end=dt.date(2017, 9, 30),
        published_precision="month",
        published_qualifier="approximate",
    )
    Source.objects.filter(seed_file__startswith="004").update(url="", note="An editor's own note.")
    call_command("migrate", verbosity=0)
    daily = Source.objects.get(seed_file__startswith="002")
    assert (daily.publisher, daily.published.label) == ("China Daily", "27 September 2017")
    assert daily.url.startswith("http://usa.chinadaily.com.cn/") and "address" in daily.note
    assert Source.objects.get(seed_file__startswith="004").note == "An editor's own note."
    # Search still answers after the tables were rebuilt both ways (migration 0017 remakes the FTS triggers).
    event = Event.objects.get(slug="operation-hurricane")
    event.summary += " Zanzibar."
    event.save()
    assert list(Event.objects.filter(search_text__word="zanzibar").values_list("slug", flat=True)) == [event.slug]


def test_every_seeded_event_has_its_chinese_and_the_people_their_standard_names():
    """Issue 14: the seed's events, roles, places, crime types and sources' titles in Chinese; names in their
    standard Chinese forms, where we could confirm one."""
    for event in Event.objects.prefetch_related("involvements"):
        assert event.missing_chinese() == [], event.slug
    assert not Place.objects.filter(name_zh="").exists() and not CrimeType.objects.filter(name_zh="").exists()
    # Our rendering of every title not already in Chinese (a Chinese title needs none).
    for source in Source.objects.filter(title_zh=""):
        assert re.search(r"[\u4e00-\u9fff]", source.title), source.slug
    names = dict(Person.objects.values_list("slug", "name_zh"))
    assert (names["meng-hongwei"], names["xi-jinping"], names["guo-shengkun"]) == ("孟宏伟", "习近平", "郭声琨")
    assert names["duan-daqi"] == ""  # no confirmed Chinese form: the Latin script, marked EN on Chinese pages


def test_a_database_seeded_before_the_chinese_gets_it_without_losing_an_edit(tmp_path):
    """load_seed fills a blank Chinese field of a record it loaded before, where the English is still the
    seed's; an editor's own Chinese, and an event whose English an editor changed, are left as they are."""
    import json

    from django.conf import settings
    from django.core.management import call_command

    Event.objects.update(title_zh="", summary_zh="", disagreement_zh="")
    Place.objects.update(name_zh="", country_zh="")
    meng = Event.objects.get(slug="meng-hongwei-elected-president-2016")
    meng.involvements.update(role_zh="")
    Event.objects.filter(slug="operation-hurricane").update(title="Operation Hurricane (edited)")
    Event.objects.filter(slug="operation-trigger-ix").update(title_zh="编辑写的标题")
    call_command("load_seed", verbosity=0)
    seed = {e["slug"]: e for e in json.loads((settings.BASE_DIR / "fixtures/seed.json").read_text())["events"]}
    meng.refresh_from_db()
    assert (meng.title_zh, meng.summary_zh) == (seed[meng.slug]["title_zh"], seed[meng.slug]["summary_zh"])
    assert meng.involvements.get(person__slug="meng-hongwei").role_zh == seed[meng.slug]["people"][0]["role_zh"]
    assert Place.objects.get(slug="lyon-france").chinese == "法国里昂"
    hurricane = Event.objects.get(slug="operation-hurricane")
    assert hurricane.title_zh == "" and hurricane.summary_zh == seed["operation-hurricane"]["summary_zh"]
    assert Event.objects.get(slug="operation-trigger-ix").title_zh == "编辑写的标题"
    assert "孟宏 宏伟" in meng.search_text  # its search words in Chinese too

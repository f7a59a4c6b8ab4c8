"""Word search: the same results on SQLite (LIKE on the words) and PostgreSQL (full-text index).

`make test` runs this on SQLite and `make test-postgres` on PostgreSQL, with the
same expectations: that is the parity test.
"""

import pytest
from django.db import connection
from django.http import QueryDict

from timeline.browse import queries
from timeline.browse.filters import Filters
from timeline.models import Alias, Event, Involvement, Person, Place

pytestmark = pytest.mark.usefixtures("seeded")


def events_of(person):
    return {*Event.objects.filter(involvements__person__slug=person).values_list("slug", flat=True)}


LIAO = {
    "jurgen-stock-visits-china-2015",
    "liao-jinrong-visits-interpol-2013",
    "liao-jinrong-leads-delegation-81st-general-assembly-2012",
    "hrw-letter-on-china-red-notices-2017",
}
# Meng Hongwei's own events, and those whose summary names him (in both languages, as "meng" finds).
NAMING_MENG = {
    "87th-general-assembly-dubai-2018",
    "grace-meng-granted-asylum-2019",
    "grace-meng-arbitration-claim-against-interpol-2019",
    "hrw-letter-on-china-red-notices-2017",
    "kim-jong-yang-acting-president-2018",
    "kim-jong-yang-elected-president-2018",
    "red-notice-concerns-and-roncaglia-answer",
    "stock-says-interpol-must-accept-resignation-2018",
}
# Jürgen Stock's own events, and two whose summaries name him.
NAMING_STOCK = {"china-to-second-additional-officers-2015", "hrw-letter-on-china-red-notices-2017"}
GENERAL_ASSEMBLY = [
    "64th-general-assembly-1995",
    "86th-general-assembly-2017",
    "86th-general-assembly-closes-2017",
    "87th-general-assembly-dubai-2018",
    "al-raisi-elected-president-2021",
    "china-defends-hu-binchen-candidacy-2021",
    "china-legal-status-restored-1984",
    "china-pledges-communication-systems-crime-labs",
    "china-pledges-law-enforcement-institute-training",
    "chinese-delegation-90th-general-assembly-2022",
    "chinese-delegation-91st-general-assembly-2023",
    "chinese-reception-85th-general-assembly-2016",
    "guo-shengkun-terrorist-suspects-2017",
    "hrw-letter-on-china-red-notices-2017",
    "hu-binchen-elected-executive-committee-2021",
    "interpol-cites-1984-decision-on-taiwan-dubai-2018",
    "interpol-special-operations-2016",
    "jurgen-stock-on-taiwan-observer-status-new-delhi-2022",
    "kim-jong-yang-acting-president-2018",
    "kim-jong-yang-elected-president-2018",
    "liao-jinrong-leads-delegation-81st-general-assembly-2012",
    "meng-hongwei-elected-president-2016",
    "meng-hongwei-leads-delegation-78th-general-assembly-2009",
    "meng-hongwei-leads-delegation-83rd-general-assembly-2014",
    "meng-hongwei-remarks-86th-general-assembly",
    "safeguard-defenders-no-room-to-run-2021",
    "taiwan-not-invited-91st-general-assembly-vienna-2023",
    "taiwan-observer-bid-85th-general-assembly-declined-2016",
    "taiwan-observer-bid-89th-general-assembly-istanbul-2021",
    "taiwan-observer-issue-88th-general-assembly-santiago-2019",
    "xi-jinping-opens-86th-general-assembly",
]
CYBER = {
    "heads-of-ncb-conference-2023",
    "jurgen-stock-visits-china-2015",
    "meng-hongwei-opens-interpol-world-2017",
    "xi-jinping-opens-86th-general-assembly",
    "xiamen-cybercrime-meeting-2015",
}
# Expected slugs; a callable where they are a person's events (read from the database the test runs on).
EXPECTED = {
    "Jingrong": LIAO,  # an alias
    "jinrong": LIAO | {"igci-due-to-open-2014"},  # the IGCI summary names Liao too
    "liao": LIAO | {"igci-due-to-open-2014"},
    "xiamen": {"xiamen-cybercrime-meeting-2015"},  # a place
    "孟宏伟": lambda: events_of("meng-hongwei") | NAMING_MENG,  # a Chinese name
    "孟": lambda: events_of("meng-hongwei") | NAMING_MENG | {"meng-jianzhu-meets-noble-2008"},  # 孟建柱 too: a prefix
    "宏伟": lambda: events_of("meng-hongwei") | NAMING_MENG,  # inside a run of Chinese characters
    "网络犯罪": CYBER,
    "jurgen": lambda: events_of("jurgen-stock") | NAMING_STOCK,  # without the accent
    "Jürgen": lambda: events_of("jurgen-stock") | NAMING_STOCK,
    "al-raisi": {
        "al-raisi-elected-president-2021",
        "heads-of-ncb-conference-2023",
        "hu-binchen-elected-executive-committee-2021",
    },
    # Every word must match: eleven more events name Lyon but not Noble.
    "Lyon Noble": {
        "china-seconds-officers-to-general-secretariat-by-2013",
        "interpol-support-beijing-olympics-2008",
        "liao-jinrong-visits-interpol-2013",
    },
    # Words, not crime types: the 86th General Assembly's two events are filed under cybercrime but do not say it.
    "cyber": CYBER | {"operation-haechi-ii-2021"},
    "general assembly": set(GENERAL_ASSEMBLY),
    # A place's country (Lyon, France), and summaries that say France.
    "FRANCE": {
        "china-seconds-officers-to-general-secretariat-by-2013",
        "grace-meng-ap-interview-2021",
        "grace-meng-granted-asylum-2019",
        "grace-meng-interviews-october-2018",
        "grace-meng-press-conference-lyon-2018",
        "interpol-requests-clarification-from-china-2018",
        "kim-jong-yang-acting-president-2018",
        "liao-jinrong-visits-interpol-2013",
        "meng-hongwei-elected-president-2016",
        "meng-hongwei-reported-missing-2018",
        "meng-resignation-received-2018",
        "operation-soga-vi-2016",
        "stock-says-interpol-must-accept-resignation-2018",
        "xia-chongyuan-meets-jurgen-stock-2015",
    },
    "firearms": {"operation-trigger-ix"},
    "oncaglia": set(),  # inside a word (Roncaglia), not at its start
    "zebra": set(),
    "o'clock": set(),
    # "100" and the words starting with it ("100th"): the list of 100 fugitives, the centenary, counts.
    "100%": {
        "china-pledges-communication-systems-crime-labs",
        "chinese-delegation-91st-general-assembly-2023",
        "dai-xuemin-first-of-100-captured-2015",
        "forty-of-hundred-returned-2017",
        "guo-jiefang-returns-2023",
        "guo-xin-returns-2017",
        "hundred-red-notice-fugitives-list-2015",
        "interpol-centenary-2023",
        "operation-haechi-ii-2021",
        "operation-soga-v-2014",
        "operation-soga-vi-2016",
        "operation-storm-ii-2009",
        "sixty-of-hundred-returned-2019",
        "yang-jinjun-repatriated-from-us-2015",
        "yang-xiuzhu-returns-2016",
    },
}


@pytest.mark.parametrize("q, expected", EXPECTED.items())
def test_search_results(q, expected):
    expected = expected() if callable(expected) else expected
    filters = Filters.parse(QueryDict(f"q={q}"))
    assert set(queries.matching(filters).values_list("slug", flat=True)) == expected


def test_search_text_follows_edits():
    def found(q):
        return set(queries.matching(Filters.parse(QueryDict(f"q={q}"))).values_list("slug", flat=True))

    liao = Person.objects.get(slug="liao-jinrong")
    assert events_of("liao-jinrong") == LIAO
    Alias.objects.create(person=liao, name="Liao Jin-rong")
    assert found("jin-rong") == LIAO
    liao.name_zh = "廖晋荣"  # another writing, in no summary: found through the person alone
    liao.save()
    assert found("廖晋荣") == LIAO
    Place.objects.filter(slug="xiamen-china").update(name="Amoy")  # update(): no signal...
    Place.objects.get(slug="xiamen-china").save()  # ...a save brings the words up to date
    assert found("amoy") == {"xiamen-cybercrime-meeting-2015"}
    Involvement.objects.filter(person=liao, event__slug="liao-jinrong-visits-interpol-2013").delete()
    assert found("jingrong") == LIAO - {"liao-jinrong-visits-interpol-2013"}
    event = Event.objects.get(slug="operation-trigger-ix")
    event.summary = "Rewritten about smuggled weapons."
    event.save()
    assert found("smuggled") == {"operation-trigger-ix"}


def test_each_database_uses_its_own_full_text_index():
    if connection.vendor == "sqlite":
        events = queries.matching(Filters.parse(QueryDict("q=liao")))
        assert "timeline_event_fts MATCH" in str(events.query) and "LIKE" not in str(events.query)
        plan = events.explain()
        assert "VIRTUAL TABLE INDEX" in plan and "timeline_event_fts" in plan
        return
    sql = str(queries.matching(Filters.parse(QueryDict("q=liao"))).query)
    assert "\"search_vector\" @@ to_tsquery('simple'" in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'event_search_vector'")
        assert "gin (search_vector)" in cursor.fetchone()[0]
        # Stored, and kept by PostgreSQL itself from the search text.
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns "
            "WHERE table_name = 'timeline_event' AND column_name = 'search_vector'"
        )
        assert "to_tsvector('simple'::regconfig, search_text)" in cursor.fetchone()[0]


def test_the_full_text_index_follows_every_write():
    """The index (FTS5 kept by triggers, PostgreSQL's stored tsvector) finds exactly the events whose words start
    with the search word, after edits, deletes and bulk writes."""
    from django.core.management import call_command

    def by_index(word):
        return set(Event.objects.filter(search_text__word=word).values_list("pk", flat=True))

    def by_words(word):
        return {
            pk
            for pk, text in Event.objects.values_list("pk", "search_text")
            if any(w.startswith(word) for w in text.split())
        }

    call_command("generate_events", "--count", "200", "--seed", "2", verbosity=0)
    event = Event.objects.get(slug="liao-jinrong-visits-interpol-2013")
    event.title = "Zanzibarian renaming"
    event.save()
    gone = Event.objects.get(slug="xiamen-cybercrime-meeting-2015")
    Event.objects.filter(pk=gone.pk).delete()
    Event.objects.filter(synthetic=True, kind="visit").update(search_text=" bulkword ")
    words = ["zanzibarian", "xiamen", "liao", "bulkword", "official", "police", "kunming", "zhang", "孟"]
    for word in words:
        assert by_index(word) == by_words(word), word
    assert by_index("zanzibarian") == {event.pk} and by_index("bulkword") and gone.pk not in by_index("xiamen")
    call_command("generate_events", "--clear", verbosity=0)
    for word in words:
        assert by_index(word) == by_words(word), word

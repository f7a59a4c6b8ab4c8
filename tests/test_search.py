"""Word search: the same results on SQLite (LIKE on the words) and PostgreSQL (full-text index).

`make test` runs this on SQLite and `make test-postgres` on PostgreSQL, with the
same expectations: that is the parity test.
"""

import pytest
from django.db import connection
from django.http import QueryDict

from timeline import queries
from timeline.filters import Filters
from timeline.models import Alias, Event, Involvement, Person, Place

pytestmark = pytest.mark.usefixtures("seeded")

LIAO = ["jurgen-stock-visits-china-2015", "liao-jinrong-visits-interpol-2013"]
MENG = ["86th-general-assembly-2017", "meng-hongwei-elected-president-2016", "meng-hongwei-remarks-86th-general-assembly",
        "xi-jinping-opens-86th-general-assembly"]
# Jürgen Stock's own events, and one whose summary names him.
STOCK = ["china-to-second-additional-officers-2015", "heads-of-ncb-conference-2023", "i-can-project-by-2023",
         "jurgen-stock-visits-china-2015", "wang-xiaohong-meets-jurgen-stock-2023", "xia-chongyuan-meets-jurgen-stock-2015"]
EXPECTED = {
    "Jingrong": LIAO,  # an alias
    "jinrong": ["igci-due-to-open-2014", *LIAO],  # the IGCI summary names Liao too
    "liao": ["igci-due-to-open-2014", *LIAO],
    "xiamen": ["xiamen-cybercrime-meeting-2015"],  # a place
    # A Chinese name: his events, and one whose summary names him (in both languages, as "meng" finds).
    "孟宏伟": sorted([*MENG, "red-notice-concerns-and-roncaglia-answer"]),
    "孟": sorted([*MENG, "red-notice-concerns-and-roncaglia-answer"]),  # its first character: a prefix
    "宏伟": sorted([*MENG, "red-notice-concerns-and-roncaglia-answer"]),  # inside a run of Chinese characters
    "网络犯罪": ["heads-of-ncb-conference-2023", "jurgen-stock-visits-china-2015",
             "xi-jinping-opens-86th-general-assembly", "xiamen-cybercrime-meeting-2015"],  # as "cyber" finds
    "jurgen": STOCK,  # without the accent
    "Jürgen": STOCK,
    "al-raisi": ["heads-of-ncb-conference-2023"],
    # Every word must match: three more events name Lyon but not Noble.
    "Lyon Noble": ["china-seconds-officers-to-general-secretariat-by-2013", "liao-jinrong-visits-interpol-2013"],
    # Words, not crime types: the 86th General Assembly's two events are filed under cybercrime but do not say it.
    "cyber": ["heads-of-ncb-conference-2023", "jurgen-stock-visits-china-2015", "xi-jinping-opens-86th-general-assembly",
              "xiamen-cybercrime-meeting-2015"],
    "general assembly": ["64th-general-assembly-1995", "86th-general-assembly-2017", "86th-general-assembly-closes-2017",
                         "china-pledges-communication-systems-crime-labs",
                         "china-pledges-law-enforcement-institute-training", "guo-shengkun-terrorist-suspects-2017",
                         "interpol-special-operations-2016", "meng-hongwei-elected-president-2016",
                         "meng-hongwei-remarks-86th-general-assembly", "xi-jinping-opens-86th-general-assembly"],
    # Lyon, France's three events (a place's country), and a summary's "Mireille Ballestrazzi of France".
    "FRANCE": ["china-seconds-officers-to-general-secretariat-by-2013", "liao-jinrong-visits-interpol-2013",
               "meng-hongwei-elected-president-2016", "xia-chongyuan-meets-jurgen-stock-2015"],
    "firearms": ["operation-trigger-ix"],
    "oncaglia": [],  # inside a word (Roncaglia), not at its start
    "zebra": [],
    "o'clock": [],
    "100%": ["china-pledges-communication-systems-crime-labs", "interpol-centenary-2023"],
}


@pytest.mark.parametrize("q, expected", EXPECTED.items())
def test_search_results(q, expected):
    filters = Filters.parse(QueryDict(f"q={q}"))
    assert sorted(queries.matching(filters).values_list("slug", flat=True)) == expected


def test_search_text_follows_edits():
    def found(q):
        return set(queries.matching(Filters.parse(QueryDict(f"q={q}"))).values_list("slug", flat=True))

    liao = Person.objects.get(slug="liao-jinrong")
    Alias.objects.create(person=liao, name="Liao Jin-rong")
    assert found("jin-rong") == set(LIAO)
    liao.chinese_name = "廖晋荣"  # another writing, in no summary: found through the person alone
    liao.save()
    assert found("廖晋荣") == set(LIAO)
    Place.objects.filter(slug="xiamen-china").update(name="Amoy")  # update(): no signal...
    Place.objects.get(slug="xiamen-china").save()  # ...a save brings the words up to date
    assert found("amoy") == {"xiamen-cybercrime-meeting-2015"}
    Involvement.objects.filter(person=liao, event__slug="liao-jinrong-visits-interpol-2013").delete()
    assert found("jingrong") == {"jurgen-stock-visits-china-2015"}
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
    assert '"search_vector" @@ to_tsquery(\'simple\'' in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'event_search_vector'")
        assert "gin (search_vector)" in cursor.fetchone()[0]
        # Stored, and kept by PostgreSQL itself from the search text.
        cursor.execute("SELECT generation_expression FROM information_schema.columns "
                       "WHERE table_name = 'timeline_event' AND column_name = 'search_vector'")
        assert "to_tsvector('simple'::regconfig, search_text)" in cursor.fetchone()[0]


def test_the_full_text_index_follows_every_write():
    """The index (FTS5 kept by triggers, PostgreSQL's stored tsvector) finds exactly the events whose words start
    with the search word, after edits, deletes and bulk writes."""
    from django.core.management import call_command

    def by_index(word):
        return set(Event.objects.filter(search_text__word=word).values_list("pk", flat=True))

    def by_words(word):
        return {pk for pk, text in Event.objects.values_list("pk", "search_text")
                if any(w.startswith(word) for w in text.split())}

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

"""How the chronology is made (/about/), and each person's roles over time: both read from the data."""

import re

import pytest
from lxml import html as lxml_html

from timeline.models import Citation, Event, Involvement, Person, Source

pytestmark = pytest.mark.usefixtures("seeded")


def test_the_about_page_counts_events_and_sources_per_decade_from_the_data(client):
    page = lxml_html.fromstring(client.get("/about/").content)
    rows = {
        row.xpath("string(th)"): [int(td.text_content()) for td in row.xpath("td")]
        for row in page.cssselect("table tbody tr")
    }
    assert list(rows) == ["1984–1989", "1990–1999", "2000–2009", "2010–2019", "2020–2023"]
    published = Event.objects.published()
    for label, (events, planned, sources) in rows.items():
        first, last = map(int, label.split("–"))
        within = published.filter(start__year__gte=first, start__year__lte=last)
        assert events == within.count() and planned == within.filter(stage="planned").count(), label
        assert (
            sources
            == Source.objects.cited().filter(published_start__year__gte=first, published_start__year__lte=last).count()
        ), label
    assert sum(events for events, _, _ in rows.values()) == published.count()
    text = page.text_content()
    assert f"{Source.objects.cited().count()} sources" in text
    assert f"INTERPOL context: {published.filter(china='context').count()}" in text


def test_it_says_how_many_quotations_were_checked(client):
    text = lxml_html.fromstring(client.get("/about/").content).text_content()
    total = Citation.objects.filter(event__status="published")
    in_texts = total.exclude(source__seed_file="").count()
    against_copies = total.filter(source__seed_file="").exclude(source__checked=None).count()
    assert (
        f"Of the {total.count()} quotations the events cite, {in_texts} are checked against the text of the "
        f"five documents"
    ) in " ".join(text.split())
    assert f"and {against_copies} were checked word for word" in " ".join(text.split())


def test_the_about_page_reads_in_chinese_and_is_linked_from_every_page(client):
    chinese = client.get("/zh-hans/about/").content.decode()
    assert "<h1>本大事记的编写方法</h1>" in chinese and 'hreflang="en" href="http://testserver/about/"' in chinese
    for path in ("/", "/sources/", "/events/86th-general-assembly-2017/"):
        assert '<a href="/about/">How this chronology is made</a>' in client.get(path).content.decode()
    assert '<a href="/zh-hans/about/">本大事记的编写方法</a>' in client.get("/zh-hans/").content.decode()


def test_a_person_page_reads_as_their_arc(client):
    person = max(Person.objects.all(), key=lambda p: len({i.role for i in p.involvements.all()}))
    page = lxml_html.fromstring(client.get(person.get_absolute_url()).content)
    listed = [" ".join(li.text_content().split()) for li in page.cssselect(".roles li")]
    roles = (
        Involvement.objects.filter(person=person, event__status="published").values_list("role", flat=True).distinct()
    )
    assert len(listed) == len(set(roles)) > 1
    # Earliest first, each with the years its events cover and how many they are.
    years = [int(re.match(r"(\d{4})", line)[1]) for line in listed]
    assert years == sorted(years)
    for role in roles:
        events = Event.objects.published().filter(involvements__person=person, involvements__role=role).distinct()
        first, last = min(e.start.year for e in events), max(e.end.year for e in events)
        span = str(first) if first == last else f"{first}–{last}"
        count = f"({len(events)} event{'s' if len(events) != 1 else ''})"
        assert f"{span} {role} {count}" in listed, (role, listed)

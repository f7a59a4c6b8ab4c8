"""Turning a pasted article into draft events. The sample is our own text, in the seed documents' style."""

import datetime as dt

import pytest

from timeline import importer
from timeline.dates import read
from timeline.models import Event, Source

pytestmark = pytest.mark.usefixtures("seeded")

ARTICLE = """BEIJING, China – Police chiefs met on Tuesday to review cooperation against telephone fraud, the Ministry of Public Security said.

Last month the ministry co-hosted with INTERPOL in Hangzhou a regional workshop on cybercrime and digital forensics. In September of this year, China hosted a training course against counterfeit medicines.

Between 2011 and 2014 the four operations led to more than 2000 arrests, according to the 86th annual report. Secretary General Jurgen Stock said three priorities remained. It was the 64th such gathering since 1990 and 190 countries took part.

A review of the new centre, due to open in mid-2016, was also on the agenda of Mr Jingrong Liao's visit. A follow-up session on terrorism took place on 3–5 March 2015 in Lyon."""

PUBLISHED = dt.date(2015, 10, 9)  # a Friday


def labels(text=ARTICLE):
    return [(p.when.label, p.sentence.split()[0]) for p in importer.propose(text, PUBLISHED)]


def test_dates_are_found_sentence_by_sentence_and_resolved_against_the_article():
    assert labels() == [
        ("6 October 2015", "BEIJING,"),  # "on Tuesday": the Tuesday before a Friday article
        ("September 2015", "Last"),  # "last month"
        ("September 2015", "In"),  # "September of this year"
        ("2011–2014", "Between"),
        ("mid-2016", "A"),
        ("3–5 March 2015", "A"),
    ]


@pytest.mark.parametrize("sentence", [
    "It was the 86th session.",  # an ordinal
    "Stock said three priorities remained.",  # a count that dateparser reads as March
    "More than 2000 arrests were made.",  # a count that looks like a year
    "Officers from 190 countries took part.",  # a bare number
    "The 3000 suspects were named.",
    "It has grown since 1990.",  # a date, but not the event's
])
def test_false_dates_are_dropped(sentence):
    assert importer.propose(sentence, PUBLISHED) == []


def test_sentences_keep_abbreviations_together():
    assert list(importer.sentences("Mr. Stock met Dr. Liao in Lyon. They spoke. U.S. police joined.")) == [
        "Mr. Stock met Dr. Liao in Lyon.", "They spoke.", "U.S. police joined."]


def test_import_proposes_drafts_and_nothing_twice():
    published = read("9 October 2015")
    source, created = importer.import_article(title="Police chiefs review cooperation", publisher="Test Wire",
                                              published=published, url="", text=ARTICLE)
    assert len(created) == 6
    drafts = Event.objects.filter(citations__source=source)
    assert drafts.count() == 6 and set(drafts.values_list("status", flat=True)) == {"draft"}
    workshop = drafts.get(citations__excerpt__startswith="Last month")
    assert (workshop.when.label, workshop.kind) == ("September 2015", "training")
    assert set(workshop.crime_types.values_list("slug", flat=True)) == {"cybercrime"}
    visit = drafts.get(citations__excerpt__contains="Jingrong Liao")
    assert visit.kind == "visit"
    assert list(visit.people.values_list("slug", flat=True)) == ["liao-jinrong"]  # matched by alias
    assert visit.involvements.get().role == ""  # the editor gives the role
    assert visit.summary == ""  # the editor writes it
    fraud = drafts.get(start=dt.date(2015, 10, 6))
    assert set(fraud.crime_types.values_list("slug", flat=True)) == {"fraud"}
    for citation in source.citations.all():
        assert len(citation.excerpt.replace("…", "").split()) <= 25

    again, created_again = importer.import_article(title="Police chiefs review cooperation", publisher="Test Wire",
                                                   published=published, url="", text=ARTICLE)
    assert again == source and created_again == []
    assert Source.objects.filter(title="Police chiefs review cooperation").count() == 1


def test_import_page(admin_client):
    page = admin_client.get("/admin/timeline/event/import/")
    assert page.status_code == 200 and "Propose draft events" in page.content.decode()
    data = {"title": "Police chiefs review cooperation", "publisher": "Test Wire", "published": "9 October 2015",
            "url": "", "text": ARTICLE}
    response = admin_client.post("/admin/timeline/event/import/", data, follow=True)
    html = response.content.decode()
    assert "Proposed 6 draft events" in html
    assert response.redirect_chain[-1][0].startswith("/admin/timeline/event/?status__exact=draft&citations__source__id__exact=")
    assert "Last month the ministry co-hosted" in html  # the drafts are listed for review
    again = admin_client.post("/admin/timeline/event/import/", data, follow=True)
    assert "Nothing new" in again.content.decode()
    assert Event.objects.filter(status="draft").count() == 6


def test_import_page_refuses_a_bad_date_and_saves_nothing(admin_client):
    response = admin_client.post("/admin/timeline/event/import/", {
        "title": "An article", "publisher": "", "published": "soon", "url": "", "text": ARTICLE})
    assert "could not read “soon” as a date" in response.content.decode()
    assert not Source.objects.filter(title="An article").exists()

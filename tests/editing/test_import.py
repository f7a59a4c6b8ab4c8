"""Turning a pasted article into draft events: a preview that writes nothing, then the drafts an editor ticks.

The sample ARTICLE is our own text, in the seed documents' style; RELEASE is the seed's INTERPOL release of
9 October 2015, whose events the seed already holds.
"""

import datetime as dt
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils.html import escape
from reversion.models import Revision, Version

from timeline.domain.dates import read
from timeline.editing import article as article_text
from timeline.editing import importer
from timeline.models import Citation, Event, Involvement, Person, Place, Source

pytestmark = pytest.mark.usefixtures("seeded")

URL = "/admin/timeline/event/import/"
RELEASE = """All news
09 October 2015

China visit by INTERPOL Chief focuses on international police collaboration

BEIJING, China – Advancing collaboration against transnational crime was the focus of talks between senior Chinese officials and Secretary General Jürgen Stock on his first official mission to China.

Corruption, cybercrime, fugitive investigations and terrorism, and China’s support to INTERPOL global and regional initiatives were on the agenda in Mr Stock’s meetings with Minister of Public Security Guo Shengkun, and Zhao Hongzhu, Deputy Secretary of the Central Commission for Discipline Inspection.

Recognizing China’s efforts against a range of crimes, including corruption which he said undermined economic development, Secretary General Stock welcomed its continued commitment to global law enforcement cooperation via the world police body.

“INTERPOL values its cooperation with China against transnational criminal activities at a time when it is playing an increasingly prominent role in strengthening regional and international police cooperation,” said Mr Stock.

“In the digital age, active involvement and support from our member countries is all the more critical given the increasingly interconnected nature of transnational crime,” added the Head of INTERPOL.

Last month China’s Ministry of Public Security also co-hosted with INTERPOL in Xiamen a Eurasian working group meeting on cybercrime. The meeting reviewed cybercrime trends, Internet governance and capacity building in cybercrime investigations and digital forensics.

Mr Stock also pointed to China’s role in Operation First Light in 2014, coordinated in the region via INTERPOL, and which targeted crimes such as spear-phishing or fraudulent phone calls asking for personal or financial information and generating hundreds of millions of dollars in illicit profits for criminals. It led to the arrest of more than 20 individuals in the region and the identification of a number of crime syndicate heads.

During his visit Mr Stock also met with the Director-General of the International Cooperation Department at China’s Ministry of Public Security, Liao Jinrong, as well as with its Deputy Director General, Duan Daqi, who is also the Deputy Head of INTERPOL’s National Central Bureau in Beijing."""  # the seed document 001_16e5e8e9acfbe4a6.txt, as pasted
RELEASE_TITLE = "China visit by INTERPOL Chief focuses on international police collaboration"

ARTICLE = """BEIJING, China – Police chiefs met on Tuesday to review cooperation against telephone fraud, the Ministry of Public Security said.

Last month the ministry co-hosted with INTERPOL in Hangzhou a regional workshop on cybercrime and digital forensics. In September of this year, China hosted a training course against counterfeit medicines.

Between 2011 and 2014 the four operations led to more than 2000 arrests, according to the 86th annual report. Secretary General Jurgen Stock said three priorities remained. It was the 64th such gathering since 1990 and 190 countries took part.

A review of the new centre, due to open in mid-2016, was also on the agenda of Mr Jingrong Liao's visit. A follow-up session on terrorism took place on 3–5 March 2015 in Lyon."""

PUBLISHED = dt.date(2015, 10, 9)  # a Friday


def article(text=ARTICLE, **fields):
    return {
        "title": "Police chiefs review cooperation",
        "publisher": "Test Wire",
        "published": "9 October 2015",
        "url": "",
        "text": text,
        **fields,
    }


class FormReader(HTMLParser):
    """What a browser posts from a page's form: hidden inputs, textareas, ticked boxes."""

    def __init__(self):
        super().__init__()
        self.data, self.boxes, self.textarea = {}, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "checkbox":
            self.boxes[attrs["value"]] = "checked" in attrs
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            value = self.data[self.textarea]
            self.data[self.textarea] = value[1:] if value.startswith("\n") else value  # as HTML parses it
            self.textarea = None


def read_form(html):
    reader = FormReader()
    reader.feed(html)
    return reader


def counts():
    return [model.objects.count() for model in (Source, Event, Citation, Involvement, Revision)]


def preview(client, data):
    response = client.post(URL, data)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html, words):
    """The preview's table row whose sentence has `words`."""
    rows = [row for row in re.findall(r'<tr id="proposal-\d+">.*?</tr>', html, re.S) if escape(words) in row]
    assert len(rows) == 1, f"{len(rows)} rows with {words!r}"
    return rows[0]


def create(client, html, tick=None, untick=()):
    """Post the preview's own form back, as a browser would, with the boxes as shown or as told."""
    form = read_form(html)
    ticked = [n for n, checked in form.boxes.items() if checked] if tick is None else [str(n) for n in tick]
    ticked = [n for n in ticked if int(n) not in untick]
    return client.post(URL, {**form.data, "step": "create", "create": ticked}, follow=True)


def messages_of(response):
    return [(m.level_tag, m.message) for m in response.context["messages"]]


# --- reading the text -----------------------------------------------------------------


def labels(text=ARTICLE):
    return [(p.when.label, p.sentence.split()[0]) for p in article_text.propose(text, PUBLISHED)]


def test_dates_are_found_sentence_by_sentence_and_resolved_against_the_article():
    assert labels() == [
        ("6 October 2015", "Police"),  # "on Tuesday": the Tuesday before a Friday article; dateline left out
        ("September 2015", "Last"),  # "last month"
        ("September 2015", "In"),  # "September of this year"
        ("2011–2014", "Between"),
        ("mid-2016", "A"),
        ("3–5 March 2015", "A"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "It was the 86th session.",  # an ordinal
        "Stock said three priorities remained.",  # a count that dateparser reads as March
        "More than 2000 arrests were made.",  # a count that looks like a year
        "Officers from 190 countries took part.",  # a bare number
        "The 3000 suspects were named.",
        "It has grown since 1990.",  # a date, but not the event's
        "They may 10 times have met.",  # "may 10" is no date
    ],
)
def test_false_dates_are_dropped(sentence):
    assert article_text.propose(sentence, PUBLISHED) == []


def test_sentences_keep_abbreviations_together():
    assert list(article_text.sentences("Mr. Stock met Dr. Liao in Lyon. They spoke. U.S. police joined.")) == [
        "Mr. Stock met Dr. Liao in Lyon.",
        "They spoke.",
        "U.S. police joined.",
    ]


@pytest.mark.parametrize(
    "text, sentence, label",
    [
        ("09 October 2015\n\nPolice met in Lyon on 5 May 2015.", "Police met in Lyon on 5 May 2015.", "5 May 2015"),
        ("LYON, France – Police met in Lyon on 5 May 2015.", "Police met in Lyon on 5 May 2015.", "5 May 2015"),
        ("LYON, France, 9 October 2015 – The assembly opened today.", "The assembly opened today.", "9 October 2015"),
        ("Lyon, 9 October 2015 – The assembly opened today.", "The assembly opened today.", "9 October 2015"),
        ("BEIJING (Xinhua) -- Police met on 5 May 2015.", "Police met on 5 May 2015.", "5 May 2015"),
        (
            "Updated: 9 October 2015\nLYON, France, 9 October 2015\nPolice met on 5 May 2015.",
            "Police met on 5 May 2015.",
            "5 May 2015",
        ),
    ],
)
def test_datelines_are_not_proposed(text, sentence, label):
    assert [(p.sentence, p.when.label) for p in article_text.propose(text, PUBLISHED)] == [(sentence, label)]


def test_every_date_is_read_and_the_most_specific_proposed():
    [proposal] = article_text.propose("The centre, opened in 2015, hosted a seminar on 3 March 2016.", PUBLISHED)
    assert proposal.when.label == "3 March 2016"
    assert [w.label for w in proposal.others] == ["2015"]
    # "before 2014" is one stored day but an open period: less specific than a month.
    [proposal] = article_text.propose("Set up before 2014, the unit met in September 2015.", PUBLISHED)
    assert (proposal.when.label, [w.label for w in proposal.others]) == ("September 2015", ["before 2014"])


def test_a_day_without_a_year_is_in_the_year_of_the_article():
    [march, december] = article_text.propose("Police met on 3 March. They met again on December 25.", PUBLISHED)
    assert march.when.label == "3 March 2015"
    assert december.when.label == "25 December 2015"  # not the last 25 December before the article
    [named] = article_text.propose("In 2014, the ministry hosted a seminar on 3 March.", PUBLISHED)
    assert named.when.label == "3 March 2014"  # the year the sentence itself names


# --- the preview: two steps, nothing written before the editor chooses -----------------------


def test_the_preview_lists_proposals_and_writes_nothing(admin_client):
    page = admin_client.get(URL).content.decode()
    assert "Propose draft events" in page
    before = counts()
    html = preview(admin_client, article())
    assert counts() == before  # no source, event, citation, involvement or revision yet
    assert "Nothing has been saved yet" in html and "a new source" in html
    assert len(re.findall(r'<tr id="proposal-\d+">', html)) == 6
    row = row_of(html, "Last month the ministry co-hosted")
    assert "September 2015" in row and escape(read("September 2015").describe()) in row
    assert "Training" in row and "Cybercrime" in row
    # The seed's Xiamen meeting on cybercrime was in September 2015 too: offered, not ticked.
    xiamen = Event.objects.get(slug="xiamen-cybercrime-meeting-2015")
    assert "Likely duplicate" in row and f"/admin/timeline/event/{xiamen.pk}/change/" in row and "checked" not in row
    assert 'type="checkbox"' in row
    row = row_of(html, "Police chiefs met on Tuesday")
    assert "6 October 2015" in row and "Fraud" in row and "checked" in row and "Likely duplicate" not in row
    row = row_of(html, "Mr Jingrong Liao's visit")
    assert "mid-2016" in row and "Visit" in row and "Liao Jinrong" in row  # matched by alias
    row = row_of(html, "3–5 March 2015 in Lyon")
    assert "Lyon, France" in row and "Terrorism" in row
    # The article goes round in hidden fields, whole, for the second step.
    form = read_form(html)
    assert form.data["text"] == ARTICLE and form.data["title"] == "Police chiefs review cooperation"
    assert form.data["published"] == "9 October 2015"
    back = admin_client.post(URL, {**form.data, "step": "edit"}).content.decode()
    assert "Propose draft events" in back and "Police chiefs review cooperation" in back
    assert counts() == before


def test_ticked_sentences_become_drafts_in_one_revision(admin_client, admin_user):
    html = preview(admin_client, article())
    skip = int(re.search(r'id="proposal-(\d+)"', row_of(html, "Between 2011")).group(1))
    response = create(admin_client, html, tick=range(1, 7), untick={skip})  # the likely duplicate ticked too
    assert response.redirect_chain[-1][0].startswith(
        "/admin/timeline/event/?status__exact=draft&citations__source__id__exact="
    )
    assert (
        "success",
        "Created 5 draft events from “Police chiefs review cooperation”: review, complete and publish them.",
    ) in messages_of(response)
    source = Source.objects.get(title="Police chiefs review cooperation")
    assert source.publisher == "Test Wire" and source.published.label == "9 October 2015"
    drafts = Event.objects.filter(citations__source=source)
    assert drafts.count() == 5 and set(drafts.values_list("status", flat=True)) == {"draft"}
    assert not drafts.filter(citations__excerpt__startswith="Between 2011").exists()  # unticked
    assert set(drafts.values_list("summary", flat=True)) == {""}  # the editor writes it
    workshop = drafts.get(citations__excerpt__startswith="Last month")
    assert (workshop.when.label, workshop.kind) == ("September 2015", "training")
    assert set(workshop.crime_types.values_list("slug", flat=True)) == {"cybercrime"}
    visit = drafts.get(citations__excerpt__contains="Jingrong Liao")
    assert visit.kind == "visit" and list(visit.people.values_list("slug", flat=True)) == ["liao-jinrong"]
    assert visit.involvements.get().role == ""  # the editor gives the role
    session = drafts.get(start=dt.date(2015, 3, 3))
    assert session.place.slug == "lyon-france"
    fraud = drafts.get(start=dt.date(2015, 10, 6))
    assert fraud.citations.get().excerpt.startswith("Police chiefs met on Tuesday")  # dateline left out
    for citation in source.citations.all():
        assert len(citation.excerpt.replace("…", "").split()) <= 25
    assert "Last month the ministry co-hosted" in response.content.decode()  # the drafts are listed for review
    # One revision, by the editor, saying what was imported, holding the drafts.
    revision = Revision.objects.get(comment__startswith="Imported")
    assert revision.user == admin_user
    assert revision.comment == "Imported 5 draft events from “Police chiefs review cooperation”"
    assert {int(v.object_id) for v in Version.objects.get_for_model(Event).filter(revision=revision)} == set(
        drafts.values_list("pk", flat=True)
    )


def test_long_sentences_are_quoted_in_at_most_25_words(admin_client):
    long = (
        "On 5 May 2015 officials from the ministry and from INTERPOL met in Lyon to review every part of "
        "their cooperation against fraud, cybercrime, corruption and terrorism across the whole region."
    )
    create(admin_client, preview(admin_client, article(long)))
    excerpt = Citation.objects.get(source__title="Police chiefs review cooperation").excerpt
    assert excerpt.endswith(" …") and len(excerpt.replace("…", "").split()) == 25


# --- likely duplicates ------------------------------------------------------------------------


def test_the_release_of_9_october_2015_flags_operation_first_light(admin_client):
    first_light = Event.objects.get(slug="operation-first-light-2014")
    assert first_light.status == "published"
    link = f'href="/admin/timeline/event/{first_light.pk}/change/"'
    before = counts()
    # Typed as an editor might, under another title: a new source, and First Light a likely duplicate.
    html = preview(admin_client, article(RELEASE, title="INTERPOL chief in Beijing", publisher=""))
    assert counts() == before
    row = row_of(html, "Operation First Light in 2014")
    assert "Likely duplicate" in row and link in row and "same period (2014)" in row
    assert "<input" in row and "checked" not in row  # offered, not ticked
    assert "Likely duplicate" in row_of(html, "co-hosted with INTERPOL in Xiamen")  # the Xiamen meeting too
    assert "Xiamen" in row_of(html, "co-hosted with INTERPOL in Xiamen")
    # Under its own title it is the seed's source: both sentences were imported from it already.
    html = preview(
        admin_client, article(RELEASE, title=RELEASE_TITLE, publisher="INTERPOL", published="09 October 2015")
    )
    seed_source = Source.objects.get(seed_file__startswith="001_")
    assert f'href="/admin/timeline/source/{seed_source.pk}/change/"' in html and "title and date" in html
    row = row_of(html, "Operation First Light in 2014")
    assert "Already imported" in row and link in row and "<input" not in row
    assert "Create the ticked drafts" not in html
    assert counts() == before


def test_the_dateline_of_the_release_is_not_proposed(admin_client):
    html = preview(admin_client, article(RELEASE, title="INTERPOL chief in Beijing"))
    assert [p.sentence.split()[0] for p in article_text.propose(RELEASE, PUBLISHED)] == ["Last", "Mr"]
    assert len(re.findall(r'<tr id="proposal-\d+">', html)) == 2
    assert "being datelines: “09 October 2015”" in html
    assert "Milestone" not in html  # what the bare date line used to be proposed as
    create(admin_client, html, tick=[1, 2])
    assert not Event.objects.filter(title__startswith="09 October").exists()
    assert Event.objects.filter(citations__source__title="INTERPOL chief in Beijing").count() == 2


def test_an_event_in_the_same_period_sharing_a_person_is_a_likely_duplicate(admin_client):
    visit = Event.objects.get(slug="jurgen-stock-visits-china-2015")
    html = preview(admin_client, article("Mr Stock spoke to reporters in Beijing on 9 October 2015."))
    row = row_of(html, "Mr Stock spoke")
    assert f"/admin/timeline/event/{visit.pk}/change/" in row and "shares Jürgen Stock" in row
    assert "checked" not in row
    # Same words a year on, nobody shared: not flagged.
    html = preview(admin_client, article("Officials spoke to reporters in Beijing on 9 October 2016."))
    assert "Likely duplicate" not in html and "checked" in row_of(html, "Officials spoke")


def test_a_near_identical_sentence_is_a_likely_duplicate_whatever_its_date(admin_client):
    hurricane = Event.objects.get(slug="operation-hurricane")
    text = (
        "In 2016 the seminar followed the success of Operation Hurricane, the first ever INTERPOL-led "
        "operation targeting illicit trade in Asia."
    )
    row = row_of(preview(admin_client, article(text)), "seminar followed")
    assert f"/admin/timeline/event/{hurricane.pk}/change/" in row and "near-identical sentence" in row


def test_a_date_outside_the_chronology_is_offered_unticked(admin_client):
    row = row_of(preview(admin_client, article("In 1975 the two police forces first met in Lyon.")), "1975")
    assert "Outside the chronology" in row and "(1984–2023)" in row and "<input" in row and "checked" not in row


# --- the same article, however typed ------------------------------------------------------------


def test_importing_again_with_the_publisher_blank_finds_the_source_and_proposes_nothing_again(admin_client):
    create(
        admin_client, preview(admin_client, article(url="https://Example.org/news/police-chiefs/")), tick=range(1, 7)
    )
    assert Event.objects.filter(status="draft").count() == 6
    before = counts()
    again = article(title="POLICE chiefs — review cooperation!", publisher="", url="")
    html = preview(admin_client, again)
    source = Source.objects.get(title="Police chiefs review cooperation")
    assert f'href="/admin/timeline/source/{source.pk}/change/"' in html and "title and date" in html
    assert html.count("Already imported") == 6 and 'name="create"' not in html
    # Even a forged tick creates nothing twice, and no second source.
    response = admin_client.post(
        URL, {**again, "step": "create", "create": ["1", "2", "3", "4", "5", "6"]}, follow=True
    )
    assert (
        "warning",
        "Nothing was created from “Police chiefs review cooperation”: its dated sentences were already imported.",
    ) in messages_of(response)
    assert counts() == before
    # By URL, whatever the title: scheme and host case and a trailing slash aside.
    html = preview(admin_client, article(title="Another title", url="HTTPS://EXAMPLE.ORG/news/police-chiefs"))
    assert f'href="/admin/timeline/source/{source.pk}/change/"' in html and "its URL" in html
    assert html.count("Already imported") == 6


def test_the_same_title_on_another_date_is_another_source(admin_client):
    create(admin_client, preview(admin_client, article()), tick=range(1, 7))
    html = preview(admin_client, article(published="9 October 2016"))
    assert "a new source" in html and "Already imported" not in html


# --- nothing to make ----------------------------------------------------------------------------


def test_text_without_dates_makes_nothing(admin_client):
    before = counts()
    data = article("Police cooperation matters. It always has.", title="Undated thoughts")
    html = preview(admin_client, data)
    assert "No dated sentence found" in html and "Create the ticked drafts" not in html
    response = admin_client.post(URL, {**data, "step": "create"}, follow=True)
    assert ("warning", "Nothing was created from “Undated thoughts”: no dated sentence was found.") in messages_of(
        response
    )
    assert counts() == before and not Source.objects.filter(title="Undated thoughts").exists()


def test_nothing_ticked_creates_nothing(admin_client):
    before = counts()
    response = create(admin_client, preview(admin_client, article()), tick=[])
    assert ("warning", "Nothing was created from “Police chiefs review cooperation”: no event was ticked.") in (
        messages_of(response)
    )
    assert counts() == before


def test_a_bad_date_or_too_long_a_text_is_refused_and_nothing_saved(admin_client):
    before = counts()
    response = admin_client.post(URL, article(published="soon"))
    assert "Could not read “soon” as a date" in response.content.decode()
    response = admin_client.post(URL, {**article(published="soon"), "step": "create", "create": ["1"]})
    assert "Could not read “soon” as a date" in response.content.decode()
    response = admin_client.post(URL, article("Police met on 5 May 2015. " + "x" * 100_000))
    assert "at most 100000 characters" in response.content.decode()
    assert counts() == before


# --- people and places ----------------------------------------------------------------------------


def test_titled_surnames_and_places_are_matched(admin_client):
    text = (
        "Mr Stock opened a seminar on 3 March in Lyon. Mr Kim addressed police chiefs in Dubai on 5 May 2016. "
        "Ms Noble met Secretary General Stock in China on 7 June 2016."
    )
    html = preview(admin_client, article(text))
    row = row_of(html, "Mr Stock opened")
    assert "Jürgen Stock" in row and "Lyon, France" in row and "3 March 2015" in row
    row = row_of(html, "Mr Kim addressed")
    assert "Kim Jong Yang" in row and "Dubai, United Arab Emirates" in row  # the family name comes first
    row = row_of(html, "Ms Noble met")
    assert "Ronald K. Noble" in row and "Jürgen Stock" in row and ">China<" in row
    create(admin_client, html, tick=[1, 2])
    event = Event.objects.get(citations__excerpt__startswith="Mr Kim addressed")
    assert list(event.people.values_list("slug", flat=True)) == ["kim-jong-yang"]
    assert event.place.slug == "dubai-united-arab-emirates"


def test_a_titled_surname_shared_by_two_people_matches_nobody():
    Person.objects.create(name="Anna Stock", slug="anna-stock")
    people = [(p, [p.name, *(a.name for a in p.aliases.all())]) for p in Person.objects.all()]
    assert article_text.people_in("Mr Stock met officials.", people) == []
    assert [p.slug for p in article_text.people_in("Jürgen Stock met officials.", people)] == ["jurgen-stock"]


def test_a_country_is_a_place_only_where_something_happens_in_it():
    places = list(Place.objects.all())
    assert article_text.place_in("China’s support was welcomed in 2015.", places) is None
    assert article_text.place_in("The assembly was held in China in 1995.", places).slug == "china"
    assert article_text.place_in("China’s ministry hosted it in Xiamen.", places).slug == "xiamen-china"


# --- without review -----------------------------------------------------------------------------------


def test_import_article_creates_what_the_preview_ticks_once():
    published = read("9 October 2015")
    source, created = importer.import_article(
        title="Police chiefs review cooperation", publisher="Test Wire", published=published, url="", text=ARTICLE
    )
    # Not the likely duplicates: of the Xiamen meeting (September 2015, cybercrime), and of Operation Storm VI
    # (September 2015, counterfeit medicines) for the training course.
    assert len(created) == 4
    again, created_again = importer.import_article(
        title="Police chiefs review cooperation", publisher="", published=published, url="", text=ARTICLE
    )
    assert again == source and created_again == []
    assert Source.objects.filter(title="Police chiefs review cooperation").count() == 1
    assert importer.import_article(
        title="Nothing", publisher="", published=published, url="", text="No date here."
    ) == (None, [])
    assert not Source.objects.filter(title="Nothing").exists()


def test_an_editor_signs_in_while_a_long_article_is_imported(tmp_path):
    """400 dated sentences (one transaction would hold SQLite's lock for about 5 s, past its busy timeout): the
    import writes in batches and pauses between them, so a sign-in meanwhile waits a fraction of a second."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_DEBUG": "true",
    }
    done = subprocess.run(
        [sys.executable, "tests/editing/import_lock_check.py", "400"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["import"][0] == 302, result
    assert result["sign_in"][0] == 302 and result["sign_in"][1] < 1.0, result

"""Turn a pasted article into draft events, in two steps: preview, then create.

`preview()` reads the article (timeline.editing.article, no database) and the
database, writes nothing, and says for each dated sentence what it would become:
its date (the most specific one the sentence gives, the others shown), guessed
kind, people, place and crime types, and whether it is a likely duplicate of an
existing event, outside the chronology's years, or already imported from this
very source. `create()` then makes drafts of the sentences an editor ticked.
"""

import difflib
import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.db import connection, transaction
from django.db.models import Q

from timeline.editing import history
from timeline.editing.article import (
    Proposal,
    crimes_in,
    excerpt_of,
    folded,
    guess_kind,
    outside_chronology,
    people_in,
    place_in,
    read_article,
    title_of,
)
from timeline.models import Citation, CrimeType, Event, Involvement, Person, Place, Source, unique_slug

NEAR_IDENTICAL = 0.85  # difflib ratio of normalised titles or sentences
SHARED_WORDS = 0.6  # and the share of their words in common (Jaccard), checked first
MIN_QUOTED_WORDS = 5  # an earlier excerpt this long found inside a sentence means the sentence was used
DUPLICATES_SHOWN = 5
ARTICLE_FIELDS = ("title", "publisher", "published", "url", "text")  # what preview() takes, as ImportForm names them


@dataclass
class Row:
    """A proposal as the preview shows it, with what the database already knows."""

    number: int
    proposal: Proposal
    title: str
    excerpt: str
    kind: str
    people: list
    place: Place | None
    crime_types: list
    outside: bool
    duplicates: list = field(default_factory=list)  # [(event, why)]
    cited_by: list = field(default_factory=list)  # events citing this sentence from this very source

    @property
    def sentence(self):
        return self.proposal.sentence

    @property
    def when(self):
        return self.proposal.when

    @property
    def others(self):
        return self.proposal.others

    @property
    def kind_label(self):
        return Event.Kind(self.kind).label

    @property
    def creatable(self):
        return not self.cited_by  # already imported: not proposed again

    @property
    def ticked(self):
        return self.creatable and not self.duplicates and not self.outside


@dataclass
class Preview:
    source: Source | None  # the existing source this article is, if any
    matched_by: str  # how it was recognised: "URL", "title and date" or ""
    rows: list
    skipped: list  # datelines and date lines, not proposed

    @property
    def new_rows(self):
        return [row for row in self.rows if row.creatable]


# --- the source -----------------------------------------------------------------


def normal_url(url):
    """The URL with scheme and host lowercased, no trailing slash and no fragment."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def find_source(*, title, published, url):
    """(source, how) for the existing source this article is, or (None, "").

    By URL where one is given; else by title (case, spacing, punctuation and
    accents aside) and a publication date that overlaps the one typed. Publisher
    is not compared: it may be typed differently, or left blank.
    """
    if url:
        host = urlsplit(url.strip()).netloc
        for source in Source.objects.exclude(url="").filter(url__icontains=host).order_by("pk"):
            if normal_url(source.url) == normal_url(url):
                return source, "URL"
    wanted = folded(title)
    dated = Q(published_start__isnull=True)
    if published is not None:
        dated |= Q(published_start__lte=published.end, published_end__gte=published.start)
    for pk, other in Source.objects.filter(dated, synthetic=False).order_by("pk").values_list("pk", "title"):
        if folded(other) == wanted:
            return Source.objects.get(pk=pk), "title and date"
    return None, ""


# --- what the database already has -------------------------------------------------


def similar(matcher, text):
    """Whether `text` is near-identical (difflib) to the matcher's second sequence."""
    matcher.set_seq1(text)
    return (
        matcher.real_quick_ratio() >= NEAR_IDENTICAL
        and matcher.quick_ratio() >= NEAR_IDENTICAL
        and matcher.ratio() >= NEAR_IDENTICAL
    )


def quoted_in(excerpt, sentence):
    """Whether a folded excerpt is the folded sentence, a long enough quote from it, or quotes all of it."""
    if not excerpt:
        return False
    if excerpt == sentence or (len(excerpt.split()) >= MIN_QUOTED_WORDS and f" {excerpt} " in f" {sentence} "):
        return True
    return len(sentence.split()) >= MIN_QUOTED_WORDS and f" {sentence} " in f" {excerpt} "


class Known:
    """Existing events' titles and citations, folded once per preview, to find near-identical text.

    Near-identical means sharing most words (Jaccard of the word sets at least
    SHARED_WORDS) and, then, a difflib ratio of at least NEAR_IDENTICAL; or one
    quoting the other. Comparing every sentence with every title and citation
    costs minutes for a long article, so candidates come from an index of words:
    a text sharing that many words with a sentence shares one of the sentence's
    rarest few (prefix filtering), and a text quoted whole in a sentence has its
    own rarest word in it. Synthetic events (generate_events' benchmark filler)
    are left out: they are never the same news, and there may be millions.
    """

    def __init__(self):
        self.texts = [
            ("title", pk, None, folded(title))
            for pk, title in Event.objects.filter(synthetic=False).values_list("pk", "title")
        ]
        self.texts += [
            ("excerpt", pk, source, folded(excerpt))
            for pk, source, excerpt in Citation.objects.filter(event__synthetic=False).values_list(
                "event_id", "source_id", "excerpt"
            )
        ]
        self.words = [set(text.split()) for *_rest, text in self.texts]
        self.frequency = Counter(word for words in self.words for word in words)
        self.index, self.by_rarest, self.from_source = defaultdict(list), defaultdict(list), {}
        for i, words in enumerate(self.words):
            for word in words:
                self.index[word].append(i)
            if words:
                self.by_rarest[min(words, key=self.rarity)].append(i)

    def rarity(self, word):
        return (self.frequency[word], word)

    def sharing(self, words):
        """Texts that may share SHARED_WORDS of `words`: those with one of its rarest few."""
        needed = math.ceil(SHARED_WORDS * len(words))
        prefix = sorted(words, key=self.rarity)[: len(words) - needed + 1]
        return {i for word in prefix for i in self.index.get(word, ())}

    def cited(self, sentence, source):
        """Events citing this sentence (or a quote from it) from `source`."""
        if source is None:
            return []
        if source.pk not in self.from_source:
            self.from_source[source.pk] = [(pk, t) for _kind, pk, s, t in self.texts if s == source.pk]
        text = folded(sentence)
        return list(dict.fromkeys(pk for pk, excerpt in self.from_source[source.pk] if quoted_in(excerpt, text)))

    def near(self, row):
        """{event id: why} for events whose title or citation is near-identical to the row's."""
        found = {}
        matcher = difflib.SequenceMatcher(None)
        for kind, own in (("title", folded(row.title)), ("excerpt", folded(row.excerpt.rstrip(" …")))):
            words = set(own.split())
            if not words:
                continue
            matcher.set_seq2(own)
            for i in sorted(self.sharing(words)):
                what, pk, _source, text = self.texts[i]
                if (
                    what == kind
                    and pk not in found
                    and len(words & self.words[i]) >= SHARED_WORDS * len(words | self.words[i])
                    and similar(matcher, text)
                ):
                    found[pk] = f"near-identical {'title' if kind == 'title' else 'sentence cited'}"
        sentence = folded(row.sentence)
        words = set(sentence.split())
        quoting = {i for word in words for i in self.by_rarest.get(word, ())}  # quoted whole in the sentence
        if words:
            quoting |= set(self.index.get(min(words, key=self.rarity), ()))  # quoting the whole sentence
        for i in sorted(quoting):
            what, pk, _source, text = self.texts[i]
            if what == "excerpt" and pk not in found and quoted_in(text, sentence):
                found[pk] = "near-identical sentence cited"
        return found


def same_period(row):
    """{event id: why} for events whose period overlaps the row's and that share a person or crime type."""
    if not (row.people or row.crime_types):
        return {}
    events = (
        Event.objects.filter(synthetic=False, start__lte=row.when.end, end__gte=row.when.start)
        .filter(Q(involvements__person__in=row.people) | Q(crime_types__in=row.crime_types))
        .distinct()
        .order_by("start", "pk")
        .prefetch_related("people", "crime_types")[:DUPLICATES_SHOWN]
    )
    found = {}
    for event in events:
        shared = [p.name for p in event.people.all() if p in row.people]
        shared += [c.name for c in event.crime_types.all() if c in row.crime_types]
        found[event.pk] = f"same period ({event.when.label}), shares {', '.join(shared)}"
    return found


def preview(*, title, publisher, published, url, text):
    """What importing the article would do, without writing anything. `publisher` is not needed to tell."""
    reference = published.start if published else None
    proposals, skipped = read_article(text, reference)
    source, matched_by = find_source(title=title, published=published, url=url)
    if not proposals:
        return Preview(source, matched_by, [], skipped)
    people = [(p, [p.name, *(a.name for a in p.aliases.all())]) for p in Person.objects.prefetch_related("aliases")]
    crimes = list(CrimeType.objects.all())
    places = list(Place.objects.all())
    known = Known()
    rows, linked = [], set()
    for number, proposal in enumerate(proposals, 1):
        sentence = proposal.sentence
        row = Row(
            number=number,
            proposal=proposal,
            title=title_of(sentence),
            excerpt=excerpt_of(sentence),
            kind=guess_kind(sentence),
            people=people_in(sentence, people),
            place=place_in(sentence, places),
            crime_types=crimes_in(sentence, crimes),
            outside=outside_chronology(proposal.when),
        )
        row.cited_by = known.cited(sentence, source)
        row.duplicates = same_period(row)
        for pk, why in known.near(row).items():
            row.duplicates[pk] = f"{row.duplicates[pk]}; {why}" if pk in row.duplicates else why
        linked.update(row.cited_by, row.duplicates)
        rows.append(row)
    events = Event.objects.in_bulk(linked)
    for row in rows:
        row.cited_by = [events[pk] for pk in row.cited_by if pk in events]
        row.duplicates = [(events[pk], why) for pk, why in row.duplicates.items() if pk in events]
    return Preview(source, matched_by, rows, skipped)


# --- writing -------------------------------------------------------------------------


# Drafts written per transaction. Each transaction holds SQLite's one write lock (about 13 ms an event, with
# its history), so a long article never makes an editor's sign-in or save wait past a fraction of a second.
BATCH = 20
# SQLite has no queue for its lock: a waiting writer retries every 100 ms at most, and would lose every race
# to the next batch's BEGIN. A pause longer than that between batches lets it in.
SQLITE_PAUSE = 0.11


def create(found, rows, *, title, publisher, published, url, user=None):
    """Draft events for `rows` of the preview `found`, citing its source (made now if new).

    Rows already imported are skipped; with nothing to create, nothing is
    written, not even the source. Written BATCH events at a time, each batch a
    transaction and a revision by `user`: an import cut off halfway keeps what
    it wrote, and importing the article again proposes only the rest.
    Returns (source or None, created events).
    """
    rows = [row for row in rows if row.creatable]
    source, created = found.source, []
    for first in range(0, len(rows), BATCH):
        batch = rows[first : first + BATCH]
        what = f"{len(rows)} draft event{'s' if len(rows) != 1 else ''}"
        if len(rows) > BATCH:
            what = f"draft events {first + 1}–{first + len(batch)} of {len(rows)}"
        with (
            transaction.atomic(),
            history.revision(user, f"Imported {what} from “{source.title if source else title}”"),
        ):
            source = source or Source.objects.create(
                title=title,
                publisher=publisher,
                url=url,
                published_start=published.start,
                published_end=published.end,
                published_precision=published.precision,
                published_qualifier=published.qualifier,
            )
            created += [draft(row, source) for row in batch]
        if connection.vendor == "sqlite" and first + BATCH < len(rows):
            time.sleep(SQLITE_PAUSE)
    return source, created


def draft(row, source):
    when = row.when
    event = Event.objects.create(
        title=row.title,
        slug=unique_slug(Event, f"{when.datetime_start} {' '.join(row.sentence.split()[:8])}"),
        kind=row.kind,
        summary="",
        start=when.start,
        end=when.end,
        precision=when.precision,
        qualifier=when.qualifier,
        place=row.place,
        status=Event.Status.DRAFT,
    )
    for person in row.people:
        Involvement.objects.create(event=event, person=person, role="")  # the editor gives it
    event.crime_types.set(row.crime_types)
    Citation.objects.create(event=event, source=source, excerpt=row.excerpt)
    return event


def import_article(*, title, publisher, published, url, text):
    """Without review (scripts, tests): create what the preview ticks. Returns (source or None, events)."""
    found = preview(title=title, publisher=publisher, published=published, url=url, text=text)
    return create(
        found, [row for row in found.rows if row.ticked], title=title, publisher=publisher, published=published, url=url
    )

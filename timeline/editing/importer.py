"""Turn a pasted article into draft events, in two steps: preview, then create.

`preview()` reads the article and the database, writes nothing, and says for
each dated sentence what it would become: its date (the most specific one the
sentence gives, the others shown), guessed kind, people, place and crime types,
and whether it is a likely duplicate of an existing event, outside the
chronology's years, or already imported from this very source. `create()` then
makes drafts of the sentences an editor ticked.

Sentence by sentence: find the phrases that may be dates, read each with
timeline.dates (dateparser inside, relative phrases against the article's date),
drop what is not a date ("the 86th", "three", "3000 suspects") and datelines
("BEIJING, China –", a bare "09 October 2015" line).

One event per sentence, not one per date: the sentence is what is quoted as the
citation, and a sentence with two dates usually tells one event and when
something else happened ("the centre, opened in 2015, hosted on 3 March …").
The most specific date is proposed; the others are shown, so an editor can see
where a sentence tells two events and split the draft.
"""

import difflib
import math
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from timeline.domain import dates
from timeline.editing import history
from timeline.models import Citation, CrimeType, Event, Involvement, Person, Place, Source, search_words, unique_slug

MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
YEAR = r"(?:19|20)\d\d"
DAY = r"\d{1,2}"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
SINGLE = rf"(?:{DAY}\s+{MONTH}\s+{YEAR}|{MONTH}\s+{DAY},?\s+{YEAR}|{MONTH}\s+{YEAR}|{YEAR}年\d{{1,2}}月(?:\d{{1,2}}日)?|{YEAR}-\d\d-\d\d|{YEAR})"
# "3 March", "3–5 March", "March 3" without a year: read in the article's year. Capitalised
# months only ("they may 10 …" is no date), and never followed by a year (those are read above).
DAY_MONTH = rf"(?-i:{DAY}(?:\s*[–-]\s*{DAY})?\s+{MONTH}(?![\s,]*{YEAR})(?!\w)|{MONTH}\s+{DAY}(?![\s,]*{YEAR})(?!\d))"
# Longest forms first: a range or a qualified date before its parts.
CANDIDATES = re.compile(
    rf"between\s+{SINGLE}\s+and\s+{SINGLE}"
    rf"|{DAY}\s*[–-]\s*{DAY}\s+{MONTH}\s+{YEAR}"
    rf"|{SINGLE}\s*[–—]\s*{SINGLE}|{YEAR}-{YEAR}"
    rf"|(?:early|mid|late)[\s-]+{YEAR}"
    rf"|(?:before|c\.|circa|about|around)\s+{SINGLE}"
    rf"|{SINGLE}|{DAY_MONTH}"
    rf"|(?:last|this|next)\s+(?:week|month|year)|yesterday|today"
    rf"|{MONTH}\s+of\s+this\s+year|(?:on\s+)?{WEEKDAY}",
    re.I,
)
HAS_YEAR = re.compile(rf"{YEAR}|年")
# "2000 arrests", "more than 2010 cases": numbers that count, not years.
COUNTED = re.compile(r"^\s+[a-z]+s\b", re.I)
# "more than 2010 cases" counts; "since 1990" dates something else.
COUNTING = re.compile(r"(?:more than|nearly|over|some|almost|around|about|than|of|since)\s*$", re.I)
# A sentence ends at . ! or ? (and a closing quote), not after "Mr." or an initial as in "U.S.".
SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][”\"’']))(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\b[A-Z]\.)\s+(?=[“\"'A-Z0-9])"
)
# A dateline: where (and maybe when) the article was filed, not an event. Opening a paragraph
# before a dash ("BEIJING, China – ", "LYON, France, 9 October 2015 – ", "BEIJING (Xinhua) -- ",
# "Lyon, 9 October 2015 – "), or a line by itself ("LYON, France, 9 October 2015").
DATELINE_HEAD = (
    rf"(?:(?-i:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*)(?:\s*,\s*(?-i:[A-Z])[\w'’.\-]*(?:\s+[\w'’.\-]+){{0,3}})?"
    rf"(?:\s*,?\s*{SINGLE}|\s*,?\s*{DAY_MONTH})?"
    rf"|(?-i:[A-Z])[\w'’.\-]+(?:\s+(?-i:[A-Z])[\w'’.\-]+)*\s*,\s*(?:(?-i:[A-Z])\w+\s*,\s*)?(?:{SINGLE}|{DAY_MONTH}))"
    rf"(?:\s*\([^)]{{1,40}}\))?"
)
DATELINE = re.compile(rf"^{DATELINE_HEAD}\s*(?:[–—]|--?)\s+", re.I)
DATELINE_ALONE = re.compile(rf"{DATELINE_HEAD}[\s.:–—-]*", re.I)
# A line that, beside its dates, has fewer words than this (these words aside) is a date
# line ("09 October 2015", "Updated: 9 October 2015"), not a sentence telling an event.
MIN_WORDS = 2
DATE_LINE_WORDS = set("published updated posted modified last on at date dated news release press media".split())

KINDS = [
    ("assembly", r"general assembly"),
    ("election", r"\belect(?:ed|ion)\b"),
    ("operation", r"\boperations?\b"),
    ("conference", r"\bconference\b"),
    ("training", r"\btraining\b|\bseminar\b|\bworkshop\b"),
    ("visit", r"\bvisit(?:ed|s)?\b|\bmission\b"),
    ("meeting", r"\bmeeting\b|\bmet\b|\btalks\b"),
    ("speech", r"\bspeech\b|\bkeynote\b|\bremarks\b|\bsaid\b"),
]
CRIME_WORDS = {
    "cybercrime": r"cyber|phishing|digital forensics",
    "terrorism": r"terroris",
    "organized-crime": r"organi[sz]ed crime|crime syndicate|criminal networks",
    "drug-trafficking": r"\bdrugs?\b|narcotic",
    "human-trafficking": r"human trafficking|trafficking in (?:human beings|persons)",
    "illegal-gambling": r"gambling",
    "counterfeiting-illicit-trade": r"counterfeit|illicit trade|fake goods|illicit goods",
    "corruption": r"corruption|bribe",
    "fraud": r"fraud|scam",
    "firearms-trafficking": r"firearm|weapons trafficking",
    "fugitives": r"fugitive",
    "environmental-crime": r"environmental crime|wildlife",
}
# "Mr Stock", "Secretary General Stock", "President Xi": a title, then one name.
TITLED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mme|Madam|Dr|Prof(?:essor)?|Sir|(?:Vice[- ])?President|(?:Vice[- ])?Minister"
    r"|Secretary[- ]General|Director[- ]General|Director|Commissioner|Chairman|Ambassador)\.?\s+([A-Z][\w\-]*\w)"
)
# "In 2014 the ministry hosted …": a place named after these is where something happened.
WHERE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)
# Qualifiers that leave a period open: least specific, whatever their stored span.
OPEN_ENDED = {dates.BEFORE, "after", "by", "onwards", "uncertain"}
NEAR_IDENTICAL = 0.85  # difflib ratio of normalised titles or sentences
SHARED_WORDS = 0.6  # and the share of their words in common (Jaccard), checked first
MIN_QUOTED_WORDS = 5  # an earlier excerpt this long found inside a sentence means the sentence was used
DUPLICATES_SHOWN = 5
TITLE_WORDS = 12
ARTICLE_FIELDS = ("title", "publisher", "published", "url", "text")  # what preview() takes, as ImportForm names them


@dataclass
class Proposal:
    """A dated sentence: the date proposed for its event, and the other dates it gives."""

    sentence: str
    when: dates.When
    others: list = field(default_factory=list)


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


# --- reading the text (no database) -------------------------------------------


def sentences(text, openers=False):
    """The text's sentences; with `openers`, as (opens its paragraph, sentence)."""
    for paragraph in re.split(r"\n\s*\n|\n(?=\S)", text):
        first = True
        for sentence in SENTENCE_END.split(" ".join(paragraph.split())):
            if sentence.strip():
                yield (first, sentence.strip()) if openers else sentence.strip()
                first = False


def dateline_of(sentence):
    """The dateline opening `sentence` ("BEIJING, China – "), or ""."""
    match = DATELINE.match(sentence)
    return match.group() if match and sentence[match.end() :].strip() else ""


def date_phrases(sentence):
    """(match, phrase) of each phrase in `sentence` that may be a date, counts and ordinals left out."""
    for match in CANDIDATES.finditer(sentence):
        phrase = match.group()
        if re.fullmatch(YEAR, phrase) and (
            COUNTED.match(sentence[match.end() :]) or COUNTING.search(sentence[: match.start()])
        ):
            continue
        yield match, re.sub(r"\s+of\s+this\s+year$", "", phrase, flags=re.I)  # "September of this year"


def dates_in(sentence, reference):
    """The dates a sentence gives, in order, read honestly; false dates are dropped.

    A day without a year ("3 March") is in the one year the sentence names
    ("In 2014 … on 3 March"), else in the year the article was published (not
    the last 3 March before it, as a relative reading would have it).
    """
    phrases = list(date_phrases(sentence))
    years = {
        year
        for _match, phrase in phrases
        if not phrase.lower().startswith("before")
        for year in re.findall(YEAR, phrase)
    }
    year = years.pop() if len(years) == 1 else reference.year if reference is not None else None
    found = []
    for _match, phrase in phrases:
        if year and not HAS_YEAR.search(phrase) and re.match(r"(?-i:\d|[A-Z][a-z]+\.?\s+\d)", phrase):
            phrase = f"{phrase} {year}"
        try:
            found.append(dates.read(phrase, reference=reference))
        except dates.DateError:
            continue
    return found


def is_date_line(sentence):
    """A line that is only a date, maybe with a place or a word or two ("09 October 2015",
    "Updated: 9 October 2015", "LYON, France, 9 October 2015")."""
    if DATELINE_ALONE.fullmatch(sentence):
        return True
    rest = sentence
    for match, _phrase in reversed(list(date_phrases(sentence))):
        rest = rest[: match.start()] + " " + rest[match.end() :]
    words = [w for w in re.findall(r"[^\W\d_]+", rest) if w.lower() not in DATE_LINE_WORDS]
    return len(words) < MIN_WORDS


def specificity(when):
    """Sort key: smaller is more specific. Open-ended dates ("before 2014") come last whatever their span."""
    return (when.qualifier in OPEN_ENDED, (when.end - when.start).days)


def read_article(text, reference):
    """(proposals, skipped): a proposal per dated sentence, and the datelines and date lines left out."""
    proposals, skipped, seen = [], [], set()
    for opener, sentence in sentences(text, openers=True):
        dateline = dateline_of(sentence) if opener else ""
        if dateline:
            sentence = sentence[len(dateline) :]
            if dates_in(dateline, reference):
                skipped.append(dateline.strip(" –—-"))
        found = dates_in(sentence, reference)
        if not found:
            continue
        if is_date_line(sentence):
            skipped.append(sentence)
            continue
        if sentence in seen:
            continue
        seen.add(sentence)
        best = min(found, key=specificity)  # min() keeps the first of equals
        proposals.append(Proposal(sentence, best, [w for w in found if w is not best and w != best]))
    return proposals, skipped


def propose(text, reference):
    """A proposal (sentence, proposed date, other dates) for every dated sentence, without the database."""
    return read_article(text, reference)[0]


def excerpt_of(sentence, limit=Citation.MAX_WORDS, characters=Citation.MAX_CHARACTERS):
    words = sentence.split()
    if len(words) <= limit and len(sentence) <= characters:
        return sentence
    words = words[:limit]
    while words and len(" ".join(words)) + 2 > characters:
        words.pop()
    return " ".join(words) + " …"


def title_of(sentence):
    words = sentence.split()
    return (" ".join(words[:TITLE_WORDS]) + (" …" if len(words) > TITLE_WORDS else ""))[:300]


def guess_kind(sentence):
    for kind, pattern in KINDS:
        if re.search(pattern, sentence, re.I):
            return kind
    return Event.Kind.MILESTONE


@lru_cache(maxsize=4096)
def folded(text):
    """Lowercase words without accents or punctuation, space-separated: how names and titles are compared."""
    return " ".join(search_words(text))


def people_in(sentence, people):
    """People named in full (name or alias), or by title and one name ("Mr Stock") when only one fits.

    `people` is [(person, [names])]. Chinese names put the family name first, so a
    titled name is tried against both the first and the last word of every name.
    """
    words = f" {folded(sentence)} "
    found = [
        person
        for person, names in people
        if any(f" {folded(name)} " in words for name in names if folded(name))
        or (person.chinese_name and person.chinese_name in sentence)
    ]
    for match in TITLED.finditer(sentence):
        token = folded(match.group(1))
        fits = [
            person
            for person, names in people
            if any(token in (parts[0], parts[-1]) for parts in (folded(n).split() for n in names) if parts)
        ]
        if len(fits) == 1 and fits[0] not in found:
            found.append(fits[0])
    return found


def crimes_in(sentence, crimes):
    return [
        crime
        for crime in crimes
        if re.search(CRIME_WORDS.get(crime.slug, re.escape(crime.name)), sentence, re.I)
        or crime.name.lower() in sentence.lower()
    ]


def place_in(sentence, places):
    """The existing place the sentence most likely happened in, or None.

    A city (a place in a country, named differently from it) counts wherever it
    is named, first one after "in"/"at" preferred; a country or region only after
    "in"/"at" ("in China"), since "China's support" says nothing of where.
    """
    found = []
    for place in places:
        for match in re.finditer(rf"(?<!\w){re.escape(place.name)}(?!\w)", sentence):
            where = bool(WHERE.search(sentence[: match.start()]))
            city = bool(place.country) and place.country != place.name
            if city or where:
                found.append((not where, not city, match.start(), place))
    return min(found, key=lambda f: f[:3])[3] if found else None


def outside_chronology(when):
    first, last = getattr(settings, "CHRONOLOGY_YEARS", (1984, 2023))
    return when.start.year < first or when.end.year > last


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
        batch = rows[first:first + BATCH]
        what = f"{len(rows)} draft event{'s' if len(rows) != 1 else ''}"
        if len(rows) > BATCH:
            what = f"draft events {first + 1}–{first + len(batch)} of {len(rows)}"
        with transaction.atomic(), history.revision(user, f"Imported {what} from “{source.title if source else title}”"):
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

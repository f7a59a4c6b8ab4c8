"""Turn a pasted article into draft events for an editor to review.

Sentence by sentence: find the phrases that may be dates, read each with
timeline.dates (dateparser inside, relative phrases against the article's date),
drop what is not a date ("the 86th", "three", "3000 suspects"), and propose a
draft event per dated sentence, the sentence quoted as its citation. Running the
same import again proposes nothing new.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from timeline import dates
from timeline.models import Citation, CrimeType, Event, Involvement, Person, Source

MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
YEAR = r"(?:19|20)\d\d"
DAY = r"\d{1,2}"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
SINGLE = rf"(?:{DAY}\s+{MONTH}\s+{YEAR}|{MONTH}\s+{DAY},?\s+{YEAR}|{MONTH}\s+{YEAR}|{YEAR}年\d{{1,2}}月(?:\d{{1,2}}日)?|{YEAR}-\d\d-\d\d|{YEAR})"
# Longest forms first: a range or a qualified date before its parts.
CANDIDATES = re.compile(
    rf"between\s+{SINGLE}\s+and\s+{SINGLE}"
    rf"|{DAY}\s*[–-]\s*{DAY}\s+{MONTH}\s+{YEAR}"
    rf"|{SINGLE}\s*[–—]\s*{SINGLE}|{YEAR}-{YEAR}"
    rf"|(?:early|mid|late)[\s-]+{YEAR}"
    rf"|(?:before|c\.|circa|about|around)\s+{SINGLE}"
    rf"|{SINGLE}"
    rf"|(?:last|this|next)\s+(?:week|month|year)|yesterday|today"
    rf"|{MONTH}\s+of\s+this\s+year|(?:on\s+)?{WEEKDAY}",
    re.I,
)
# "2000 arrests", "more than 2010 cases": numbers that count, not years.
COUNTED = re.compile(r"^\s+[a-z]+s\b", re.I)
# "more than 2010 cases" counts; "since 1990" dates something else.
COUNTING = re.compile(r"(?:more than|nearly|over|some|almost|around|about|than|of|since)\s*$", re.I)
# A sentence ends at . ! or ? (and a closing quote), not after "Mr." or an initial as in "U.S.".
SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][”\"’']))(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\b[A-Z]\.)\s+(?=[“\"'A-Z0-9])"
)

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


@dataclass
class Proposal:
    sentence: str
    when: dates.When


def sentences(text):
    for paragraph in re.split(r"\n\s*\n|\n(?=\S)", text):
        for sentence in SENTENCE_END.split(" ".join(paragraph.split())):
            if sentence.strip():
                yield sentence.strip()


def dates_in(sentence, reference):
    """The dates a sentence gives, read honestly; false dates are dropped."""
    found = []
    for match in CANDIDATES.finditer(sentence):
        phrase = match.group()
        if re.fullmatch(YEAR, phrase) and (COUNTED.match(sentence[match.end():])
                                           or COUNTING.search(sentence[:match.start()])):
            continue
        phrase = re.sub(r"\s+of\s+this\s+year$", "", phrase, flags=re.I)  # "September of this year"
        try:
            found.append(dates.read(phrase, reference=reference))
        except dates.DateError:
            continue
    return found


def excerpt_of(sentence, limit=Citation.MAX_WORDS):
    words = sentence.split()
    return sentence if len(words) <= limit else " ".join(words[:limit]) + " …"


def guess_kind(sentence):
    for kind, pattern in KINDS:
        if re.search(pattern, sentence, re.I):
            return kind
    return Event.Kind.MILESTONE


def people_in(sentence, people):
    lowered = sentence.lower()
    return [person for person, names in people if any(name.lower() in lowered for name in names)]


def crimes_in(sentence, crimes):
    return [crime for crime in crimes
            if re.search(CRIME_WORDS.get(crime.slug, re.escape(crime.name)), sentence, re.I)
            or crime.name.lower() in sentence.lower()]


def propose(text, reference):
    """(sentence, first date) for every dated sentence, without touching the database."""
    proposals = []
    for sentence in sentences(text):
        found = dates_in(sentence, reference)
        if found:
            proposals.append(Proposal(sentence, found[0]))
    return proposals


@transaction.atomic
def import_article(*, title, publisher, published, url, text):
    """Create (or find) the source and a draft event for each new dated sentence."""
    source = Source.objects.filter(title=title, publisher=publisher, published_start=published.start).first()
    if source is None:
        source = Source.objects.create(
            title=title, publisher=publisher, url=url, published_start=published.start, published_end=published.end,
            published_precision=published.precision, published_qualifier=published.qualifier,
        )
    people = [(p, [p.name, *(a.name for a in p.aliases.all())]) for p in Person.objects.prefetch_related("aliases")]
    crimes = list(CrimeType.objects.all())
    cited = set(source.citations.values_list("excerpt", flat=True))
    created = []
    for proposal in propose(text, reference=published.start):
        excerpt = excerpt_of(proposal.sentence)
        if excerpt in cited:
            continue  # proposed by an earlier import of this article
        cited.add(excerpt)
        when = proposal.when
        title_words = proposal.sentence.split()
        event_title = " ".join(title_words[:12]) + (" …" if len(title_words) > 12 else "")
        base = slugify(f"{when.datetime_start} {' '.join(title_words[:8])}")[:150] or "event"
        slug, n = base, 1
        while Event.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        event = Event.objects.create(
            title=event_title[:300], slug=slug, kind=guess_kind(proposal.sentence), summary="",
            start=when.start, end=when.end, precision=when.precision, qualifier=when.qualifier,
            status=Event.Status.DRAFT,
        )
        for person in people_in(proposal.sentence, people):
            Involvement.objects.create(event=event, person=person, role="")  # the editor gives it
        event.crime_types.set(crimes_in(proposal.sentence, crimes))
        Citation.objects.create(event=event, source=source, excerpt=excerpt)
        created.append(proposal)
    return source, created

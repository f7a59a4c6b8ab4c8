"""Reading an article's text, without the database: its sentences, the dates each gives, and a proposal
(sentence, proposed date, other dates) for every dated sentence; and guesses of what a sentence tells (its
title and excerpt, kind, people, place and crime types) among records the caller has read.

Sentence by sentence: find the phrases that may be dates, read each with
timeline.domain.dates (dateparser inside, relative phrases against the article's date),
drop what is not a date ("the 86th", "three", "3000 suspects") and datelines
("BEIJING, China –", a bare "09 October 2015" line).

One event per sentence, not one per date: the sentence is what is quoted as the
citation, and a sentence with two dates usually tells one event and when
something else happened ("the centre, opened in 2015, hosted on 3 March …").
The most specific date is proposed; the others are shown, so an editor can see
where a sentence tells two events and split the draft.

timeline.editing.importer turns the proposals into a preview, and the preview into drafts.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from timeline.domain import dates
from timeline.domain.words import search_words
from timeline.models import Citation, Event

MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
YEAR = r"(?:19|20)\d\d"
DAY = r"\d{1,2}"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# One date, not a range: "3 March 2016", "March 2016", "2017年9月26日", "2016-03-03", "2016".
ONE_DATE = rf"(?:{DAY}\s+{MONTH}\s+{YEAR}|{MONTH}\s+{DAY},?\s+{YEAR}|{MONTH}\s+{YEAR}|{YEAR}年\d{{1,2}}月(?:\d{{1,2}}日)?|{YEAR}-\d\d-\d\d|{YEAR})"
# "3 March", "3–5 March", "March 3" without a year: read in the article's year. Capitalised
# months only ("they may 10 …" is no date), and never followed by a year (those are read above).
DAY_MONTH = rf"(?-i:{DAY}(?:\s*[–-]\s*{DAY})?\s+{MONTH}(?![\s,]*{YEAR})(?!\w)|{MONTH}\s+{DAY}(?![\s,]*{YEAR})(?!\d))"
# Longest forms first: a range or a qualified date before its parts.
CANDIDATES = re.compile(
    rf"between\s+{ONE_DATE}\s+and\s+{ONE_DATE}"
    rf"|{DAY}\s*[–-]\s*{DAY}\s+{MONTH}\s+{YEAR}"
    rf"|{ONE_DATE}\s*[–—]\s*{ONE_DATE}|{YEAR}-{YEAR}"
    rf"|(?:early|mid|late)[\s-]+{YEAR}"
    rf"|(?:before|c\.|circa|about|around)\s+{ONE_DATE}"
    rf"|{ONE_DATE}|{DAY_MONTH}"
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
    rf"(?:\s*,?\s*{ONE_DATE}|\s*,?\s*{DAY_MONTH})?"
    rf"|(?-i:[A-Z])[\w'’.\-]+(?:\s+(?-i:[A-Z])[\w'’.\-]+)*\s*,\s*(?:(?-i:[A-Z])\w+\s*,\s*)?(?:{ONE_DATE}|{DAY_MONTH}))"
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
TITLE_WORDS = 12


@dataclass
class Proposal:
    """A dated sentence: the date proposed for its event, and the other dates it gives."""

    sentence: str
    when: dates.When
    others: list = field(default_factory=list)


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
        or (person.name_zh and person.name_zh in sentence)
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
    first, last = settings.CHRONOLOGY_YEARS
    return when.start.year < first or when.end.year > last

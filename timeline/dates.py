"""Honest dates: read what a person types, keep its precision, write it back.

`read("late 2014")` gives a `When`: the start and end that bound the period
(sortable, filterable), its precision (day, month, year), a qualifier
(approximate, early, mid, late, before) and, from those, the label a person
would write and the EDTF string. dateparser reads single dates; qualifiers and
ranges are read here around it, because dateparser does not know them.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.date import DateDataParser

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)

APPROXIMATE, EARLY, MID, LATE, BEFORE = "approximate", "early", "mid", "late", "before"
QUALIFIERS = ("", APPROXIMATE, EARLY, MID, LATE, BEFORE)

# Parts of a year as months (first, last), and their EDTF level 2 sub-year
# groupings: quadrimesters 37, 38, 39 are Jan-Apr, May-Aug, Sep-Dec.
PARTS_OF_YEAR = {EARLY: (1, 4, 37), MID: (5, 8, 38), LATE: (9, 12, 39)}

MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_LENGTH = 100


class DateError(ValueError):
    """Input that cannot be read as a date; the message quotes the input."""


@dataclass(frozen=True)
class When:
    start: dt.date
    end: dt.date
    precision: str
    qualifier: str = ""

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        if self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")
        if self.end < self.start:
            raise ValueError("end before start")
        if self.qualifier == BEFORE and self.start != self.end:
            raise ValueError("a “before” date is stored as its latest possible day")

    @property
    def is_range(self):
        return self.qualifier in ("", APPROXIMATE) and self.end != period_end(self.start, self.precision)

    @property
    def is_approximate(self):
        return self.qualifier in (APPROXIMATE, EARLY, MID, LATE)

    @property
    def label(self):
        if self.qualifier == MID:
            return f"mid-{self.start.year}"
        if self.qualifier in PARTS_OF_YEAR:
            return f"{self.qualifier} {self.start.year}"
        return "".join(self.parts())

    def parts(self):
        """The label as (prefix, first, separator, last): a range's two ends, for <time> elements."""
        prefix = {APPROXIMATE: "c. ", BEFORE: "before "}.get(self.qualifier, "")
        if self.qualifier in PARTS_OF_YEAR:
            return ("", self.label, "", "")
        if self.qualifier == BEFORE:
            return (prefix, _label(self.end + dt.timedelta(days=1), self.precision), "", "")
        if self.end == period_end(self.start, self.precision):
            return (prefix, _label(self.start, self.precision), "", "")
        return (prefix, *_range_label(self.start, self.end, self.precision))

    def datetimes(self):
        """The `<time datetime>` of each date parts() shows: (first, last), last "" when there is one.

        "before 7 June 2023" is stored as its latest day, 6 June; the date it
        shows, and so its datetime, is 7 June.
        """
        if self.qualifier == BEFORE:
            return (_edtf(self.end + dt.timedelta(days=1), self.precision), "")
        if self.parts()[3]:
            return (self.datetime_start, self.datetime_end)
        return (self.datetime_start, "")

    @property
    def datetime_start(self):
        """Start at its precision, as HTML's <time datetime> takes it ("1984", "2013-09")."""
        return _edtf(self.start, self.precision)

    @property
    def datetime_end(self):
        return _edtf(self.end, self.precision)

    @property
    def edtf(self):
        if self.qualifier in PARTS_OF_YEAR:
            return f"{self.start.year}-{PARTS_OF_YEAR[self.qualifier][2]}~"
        if self.qualifier == BEFORE:
            # "[..X]" is EDTF's "on or before X": X is the period just before.
            return f"[..{_edtf(self.end, self.precision)}]"
        mark = "~" if self.qualifier == APPROXIMATE else ""
        first = _edtf(self.start, self.precision) + mark
        if self.end == period_end(self.start, self.precision):
            return first
        return f"{first}/{_edtf(self.end, self.precision)}{mark}"

    def describe(self):
        """The reading in full, e.g. 'late 2014 — 1 Sep 2014 to 31 Dec 2014, approximate'."""
        if self.qualifier == BEFORE:
            return f"{self.label} — on or before {self.end:%-d %b %Y}"
        text = f"{self.label} — {self.start:%-d %b %Y} to {self.end:%-d %b %Y}"
        return text + ", approximate" if self.is_approximate else text


def period_end(start, precision):
    if precision == YEAR:
        return dt.date(start.year, 12, 31)
    if precision == MONTH:
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def _label(day, precision):
    if precision == YEAR:
        return str(day.year)
    if precision == MONTH:
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def _range_label(start, end, precision):
    """(first, separator, last), the first end shortened where the last says the rest."""
    last = _label(end, precision)
    if precision == YEAR:
        return (str(start.year), "–", last)
    if precision == MONTH:
        if start.year == end.year:
            return (f"{start:%B}", "–", last)
        return (_label(start, MONTH), " – ", last)
    if (start.year, start.month) == (end.year, end.month):
        return (str(start.day), "–", last)
    if start.year == end.year:
        return (f"{start.day} {start:%B}", " – ", last)
    return (_label(start, DAY), " – ", last)


def _edtf(day, precision):
    if precision == YEAR:
        return f"{day.year:04d}"
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


# --- reading -----------------------------------------------------------------

_SETTINGS = {
    # Without these a bare "1984" takes today's day and month.
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_MONTH_OF_YEAR": "first",
    "PREFER_DATES_FROM": "past",
}
# Two fixed bases: a phrase that reads differently against them is relative.
_PROBE_BASES = (dt.datetime(2001, 3, 15), dt.datetime(2010, 8, 24))


@lru_cache(maxsize=32)
def _parser(base):
    """One parser per relative base, reused: building one per call is slow."""
    return DateDataParser(languages=["en", "zh"], settings={**_SETTINGS, "RELATIVE_BASE": base})


_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
_BETWEEN = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|until)\s+(.+)$", re.I)
_DASH = re.compile(r"\s*[–—]\s*|\s+-\s+|\s+to\s+|\s*至\s*")
_QUALIFIER = re.compile(
    r"^(?P<q>early|mid|late|c\.|ca\.|circa|about|around|approximately|before)(?:\s+|-)(?P<rest>.+)$",
    re.I,
)
_LEADING = re.compile(r"^(?:in|on|of|during)\s+", re.I)
_WORDY_NUMBER = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)
_HAS_YEAR = re.compile(r"\d{4}|年")
_BARE_DAY = re.compile(r"^\d{1,2}$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(rf"^(?:last\s+)?({'|'.join(_WEEKDAYS)})$", re.I)
# Words a date can be made of; anything else ("three", "soon") is not a date,
# however dateparser would read it.
_DATE_WORD = re.compile(
    r"\d|[年月日]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|$|,)"
    r"|\b(?:today|yesterday|tomorrow|ago|last|next|this|week|month|year)\b|" + "|".join(_WEEKDAYS),
    re.I,
)


def read(text, reference=None):
    """Read a typed date into a `When`; raise `DateError` quoting the input.

    `reference` (a date, e.g. an article's publication date) resolves relative
    phrases such as "last month" or "on Tuesday"; without it they are refused.
    """
    original = text
    text = " ".join(str(text or "").split())
    if not text:
        raise DateError("Enter a date, e.g. “11 October 2013”, “September 2013” or “late 2014”.")
    if len(text) > MAX_LENGTH:
        raise DateError(f"“{text[:40]}…” is too long to be a date.")
    try:
        return _read(text, reference)
    except DateError as error:
        if str(original).strip() in str(error):
            raise
        raise DateError(f"“{text}”: {error}") from None


def _read(text, reference):
    match = _QUALIFIER.match(text)
    if match:
        qualifier = match["q"].lower()
        inner = _read(match["rest"], reference)
        if qualifier in PARTS_OF_YEAR:
            if inner.precision != YEAR or inner.qualifier or inner.is_range:
                raise DateError(f"“{qualifier}” goes with a single year, as in “{qualifier} 2014”.")
            first, last, _ = PARTS_OF_YEAR[qualifier]
            year = inner.start.year
            return When(dt.date(year, first, 1), period_end(dt.date(year, last, 1), MONTH), YEAR, qualifier)
        if inner.qualifier:
            raise DateError("only one qualifier at a time.")
        if qualifier == "before":
            if inner.is_range:
                raise DateError("“before” goes with a single date, not a range.")
            # Stored as the latest day it can be: it sorts before its anchor,
            # and a search from the anchor on rightly leaves it out.
            last = inner.start - dt.timedelta(days=1)
            return When(last, last, inner.precision, BEFORE)
        return When(inner.start, inner.end, inner.precision, APPROXIMATE)

    text = _LEADING.sub("", text)
    match = _BETWEEN.match(text) or _YEAR_RANGE.match(text)
    if match:
        return _range(match[1], match[2], reference)
    parts = _DASH.split(text)
    if len(parts) == 2 and all(parts):
        return _range(parts[0], parts[1], reference)
    return _single(text, reference)


def _range(left, right, reference):
    end = _single(right, reference)
    left = left.strip()
    if _BARE_DAY.match(left) and end.precision == DAY:
        # "7–9 June 2023": the first day borrows month and year from the second.
        start = _single(f"{end.start.year}-{end.start.month:02d}-{int(left):02d}", None)
    elif not _HAS_YEAR.search(left) and end.precision in (DAY, MONTH):
        # "26 September – 2 October 2017": the first part borrows the year.
        start = _single(f"{left} {end.start.year}", None)
    else:
        start = _single(left, reference)
    if start.precision != end.precision:
        raise DateError("both ends of a range need the same precision, e.g. “2007–2010” or “7–9 June 2023”.")
    if end.end < start.start:
        raise DateError("the range ends before it starts.")
    if start.start == end.start:
        return start
    return When(start.start, end.end, start.precision)


def _single(text, reference):
    text = _LEADING.sub("", text.strip())
    match = _ISO.match(text)
    if match:
        # Read ISO ourselves: dateparser swaps "2023-13-01" into 13 January.
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        try:
            start = dt.date(year, month, day)
        except ValueError:
            raise DateError(f"“{text}” is not a real date.") from None
        return _when(start, DAY if match[3] else MONTH)

    if _WORDY_NUMBER.search(text) and not re.search(r"[a-z]{3,}\s+\d{4}|\d{4}", text, re.I):
        raise DateError(f"“{text}” is an ordinal, not a date.")
    if not _HAS_YEAR.search(text) and re.fullmatch(r"[\d\s.,/]+", text):
        raise DateError(f"“{text}” is a number, not a date; write the year in full.")
    if not _DATE_WORD.search(text):
        raise DateError(f"could not read “{text}” as a date (e.g. “11 October 2013”, “September 2013”, “late 2014”).")
    match = _WEEKDAY.match(text)
    if match:
        # News style: "on Tuesday" in an article of a Tuesday is that day,
        # otherwise the Tuesday before (dateparser always goes a week back).
        if reference is None:
            raise DateError(f"“{text}” is relative; it needs a reference date such as the article's publication date.")
        back = (reference.weekday() - _WEEKDAYS.index(match[1].lower())) % 7
        return _when(reference - dt.timedelta(days=back), DAY)

    first, second = (_parser(base).get_date_data(text) for base in _PROBE_BASES)
    if first.date_obj is None:
        raise DateError(f"could not read “{text}” as a date (e.g. “11 October 2013”, “September 2013”, “late 2014”).")
    relative = (first.date_obj, first.period) != (second.date_obj, second.period)
    if relative:
        if reference is None:
            raise DateError(f"“{text}” is relative; it needs a reference date such as the article's publication date.")
        data = _parser(dt.datetime.combine(reference, dt.time())).get_date_data(text)
    else:
        data = first
    precision = {"year": YEAR, "month": MONTH}.get(data.period, DAY)
    return _when(data.date_obj.date(), precision)


def _when(start, precision):
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise DateError(f"the year {start.year} is out of range.")
    if precision == YEAR:
        start = start.replace(month=1, day=1)
    elif precision == MONTH:
        start = start.replace(day=1)
    return When(start, period_end(start, precision), precision)

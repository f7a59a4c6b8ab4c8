"""Honest dates: read what a person types, keep its precision, write it back.

`read("late 2014")` gives a `When`: the start and end that bound the period
(sortable, filterable), its precision (day, month, year), a qualifier
(approximate, early, mid, late, before, after, by, uncertain, onwards) and,
from those, the label a person would write and the EDTF string. dateparser
reads single dates; qualifiers, ranges, quarters, decades and all-number dates
are read here around it, because dateparser does not know them or guesses.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.date import DateDataParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)

APPROXIMATE, EARLY, MID, LATE, BEFORE = "approximate", "early", "mid", "late", "before"
AFTER, BY, UNCERTAIN, ONWARDS = "after", "by", "uncertain", "onwards"
QUALIFIERS = ("", APPROXIMATE, EARLY, MID, LATE, BEFORE, AFTER, BY, UNCERTAIN, ONWARDS)

# Parts of a year as months (first, last), and their EDTF level 2 sub-year
# groupings: quadrimesters 37, 38, 39 are Jan-Apr, May-Aug, Sep-Dec.
PARTS_OF_YEAR = {EARLY: (1, 4, 37), MID: (5, 8, 38), LATE: (9, 12, 39)}

MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_LENGTH = 100
# What works, for every message that refuses.
EXAMPLES = gettext_lazy("e.g. “11 October 2013”, “September 2013” or “late 2014”")
ONE_DAY = dt.timedelta(days=1)


class DateError(ValueError):
    """Input that cannot be read as a date; the message quotes the input and says what works."""


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
        # Bounds are one day, the latest or earliest the event can be; so they sort and filter rightly.
        if self.qualifier in (BEFORE, BY) and not self.start == self.end == period_end(self.end, self.precision):
            raise ValueError(f"a “{self.qualifier}” date is stored as its latest possible day")
        if self.qualifier == AFTER and not self.start == self.end == period_start(self.start, self.precision):
            raise ValueError("an “after” date is stored as its earliest possible day")
        if self.qualifier in (UNCERTAIN, ONWARDS) and not (
            self.start == period_start(self.start, self.precision)
            and self.end == period_end(self.start, self.precision)
        ):
            raise ValueError(f"an “{self.qualifier}” date is one whole day, month or year")

    @property
    def is_range(self):
        # Bounds, an open end and an uncertain date are one period, not a range (queries.py repeats this).
        return self.qualifier in ("", APPROXIMATE) and self.end != period_end(self.start, self.precision)

    @property
    def is_approximate(self):
        # Not exact: near ("c.", a part of a year) or possibly wrong altogether ("2015?").
        return self.qualifier in (APPROXIMATE, EARLY, MID, LATE, UNCERTAIN)

    @property
    def label(self):
        if _chinese():
            return "".join(self.parts())
        if self.qualifier == MID:
            return f"mid-{self.start.year}"
        if self.qualifier in PARTS_OF_YEAR:
            return f"{self.qualifier} {self.start.year}"
        return "".join(self.parts())

    def _anchor(self):
        """The date a bound shows: "before 7 June 2023" is stored as 6 June, "after 2015" as 1 January 2016."""
        return {BEFORE: self.end + ONE_DAY, AFTER: self.start - ONE_DAY, BY: self.end}.get(self.qualifier)

    def parts(self):
        """The label as (prefix, first, separator, last): a range's two ends, for <time> elements.

        A suffix ("2015?", "1984 onwards") stays in `first`, so a <time> element shows it. In Chinese when the
        page is: "约2013年10月", "2023年6月7日之前", "2007年至2010年".
        """
        if _chinese():
            return self._chinese_parts()
        if self.qualifier in PARTS_OF_YEAR:
            return ("", self.label, "", "")
        prefix = {APPROXIMATE: "c. ", BEFORE: "before ", AFTER: "after ", BY: "by "}.get(self.qualifier, "")
        anchor = self._anchor()
        if anchor:
            return (prefix, _label(anchor, self.precision), "", "")
        if self.end == period_end(self.start, self.precision):
            suffix = {UNCERTAIN: "?", ONWARDS: " onwards"}.get(self.qualifier, "")
            return (prefix, _label(self.start, self.precision) + suffix, "", "")
        return (prefix, *_range_label(self.start, self.end, self.precision))

    def _chinese_parts(self):
        year = self.start.year
        if self.qualifier in PARTS_OF_YEAR:
            return ("", f"{year}年{_ZH_PART_OF_YEAR[self.qualifier]}", "", "")
        prefix = {APPROXIMATE: "约", BY: "不晚于"}.get(self.qualifier, "")
        suffix = {BEFORE: "之前", AFTER: "之后", UNCERTAIN: "？", ONWARDS: "起"}.get(self.qualifier, "")
        anchor = self._anchor()
        if anchor:
            return (prefix, _zh_label(anchor, self.precision) + suffix, "", "")
        if self.end == period_end(self.start, self.precision):
            return (prefix, _zh_label(self.start, self.precision) + suffix, "", "")
        return (prefix, _zh_label(self.start, self.precision), "至", _zh_rest(self.start, self.end, self.precision))

    def datetimes(self):
        """The `<time datetime>` of each date parts() shows: (first, last), last "" when there is one.

        "before 7 June 2023" is stored as its latest day, 6 June; the date it
        shows, and so its datetime, is 7 June.
        """
        anchor = self._anchor()
        if anchor:
            return (_edtf(anchor, self.precision), "")
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
        if self.qualifier in (BEFORE, BY):
            # "[..X]" is EDTF's "on or before X"; for "before", X is the period just before.
            return f"[..{_edtf(self.end, self.precision)}]"
        if self.qualifier == AFTER:
            # "[X..]" is "on or after X", X the period just after.
            return f"[{_edtf(self.start, self.precision)}..]"
        if self.qualifier == ONWARDS:
            return f"{_edtf(self.start, self.precision)}/.."
        mark = {APPROXIMATE: "~", UNCERTAIN: "?"}.get(self.qualifier, "")
        first = _edtf(self.start, self.precision) + mark
        if self.end == period_end(self.start, self.precision):
            return first
        return f"{first}/{_edtf(self.end, self.precision)}{mark}"

    def describe(self):
        """The reading in plain words, e.g. 'after 2015 → on or after 1 Jan 2016, year precision'."""
        first, last = _short(self.start), _short(self.end)
        reading = {
            BEFORE: f"on or before {last}",
            BY: f"on or before {last}",
            AFTER: f"on or after {first}",
            ONWARDS: f"from {first}, no end date",
        }.get(self.qualifier, first if self.start == self.end else f"{first} to {last}")
        note = ", uncertain" if self.qualifier == UNCERTAIN else ", approximate" if self.is_approximate else ""
        return f"{self.label} → {reading}, {self.precision} precision{note}"


def period_start(day, precision):
    if precision == YEAR:
        return day.replace(month=1, day=1)
    if precision == MONTH:
        return day.replace(day=1)
    return day


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


def _shown(day, precision):
    """A day or month as the reader's language writes it: for examples in messages."""
    return _when(day, precision).label


_ZH_PART_OF_YEAR = {EARLY: "初", MID: "中", LATE: "末"}


def _chinese():
    """Whether dates are shown in Chinese: on the Chinese pages (the language of the request)."""
    return (translation.get_language() or "").startswith("zh")


def _zh_label(day, precision):
    if precision == YEAR:
        return f"{day.year}年"
    if precision == MONTH:
        return f"{day.year}年{day.month}月"
    return f"{day.year}年{day.month}月{day.day}日"


def _zh_rest(start, end, precision):
    """A range's second end in Chinese, leaving out what the first already said: "2017年9月26日至29日"."""
    if precision == DAY and (start.year, start.month) == (end.year, end.month):
        return f"{end.day}日"
    if precision != YEAR and start.year == end.year:
        return f"{end.month}月" + (f"{end.day}日" if precision == DAY else "")
    return _zh_label(end, precision)


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


def _short(day):
    return f"{day.day} {day:%b} {day.year}"


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


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_NAME = r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# Words before a date, and the qualifier each gives. "from 2007 to 2010" is a range, read before these.
_PREFIXES = {
    "early": EARLY, "mid": MID, "late": LATE,
    "c.": APPROXIMATE, "ca.": APPROXIMATE, "circa": APPROXIMATE, "about": APPROXIMATE, "around": APPROXIMATE,
    "approximately": APPROXIMATE, "probably": UNCERTAIN,
    "before": BEFORE, "after": AFTER, "by": BY, "on or before": BY, "since": ONWARDS, "from": ONWARDS,
}
_QUALIFIER = re.compile(
    rf"^(?P<q>{'|'.join(map(re.escape, _PREFIXES))})(?:(?<=\.)\s*|\s+|-)(?P<rest>.+)$", re.I
)
# The same in Chinese: "约2013年10月", "2023年6月7日之前", "2014年末", "1984年起".
_ZH_QUALIFIERS = {
    "约": APPROXIMATE, "大约": APPROXIMATE, "大概": APPROXIMATE, "左右": APPROXIMATE, "前后": APPROXIMATE,
    "不晚于": BY, "早于": BEFORE, "晚于": AFTER, "之前": BEFORE, "以前": BEFORE, "之后": AFTER, "以后": AFTER,
    "以来": ONWARDS, "起": ONWARDS, "初": EARLY, "中": MID, "末": LATE, "底": LATE,
}
_ZH_PART_OF = re.compile(r"^(?P<rest>\d{4})\s*年\s*(?P<q>初|中|末|底)$")
_ZH_BEFORE = re.compile(r"^(?P<q>约|大约|大概|不晚于|早于|晚于)\s*(?P<rest>.+)$")
_ZH_AFTER = re.compile(r"^(?P<rest>.+?)\s*(?P<q>之前|以前|之后|以后|左右|前后|以来|起)$")
# After a date: "2015?" is uncertain; "1984–", "1984 onwards" have an open end.
_SUFFIX = re.compile(r"^(?P<rest>.+?)\s*(?P<mark>[?？]|[-–—]|\bonwards?)$", re.I)
# How each qualifier is written, for messages.
_SHOWN = {BEFORE: "before 2015", AFTER: "after 2015", BY: "by 2015", UNCERTAIN: "2015?", ONWARDS: "1984 onwards"}

_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_YMD = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$")
# "9/10/2015": day first or month first, which the numbers alone do not say.
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_NUMBER_AND_YEAR = re.compile(r"^(\d{1,2})(\s+|[/.-])(\d{4})$")
_DECADE = re.compile(r"^(?:the\s+)?['’]?(\d{1,3})0(?:['’]?s|年代)$", re.I)  # "the 1990s", "1990年代"
_QUARTER = re.compile(r"^(?:([QH])([1-4])|([1-4])([QH]))(?:\s*/?\s*(\d{4}))?$", re.I)
_YEAR_QUARTER = re.compile(r"^(\d{4})\s*/?\s*([QH][1-4]|[1-4][QH])$", re.I)  # "2015 Q3"
# "1984", "2015年", "2015年10月", "2017年9月26日"
_YEAR_OR_CHINESE = re.compile(r"^(\d{4})(?:年(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?)?$")
_DAY_MONTH = re.compile(
    r"^(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[a-z]{3,})\.?|(?P<m2>[a-z]{3,})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)"
    r",?(?:\s+(?P<y>\d{4}))?$",
    re.I,
)

_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
_DAY_RANGE = re.compile(r"^(\d{1,2})\s*-\s*(\d{1,2}\s.+)$")  # "7-9 June 2023"
_BETWEEN = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|until)\s+(.+)$", re.I)
# A hyphen between two numbers is part of a date ("2013-10-11", "9-10-2015"), not a range.
_DASH = re.compile(r"\s*[–—]\s*|\s+-\s*|\s*-\s+|(?<=\D)-|-(?=\D)|\s+(?:to|until)\s+|\s*至\s*", re.I)
# Marks no date is written with: dateparser skips them, and would read "??1" or "<b>2014</b>".
_NOT_DATE_MARK = re.compile(r"[^\w\s.,/'’–—-]")
_LEADING = re.compile(r"^(?:in|on(?! or before\b)|of|during)\s+", re.I)
_WORDY_NUMBER = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)
_HAS_YEAR = re.compile(r"\d{4}|年")
_BARE_DAY = re.compile(r"^\d{1,2}$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(rf"^(?:last\s+)?({'|'.join(_WEEKDAYS)})$", re.I)
# Words a date can be made of; anything else ("three", "soon") is not a date,
# however dateparser would read it.
_DATE_WORD = re.compile(
    rf"\d|[年月日]|{_MONTH_NAME}(?:\s|$|,)"
    r"|\b(?:today|yesterday|tomorrow|ago|last|next|this|week|month|year)\b|" + "|".join(_WEEKDAYS),
    re.I,
)


def read(text, reference=None, scope=None):
    """Read a typed date into a `When`; raise `DateError` quoting the input.

    `reference` (a date, e.g. an article's publication date) resolves relative
    phrases such as "last month" or "on Tuesday"; without it they are refused.
    `scope`, a (first year, last year) pair, refuses a reading that starts or
    ends outside those years.
    """
    text = " ".join(str(text or "").split())
    if not text:
        raise DateError(_("Enter a date, %(examples)s.") % {"examples": EXAMPLES})
    if len(text) > MAX_LENGTH:
        raise DateError(_("“%(text)s…” is too long to be a date; %(examples)s.") % {"text": text[:40],
                                                                                    "examples": EXAMPLES})
    try:
        when = _read(text, reference)
        for year in (when.start.year, when.end.year):
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise DateError(_out_of_range(year))
    except DateError as error:
        if f"“{text}”" in str(error):
            raise
        raise DateError(_("“%(text)s”: %(error)s") % {"text": text, "error": error}) from None
    if scope and (when.start.year < scope[0] or when.end.year > scope[1]):
        first, last = scope
        raise DateError(_("“%(text)s” is outside the chronology's years, %(first)s–%(last)s; e.g. “%(last)s”.")
                        % {"text": text, "first": first, "last": last})
    return when


def _read(text, reference):
    text = _LEADING.sub("", text)
    match = _BETWEEN.match(text)
    if match:
        return _range(match[1], match[2], reference)
    match = _ZH_PART_OF.match(text) or _ZH_BEFORE.match(text) or _ZH_AFTER.match(text)
    if match:
        return _qualify(_ZH_QUALIFIERS[match["q"]], match["q"], _read(match["rest"], reference))
    match = _QUALIFIER.match(text)
    if match:
        word = match["q"].lower()
        return _qualify(_PREFIXES[word], word, _read(match["rest"], reference))
    match = _SUFFIX.match(text)
    if match:
        qualifier = UNCERTAIN if match["mark"] in "?？" else ONWARDS
        return _qualify(qualifier, match["mark"], _read(match["rest"], reference))
    match = _YEAR_RANGE.match(text) or _DAY_RANGE.match(text)
    if match:
        return _range(match[1], match[2], reference)
    parts = _DASH.split(text)
    if len(parts) == 2 and all(parts):
        return _range(parts[0], parts[1], reference)
    return _single(text, reference)


def _qualify(qualifier, word, inner):
    """`inner` with the qualifier `word` gives it."""
    if qualifier in PARTS_OF_YEAR:
        if inner.precision != YEAR or inner.qualifier or inner.is_range:
            raise DateError(_("“%(word)s” goes with a single year, e.g. “%(example)s”.")
                            % {"word": word, "example": f"2014年{word}" if _ZH_QUALIFIERS.get(word) else f"{word} 2014"})
        first, last, _code = PARTS_OF_YEAR[qualifier]
        year = inner.start.year
        return When(dt.date(year, first, 1), period_end(dt.date(year, last, 1), MONTH), YEAR, qualifier)
    if qualifier == ONWARDS == inner.qualifier:
        return inner  # "from 1984 onwards"
    if inner.qualifier:
        raise DateError(_("only one qualifier at a time, e.g. “c. 2014”, “before 2014” or “2014?”."))
    if qualifier == APPROXIMATE:
        return When(inner.start, inner.end, inner.precision, APPROXIMATE)
    if inner.is_range:
        raise DateError(_("“%(word)s” goes with a single date, not a range, e.g. “%(example)s”.")
                        % {"word": word, "example": _SHOWN[qualifier]})
    if qualifier == BEFORE:
        # Stored as the latest day it can be: it sorts before its anchor,
        # and a search from the anchor on rightly leaves it out.
        day = inner.start - ONE_DAY
    elif qualifier == AFTER:
        day = inner.end + ONE_DAY  # the earliest day it can be, for the same reasons
    elif qualifier == BY:
        day = inner.end  # on or before the end of the period
    else:
        return When(inner.start, inner.end, inner.precision, qualifier)  # uncertain, onwards: the period itself
    return When(day, day, inner.precision, qualifier)


def _range(left, right, reference):
    left, right = left.strip(), right.strip()
    if _HAS_YEAR.search(left) and not _HAS_YEAR.search(right):
        # "2017年9月26日至28日", "June 2015 to August": the second end takes what it leaves out from the first.
        start = _single(left, reference)
        end = _single(_borrow(right, start), None)
    else:
        end = _single(right, reference)
        if _BARE_DAY.match(left) and end.precision == DAY:
            # "7–9 June 2023": the first day borrows month and year from the second.
            start = _single(f"{int(left)} {end.start:%B} {end.start.year}", None)
        elif not _HAS_YEAR.search(left) and end.precision in (DAY, MONTH):
            # "26 September – 2 October 2017": the first part borrows the year.
            start = _single(f"{left} {end.start.year}", None)
        else:
            start = _single(left, reference)
    if start.precision != end.precision:
        raise DateError(_("both ends of a range need the same precision, e.g. “2007–2010” or “7–9 June 2023”."))
    if end.end < start.start:
        raise DateError(_("the range ends before it starts; write the earlier date first, e.g. “2007–2010”."))
    if start.start == end.start:
        return start
    return When(start.start, end.end, start.precision)


def _borrow(right, start):
    """The second end of a range, completed from the first (`start`): "28日" after "2017年9月26日"."""
    if start.precision == DAY and re.fullmatch(r"\d{1,2}[日号]?", right):
        return f"{int(right.rstrip('日号'))} {start.start:%B} {start.start.year}"
    if start.precision in (DAY, MONTH) and re.fullmatch(r"\d{1,2}月(?:\d{1,2}[日号])?", right):
        return f"{start.start.year}年{right}"
    if re.match(_MONTH_NAME, right, re.I):
        return f"{right} {start.start.year}"
    return right


def _single(text, reference):
    text = _LEADING.sub("", text.strip())
    when = _pattern(text)
    if when:
        return when
    if _WORDY_NUMBER.search(text) and not re.search(r"[a-z]{3,}\s+\d{4}|\d{4}", text, re.I):
        raise DateError(_("“%(text)s” is an ordinal, not a date; %(examples)s.") % {"text": text, "examples": EXAMPLES})
    if not _HAS_YEAR.search(text) and re.fullmatch(r"[\d\s.,/-]+", text):
        raise DateError(_("“%(text)s” is a number, not a date; write the year in full, e.g. “2015”.") % {"text": text})
    if not _DATE_WORD.search(text) or _NOT_DATE_MARK.search(text):
        raise DateError(_unreadable(text))
    match = _WEEKDAY.match(text)
    if match:
        # News style: "on Tuesday" in an article of a Tuesday is that day,
        # otherwise the Tuesday before (dateparser always goes a week back).
        if reference is None:
            raise DateError(_relative(text))
        back = (reference.weekday() - _WEEKDAYS.index(match[1].lower())) % 7
        return _when(reference - dt.timedelta(days=back), DAY)

    first, second = (_parser(base).get_date_data(text) for base in _PROBE_BASES)
    if first.date_obj is None:
        raise DateError(_unreadable(text))
    if (first.date_obj, first.period) == (second.date_obj, second.period):
        data = first
    elif re.search(r"\d{4}", text):
        # A written year that still reads as relative is a half-read phrase, not a relative date.
        raise DateError(_unreadable(text))
    elif reference is None:
        raise DateError(_relative(text))
    else:
        data = _parser(dt.datetime.combine(reference, dt.time())).get_date_data(text)
        if data.date_obj is None:
            raise DateError(_unreadable(text))
    precision = {"year": YEAR, "month": MONTH}.get(data.period, DAY)
    return _when(data.date_obj.date(), precision)


def _pattern(text):
    """The forms read here, not by dateparser: numbers, decades, quarters, Chinese, days that may not exist."""
    match = _ISO.match(text)
    if match:
        # Read ISO ourselves: dateparser swaps "2023-13-01" into 13 January.
        day = _real_date(text, int(match[1]), int(match[2]), int(match[3] or 1))
        return _when(day, DAY if match[3] else MONTH)
    match = _YMD.match(text)
    if match:
        return _when(_real_date(text, int(match[1]), int(match[3]), int(match[4])), DAY)

    match = _NUMERIC.match(text)
    if match:
        return _day_or_month_first(text, int(match[1]), int(match[3]), int(match[4]))
    match = _NUMBER_AND_YEAR.match(text)
    if match:
        number, year = int(match[1]), int(match[3])
        if match[2].strip() and 1 <= number <= 12:
            return _when(_real_date(text, year, number, 1), MONTH)  # "10/2015": only a month comes before a year
        year = year if 1 <= year <= 9999 else 2015  # for the examples only ("13/0000")
        values = {"text": text, "number": number, "month": _shown(dt.date(year, max(1, min(number, 12)), 1), MONTH),
                  "march": _shown(dt.date(year, 3, 1), MONTH),
                  "day": 1 <= number <= 31 and _shown(dt.date(year, 3, number), DAY)}
        if 1 <= number <= 12:
            raise DateError(_("“%(text)s”: is “%(number)s” a day or the month? Write the month in words, "
                              "e.g. “%(month)s” or “%(day)s”.") % values)
        if values["day"]:
            raise DateError(_("“%(text)s”: “%(number)s” is not a month; write the month in words, "
                              "e.g. “%(march)s” or “%(day)s”.") % values)
        raise DateError(_("“%(text)s”: “%(number)s” is not a month; write the month in words, e.g. “%(march)s”.")
                        % values)

    match = _DECADE.match(text)
    if match:
        if len(match[1]) < 3:
            raise DateError(_("“%(text)s”: write the decade in full, e.g. “the 1990s”.") % {"text": text})
        first = _real_date(text, int(match[1]) * 10, 1, 1)
        return When(first, dt.date(first.year + 9, 12, 31), YEAR)
    match = _YEAR_QUARTER.match(text)
    if match:
        text = f"{match[2]} {match[1]}"
    match = _QUARTER.match(text)
    if match:
        if not match[5]:
            raise DateError(_("“%(text)s” needs a year, e.g. “%(text)s 2015”.") % {"text": text})
        kind, number, year = (match[1] or match[4]).upper(), int(match[2] or match[3]), int(match[5])
        if kind == "H" and number > 2:
            raise DateError(_("“%(text)s”: a year has two halves, e.g. “H1 %(year)s” or “H2 %(year)s”.")
                            % {"text": text, "year": year})
        months = 3 if kind == "Q" else 6
        first = _real_date(text, year, (number - 1) * months + 1, 1)
        return When(first, period_end(first.replace(month=first.month + months - 1), MONTH), MONTH)
    match = _YEAR_OR_CHINESE.match(text)
    if match:
        day = _real_date(text, int(match[1]), int(match[2] or 1), int(match[3] or 1))
        return _when(day, DAY if match[3] else MONTH if match[2] else YEAR)
    match = _DAY_MONTH.match(text)
    month = match and _month_number(match["m1"] or match["m2"])
    if month:
        year = int(match["y"]) if match["y"] else None
        day = _real_date(text, year, month, int(match["d1"] or match["d2"]))
        if day:
            return _when(day, DAY)
    return None  # not ours: dateparser's, or relative ("26 September" without a year)


def _day_or_month_first(text, first, second, year):
    """An all-number date, read only when its numbers allow one reading."""
    readings = {}
    for day, month, order in ((first, second, gettext_noop("day first")), (second, first, gettext_noop("month first"))):
        try:
            readings.setdefault(dt.date(year, month, day), order)
        except ValueError:
            continue
    if not readings:
        raise DateError(_("“%(text)s” is not a real date, day first or month first; write the month in words, "
                          "e.g. “%(example)s”.") % {"text": text, "example": _shown(dt.date(2015, 10, 9), DAY)})
    if len(readings) == 1:
        return _when(next(iter(readings)), DAY)
    (one, one_order), (other, other_order) = readings.items()
    raise DateError(_("“%(text)s” could be %(one)s (%(one_order)s) or %(other)s (%(other_order)s): write the month "
                      "in words, e.g. “%(one)s”.") % {"text": text, "one": _shown(one, DAY), "other": _shown(other, DAY),
                                                    "one_order": _(one_order), "other_order": _(other_order)})


def _month_number(word):
    word = word.lower()
    return next((number for number, name in enumerate(_MONTHS, 1) if name.startswith(word)), None)


def _real_date(text, year, month, day):
    """The date, or a DateError that says what is wrong with it; without a year, None once the day fits."""
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(_("“%(text)s”: %(error)s") % {"text": text, "error": _out_of_range(year)})
    if not 1 <= month <= 12:
        raise DateError(_("“%(text)s” is not a real date: there is no month %(month)s; %(examples)s.")
                        % {"text": text, "month": month, "examples": EXAMPLES})
    name = _MONTHS[month - 1].title()
    days = calendar.monthrange(year or 2000, month)[1]  # 2000 is a leap year: "29 February" may be one
    if not 1 <= day <= days:
        values = {"day": day, "days": days, "year": year, "month": name}
        if day < 1:
            why = _("there is no day %(day)s") % values
        elif month == 2 and day == 29:
            why = _("%(year)s is not a leap year, so February %(year)s has 28 days") % values
        elif month == 2:
            why = (_("February %(year)s has %(days)s days") if year else _("February has at most 29 days")) % values
        else:
            why = _("%(month)s has %(days)s days") % values
        if year is None:
            why += _(", and the year is missing")
        example = dt.date(year or 2015, month, min(max(day, 1), calendar.monthrange(year or 2015, month)[1]))
        raise DateError(_("“%(text)s” is not a real date: %(why)s; e.g. “%(example)s”.")
                        % {"text": text, "why": why, "example": _zh_label(example, DAY) if _chinese()
                           else _label(example, DAY)})
    return dt.date(year, month, day) if year else None


def _out_of_range(year):
    return (_("the year %(year)s is out of range; write a year from %(first)s to %(last)s, e.g. “2015”.")
            % {"year": year, "first": MIN_YEAR, "last": MAX_YEAR})


def _unreadable(text):
    return _("could not read “%(text)s” as a date; %(examples)s.") % {"text": text, "examples": EXAMPLES}


def _relative(text):
    return (_("“%(text)s” is relative; it needs a reference date such as the article's publication date, "
              "or write it in full, e.g. “September 2015”.") % {"text": text})


def _when(start, precision):
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise DateError(_out_of_range(start.year))
    start = period_start(start, precision)
    return When(start, period_end(start, precision), precision)

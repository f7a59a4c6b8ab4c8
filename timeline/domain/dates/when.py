"""A date as we hold it: a `When` (start, end, precision, qualifier) and how it is written back
(labels in English and Chinese, EDTF), whatever typed it."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        # Bounds, an open end and an uncertain date are one period, not a range (browse/axis.py repeats this on month numbers, for 100,000 events at a time).
        return self.qualifier in ("", APPROXIMATE) and self.end != period_end(self.start, self.precision)

    @property
    def is_approximate(self):
        # Not exact: near ("c.", a part of a year) or possibly wrong altogether ("2015?").
        return self.qualifier in (APPROXIMATE, EARLY, MID, LATE, UNCERTAIN)

    @property
    def label(self):
        if in_chinese():
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
        if in_chinese():
            return self._chinese_parts()
        if self.qualifier in PARTS_OF_YEAR:
            return ("", self.label, "", "")
        prefix = {APPROXIMATE: "c. ", BEFORE: "before ", AFTER: "after ", BY: "by "}.get(self.qualifier, "")
        anchor = self._anchor()
        if anchor:
            return (prefix, label_of(anchor, self.precision), "", "")
        if self.end == period_end(self.start, self.precision):
            suffix = {UNCERTAIN: "?", ONWARDS: " onwards"}.get(self.qualifier, "")
            return (prefix, label_of(self.start, self.precision) + suffix, "", "")
        return (prefix, *_range_label(self.start, self.end, self.precision))

    def _chinese_parts(self):
        year = self.start.year
        if self.qualifier in PARTS_OF_YEAR:
            return ("", f"{year}年{_ZH_PART_OF_YEAR[self.qualifier]}", "", "")
        prefix = {APPROXIMATE: "约", BY: "不晚于"}.get(self.qualifier, "")
        suffix = {BEFORE: "之前", AFTER: "之后", UNCERTAIN: "？", ONWARDS: "起"}.get(self.qualifier, "")
        anchor = self._anchor()
        if anchor:
            return (prefix, zh_label_of(anchor, self.precision) + suffix, "", "")
        if self.end == period_end(self.start, self.precision):
            return (prefix, zh_label_of(self.start, self.precision) + suffix, "", "")
        return (prefix, zh_label_of(self.start, self.precision), "至", _zh_rest(self.start, self.end, self.precision))

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


def label_of(day, precision):
    if precision == YEAR:
        return str(day.year)
    if precision == MONTH:
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def shown(day, precision):
    """A day or month as the reader's language writes it: for examples in messages."""
    return whole_period(day, precision).label


_ZH_PART_OF_YEAR = {EARLY: "初", MID: "中", LATE: "末"}


def in_chinese():
    """Whether dates are shown in Chinese: on the Chinese pages (the language of the request)."""
    return (translation.get_language() or "").startswith("zh")


def zh_label_of(day, precision):
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
    return zh_label_of(end, precision)


def _range_label(start, end, precision):
    """(first, separator, last), the first end shortened where the last says the rest."""
    last = label_of(end, precision)
    if precision == YEAR:
        return (str(start.year), "–", last)
    if precision == MONTH:
        if start.year == end.year:
            return (f"{start:%B}", "–", last)
        return (label_of(start, MONTH), " – ", last)
    if (start.year, start.month) == (end.year, end.month):
        return (str(start.day), "–", last)
    if start.year == end.year:
        return (f"{start.day} {start:%B}", " – ", last)
    return (label_of(start, DAY), " – ", last)


def _edtf(day, precision):
    if precision == YEAR:
        return f"{day.year:04d}"
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _short(day):
    return f"{day.day} {day:%b} {day.year}"


def out_of_range(year):
    return _("the year %(year)s is out of range; write a year from %(first)s to %(last)s, e.g. “2015”.") % {
        "year": year,
        "first": MIN_YEAR,
        "last": MAX_YEAR,
    }


def whole_period(start, precision):
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise DateError(capfirst(out_of_range(start.year)))
    start = period_start(start, precision)
    return When(start, period_end(start, precision), precision)

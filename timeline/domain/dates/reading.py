"""Reading what a person types into a `When`.

dateparser reads single dates; qualifiers, ranges, quarters, decades and all-number dates
are read here around it, because dateparser does not know them or guesses.
"""

import calendar
import datetime as dt
import re
from functools import lru_cache

from dateparser.date import DateDataParser
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from timeline.domain.dates import patterns
from timeline.domain.dates.when import (
    AFTER,
    APPROXIMATE,
    BEFORE,
    BY,
    DAY,
    EXAMPLES,
    MAX_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    MONTH,
    ONE_DAY,
    ONWARDS,
    PARTS_OF_YEAR,
    UNCERTAIN,
    YEAR,
    DateError,
    When,
    in_chinese,
    label_of,
    out_of_range,
    period_end,
    shown,
    whole_period,
    zh_label_of,
)

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
        raise DateError(
            _("“%(text)s…” is too long to be a date; %(examples)s.") % {"text": text[:40], "examples": EXAMPLES}
        )
    try:
        when = _read(text, reference)
        for year in (when.start.year, when.end.year):
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise DateError(capfirst(out_of_range(year)))
    except DateError as error:
        if f"“{text}”" in str(error):
            raise
        raise DateError(_("“%(text)s”: %(error)s") % {"text": text, "error": error}) from None
    if scope and (when.start.year < scope[0] or when.end.year > scope[1]):
        first, last = scope
        raise DateError(
            _("“%(text)s” is outside the chronology's years, %(first)s–%(last)s; e.g. “%(last)s”.")
            % {"text": text, "first": first, "last": last}
        )
    return when


def _read(text, reference):
    text = patterns.LEADING.sub("", text)
    match = patterns.BETWEEN.match(text)
    if match:
        return _range(match[1], match[2], reference)
    match = patterns.ZH_PART_OF.match(text) or patterns.ZH_BEFORE.match(text) or patterns.ZH_AFTER.match(text)
    if match:
        return _qualify(patterns.ZH_QUALIFIERS[match["q"]], match["q"], _read(match["rest"], reference))
    match = patterns.QUALIFIER.match(text)
    if match:
        word = match["q"].lower()
        return _qualify(patterns.PREFIXES[word], word, _read(match["rest"], reference))
    match = patterns.SUFFIX.match(text)
    if match:
        qualifier = UNCERTAIN if match["mark"] in "?？" else ONWARDS
        return _qualify(qualifier, match["mark"], _read(match["rest"], reference))
    match = patterns.YEAR_RANGE.match(text) or patterns.DAY_RANGE.match(text)
    if match:
        return _range(match[1], match[2], reference)
    parts = patterns.DASH.split(text)
    if len(parts) == 2 and all(parts):
        return _range(parts[0], parts[1], reference)
    return _single(text, reference)


def _qualify(qualifier, word, inner):
    """`inner` with the qualifier `word` gives it."""
    if qualifier in PARTS_OF_YEAR:
        if inner.precision != YEAR or inner.qualifier or inner.is_range:
            raise DateError(
                _("“%(word)s” goes with a single year, e.g. “%(example)s”.")
                % {"word": word, "example": f"2014年{word}" if patterns.ZH_QUALIFIERS.get(word) else f"{word} 2014"}
            )
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
        raise DateError(
            _("“%(word)s” goes with a single date, not a range, e.g. “%(example)s”.")
            % {"word": word, "example": patterns.SHOWN[qualifier]}
        )
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
    if patterns.HAS_YEAR.search(left) and not patterns.HAS_YEAR.search(right):
        # "2017年9月26日至28日", "June 2015 to August": the second end takes what it leaves out from the first.
        start = _single(left, reference)
        end = _single(_borrow(right, start), None)
    else:
        end = _single(right, reference)
        if patterns.BARE_DAY.match(left) and end.precision == DAY:
            # "7–9 June 2023": the first day borrows month and year from the second.
            start = _single(f"{int(left)} {end.start:%B} {end.start.year}", None)
        elif not patterns.HAS_YEAR.search(left) and end.precision in (DAY, MONTH):
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
    if re.match(patterns.MONTH_NAME, right, re.I):
        return f"{right} {start.start.year}"
    return right


def _single(text, reference):
    text = patterns.LEADING.sub("", text.strip())
    when = _pattern(text)
    if when:
        return when
    if patterns.WORDY_NUMBER.search(text) and not re.search(r"[a-z]{3,}\s+\d{4}|\d{4}", text, re.I):
        raise DateError(_("“%(text)s” is an ordinal, not a date; %(examples)s.") % {"text": text, "examples": EXAMPLES})
    if not patterns.HAS_YEAR.search(text) and re.fullmatch(r"[\d\s.,/-]+", text):
        raise DateError(_("“%(text)s” is a number, not a date; write the year in full, e.g. “2015”.") % {"text": text})
    if not patterns.DATE_WORD.search(text) or patterns.NOT_DATE_MARK.search(text):
        raise DateError(_unreadable(text))
    match = patterns.WEEKDAY.match(text)
    if match:
        # News style: "on Tuesday" in an article of a Tuesday is that day,
        # otherwise the Tuesday before (dateparser always goes a week back).
        if reference is None:
            raise DateError(_relative(text))
        back = (reference.weekday() - patterns.WEEKDAYS.index(match[1].lower())) % 7
        return whole_period(reference - dt.timedelta(days=back), DAY)

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
    return whole_period(data.date_obj.date(), precision)


def _pattern(text):
    """The forms read here, not by dateparser: numbers, decades, quarters, Chinese, days that may not exist."""
    match = patterns.ISO.match(text)
    if match:
        # Read ISO ourselves: dateparser swaps "2023-13-01" into 13 January.
        day = _real_date(text, int(match[1]), int(match[2]), int(match[3] or 1))
        return whole_period(day, DAY if match[3] else MONTH)
    match = patterns.YMD.match(text)
    if match:
        return whole_period(_real_date(text, int(match[1]), int(match[3]), int(match[4])), DAY)

    match = patterns.NUMERIC.match(text)
    if match:
        return _day_or_month_first(text, int(match[1]), int(match[3]), int(match[4]))
    match = patterns.NUMBER_AND_YEAR.match(text)
    if match:
        number, year = int(match[1]), int(match[3])
        if match[2].strip() and 1 <= number <= 12:
            return whole_period(_real_date(text, year, number, 1), MONTH)  # "10/2015": only a month comes before a year
        year = year if 1 <= year <= 9999 else 2015  # for the examples only ("13/0000")
        values = {
            "text": text,
            "number": number,
            "month": shown(dt.date(year, max(1, min(number, 12)), 1), MONTH),
            "march": shown(dt.date(year, 3, 1), MONTH),
            "day": 1 <= number <= 31 and shown(dt.date(year, 3, number), DAY),
        }
        if 1 <= number <= 12:
            raise DateError(
                _(
                    "“%(text)s”: is “%(number)s” a day or the month? Write the month in words, "
                    "e.g. “%(month)s” or “%(day)s”."
                )
                % values
            )
        if values["day"]:
            raise DateError(
                _("“%(text)s”: “%(number)s” is not a month; write the month in words, e.g. “%(march)s” or “%(day)s”.")
                % values
            )
        raise DateError(
            _("“%(text)s”: “%(number)s” is not a month; write the month in words, e.g. “%(march)s”.") % values
        )

    match = patterns.DECADE.match(text)
    if match:
        if len(match[1]) < 3:
            raise DateError(_("“%(text)s”: write the decade in full, e.g. “the 1990s”.") % {"text": text})
        first = _real_date(text, int(match[1]) * 10, 1, 1)
        return When(first, dt.date(first.year + 9, 12, 31), YEAR)
    match = patterns.YEAR_QUARTER.match(text)
    if match:
        text = f"{match[2]} {match[1]}"
    match = patterns.QUARTER.match(text)
    if match:
        if not match[5]:
            raise DateError(_("“%(text)s” needs a year, e.g. “%(text)s 2015”.") % {"text": text})
        kind, number, year = (match[1] or match[4]).upper(), int(match[2] or match[3]), int(match[5])
        if kind == "H" and number > 2:
            raise DateError(
                _("“%(text)s”: a year has two halves, e.g. “H1 %(year)s” or “H2 %(year)s”.")
                % {"text": text, "year": year}
            )
        months = 3 if kind == "Q" else 6
        first = _real_date(text, year, (number - 1) * months + 1, 1)
        return When(first, period_end(first.replace(month=first.month + months - 1), MONTH), MONTH)
    match = patterns.YEAR_OR_CHINESE.match(text)
    if match:
        day = _real_date(text, int(match[1]), int(match[2] or 1), int(match[3] or 1))
        return whole_period(day, DAY if match[3] else MONTH if match[2] else YEAR)
    match = patterns.DAY_MONTH.match(text)
    month = match and _month_number(match["m1"] or match["m2"])
    if month:
        year = int(match["y"]) if match["y"] else None
        day = _real_date(text, year, month, int(match["d1"] or match["d2"]))
        if day:
            return whole_period(day, DAY)
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
        raise DateError(
            _("“%(text)s” is not a real date, day first or month first; write the month in words, e.g. “%(example)s”.")
            % {"text": text, "example": shown(dt.date(2015, 10, 9), DAY)}
        )
    if len(readings) == 1:
        return whole_period(next(iter(readings)), DAY)
    (one, one_order), (other, other_order) = readings.items()
    raise DateError(
        _(
            "“%(text)s” could be %(one)s (%(one_order)s) or %(other)s (%(other_order)s): write the month "
            "in words, e.g. “%(one)s”."
        )
        % {
            "text": text,
            "one": shown(one, DAY),
            "other": shown(other, DAY),
            "one_order": _(one_order),
            "other_order": _(other_order),
        }
    )


def _month_number(word):
    word = word.lower()
    return next((number for number, name in enumerate(patterns.MONTHS, 1) if name.startswith(word)), None)


def _real_date(text, year, month, day):
    """The date, or a DateError that says what is wrong with it; without a year, None once the day fits."""
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(_("“%(text)s”: %(error)s") % {"text": text, "error": out_of_range(year)})
    if not 1 <= month <= 12:
        raise DateError(
            _("“%(text)s” is not a real date: there is no month %(month)s; %(examples)s.")
            % {"text": text, "month": month, "examples": EXAMPLES}
        )
    name = patterns.MONTHS[month - 1].title()
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
        raise DateError(
            _("“%(text)s” is not a real date: %(why)s; e.g. “%(example)s”.")
            % {
                "text": text,
                "why": why,
                "example": zh_label_of(example, DAY) if in_chinese() else label_of(example, DAY),
            }
        )
    return dt.date(year, month, day) if year else None


def _unreadable(text):
    return _("Could not read “%(text)s” as a date; %(examples)s.") % {"text": text, "examples": EXAMPLES}


def _relative(text):
    return _(
        "“%(text)s” is relative; it needs a reference date such as the article's publication date, "
        "or write it in full, e.g. “September 2015”."
    ) % {"text": text}

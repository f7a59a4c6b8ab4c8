import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from timeline.domain.dates import MAX_YEAR, MIN_YEAR, DateError, When, read

D = dt.date

# text, start, end, precision, qualifier, label, EDTF
GOOD = [
    ("11 October 2013", D(2013, 10, 11), D(2013, 10, 11), "day", "", "11 October 2013", "2013-10-11"),
    ("09 October 2015", D(2015, 10, 9), D(2015, 10, 9), "day", "", "9 October 2015", "2015-10-09"),
    ("September 26, 2017", D(2017, 9, 26), D(2017, 9, 26), "day", "", "26 September 2017", "2017-09-26"),
    ("September 2013", D(2013, 9, 1), D(2013, 9, 30), "month", "", "September 2013", "2013-09"),
    ("Oct 2015", D(2015, 10, 1), D(2015, 10, 31), "month", "", "October 2015", "2015-10"),
    ("2013-10", D(2013, 10, 1), D(2013, 10, 31), "month", "", "October 2013", "2013-10"),
    ("1984", D(1984, 1, 1), D(1984, 12, 31), "year", "", "1984", "1984"),
    ("In 2016", D(2016, 1, 1), D(2016, 12, 31), "year", "", "2016", "2016"),
    ("late 2014", D(2014, 9, 1), D(2014, 12, 31), "year", "late", "late 2014", "2014-39~"),
    ("early 2015", D(2015, 1, 1), D(2015, 4, 30), "year", "early", "early 2015", "2015-37~"),
    ("mid-2016", D(2016, 5, 1), D(2016, 8, 31), "year", "mid", "mid-2016", "2016-38~"),
    ("2007–2010", D(2007, 1, 1), D(2010, 12, 31), "year", "", "2007–2010", "2007/2010"),
    ("2007-2010", D(2007, 1, 1), D(2010, 12, 31), "year", "", "2007–2010", "2007/2010"),
    ("between 2007 and 2010", D(2007, 1, 1), D(2010, 12, 31), "year", "", "2007–2010", "2007/2010"),
    ("2017年9月26日", D(2017, 9, 26), D(2017, 9, 26), "day", "", "26 September 2017", "2017-09-26"),
    ("2015年10月", D(2015, 10, 1), D(2015, 10, 31), "month", "", "October 2015", "2015-10"),
    # More than the issue asks for.
    ("2015年", D(2015, 1, 1), D(2015, 12, 31), "year", "", "2015", "2015"),
    ("2013-10-11", D(2013, 10, 11), D(2013, 10, 11), "day", "", "11 October 2013", "2013-10-11"),
    ("1 Sep 2014", D(2014, 9, 1), D(2014, 9, 1), "day", "", "1 September 2014", "2014-09-01"),
    ("Sept 2013", D(2013, 9, 1), D(2013, 9, 30), "month", "", "September 2013", "2013-09"),
    ("February 2016", D(2016, 2, 1), D(2016, 2, 29), "month", "", "February 2016", "2016-02"),
    ("29 February 2016", D(2016, 2, 29), D(2016, 2, 29), "day", "", "29 February 2016", "2016-02-29"),
    ("  Late   2014 ", D(2014, 9, 1), D(2014, 12, 31), "year", "late", "late 2014", "2014-39~"),
    ("mid 2016", D(2016, 5, 1), D(2016, 8, 31), "year", "mid", "mid-2016", "2016-38~"),
    ("from 2007 to 2010", D(2007, 1, 1), D(2010, 12, 31), "year", "", "2007–2010", "2007/2010"),
    ("2007 — 2010", D(2007, 1, 1), D(2010, 12, 31), "year", "", "2007–2010", "2007/2010"),
    ("7–9 June 2023", D(2023, 6, 7), D(2023, 6, 9), "day", "", "7–9 June 2023", "2023-06-07/2023-06-09"),
    ("7 - 9 June 2023", D(2023, 6, 7), D(2023, 6, 9), "day", "", "7–9 June 2023", "2023-06-07/2023-06-09"),
    (
        "26 September – 2 October 2017",
        D(2017, 9, 26),
        D(2017, 10, 2),
        "day",
        "",
        "26 September – 2 October 2017",
        "2017-09-26/2017-10-02",
    ),
    (
        "30 December 2014 – 2 January 2015",
        D(2014, 12, 30),
        D(2015, 1, 2),
        "day",
        "",
        "30 December 2014 – 2 January 2015",
        "2014-12-30/2015-01-02",
    ),
    (
        "September–October 2015",
        D(2015, 9, 1),
        D(2015, 10, 31),
        "month",
        "",
        "September–October 2015",
        "2015-09/2015-10",
    ),
    (
        "November 2014 to February 2015",
        D(2014, 11, 1),
        D(2015, 2, 28),
        "month",
        "",
        "November 2014 – February 2015",
        "2014-11/2015-02",
    ),
    ("c. 11 October 2013", D(2013, 10, 11), D(2013, 10, 11), "day", "approximate", "c. 11 October 2013", "2013-10-11~"),
    ("about 2014", D(2014, 1, 1), D(2014, 12, 31), "year", "approximate", "c. 2014", "2014~"),
    ("circa 2007–2010", D(2007, 1, 1), D(2010, 12, 31), "year", "approximate", "c. 2007–2010", "2007~/2010~"),
    (
        "before September 2013",
        D(2013, 8, 31),
        D(2013, 8, 31),
        "month",
        "before",
        "before September 2013",
        "[..2013-08]",
    ),
    ("before 7 June 2023", D(2023, 6, 6), D(2023, 6, 6), "day", "before", "before 7 June 2023", "[..2023-06-06]"),
    ("2013–2013", D(2013, 1, 1), D(2013, 12, 31), "year", "", "2013", "2013"),
    # Day ranges with an ordinary hyphen, spaces or "to".
    ("7-9 June 2023", D(2023, 6, 7), D(2023, 6, 9), "day", "", "7–9 June 2023", "2023-06-07/2023-06-09"),
    (
        "26-29 September 2017",
        D(2017, 9, 26),
        D(2017, 9, 29),
        "day",
        "",
        "26–29 September 2017",
        "2017-09-26/2017-09-29",
    ),
    ("7 to 9 June 2023", D(2023, 6, 7), D(2023, 6, 9), "day", "", "7–9 June 2023", "2023-06-07/2023-06-09"),
    ("from 7 to 9 June 2023", D(2023, 6, 7), D(2023, 6, 9), "day", "", "7–9 June 2023", "2023-06-07/2023-06-09"),
    ("7 June 2023 to 9", D(2023, 6, 7), D(2023, 6, 9), "day", "", "7–9 June 2023", "2023-06-07/2023-06-09"),
    # Month and year ranges; in Chinese the second end takes year and month from the first.
    ("June to August 2015", D(2015, 6, 1), D(2015, 8, 31), "month", "", "June–August 2015", "2015-06/2015-08"),
    ("June-August 2015", D(2015, 6, 1), D(2015, 8, 31), "month", "", "June–August 2015", "2015-06/2015-08"),
    ("June 2015 to August", D(2015, 6, 1), D(2015, 8, 31), "month", "", "June–August 2015", "2015-06/2015-08"),
    ("2013 to 2016", D(2013, 1, 1), D(2016, 12, 31), "year", "", "2013–2016", "2013/2016"),
    ("2013年至2016年", D(2013, 1, 1), D(2016, 12, 31), "year", "", "2013–2016", "2013/2016"),
    ("2017年9月26日至28日", D(2017, 9, 26), D(2017, 9, 28), "day", "", "26–28 September 2017", "2017-09-26/2017-09-28"),
    ("2017年9月至10月", D(2017, 9, 1), D(2017, 10, 31), "month", "", "September–October 2017", "2017-09/2017-10"),
    # Qualifiers: bounds are stored as the one day they can be at the latest (before, by) or earliest (after).
    ("before 2015", D(2014, 12, 31), D(2014, 12, 31), "year", "before", "before 2015", "[..2014]"),
    ("after 2015", D(2016, 1, 1), D(2016, 1, 1), "year", "after", "after 2015", "[2016..]"),
    ("after September 2013", D(2013, 10, 1), D(2013, 10, 1), "month", "after", "after September 2013", "[2013-10..]"),
    ("after 7 June 2023", D(2023, 6, 8), D(2023, 6, 8), "day", "after", "after 7 June 2023", "[2023-06-08..]"),
    ("by 2015", D(2015, 12, 31), D(2015, 12, 31), "year", "by", "by 2015", "[..2015]"),
    ("by June 2023", D(2023, 6, 30), D(2023, 6, 30), "month", "by", "by June 2023", "[..2023-06]"),
    # A release of 11 October 2013 saying "has met": the meeting was on that day or earlier.
    (
        "on or before 11 October 2013",
        D(2013, 10, 11),
        D(2013, 10, 11),
        "day",
        "by",
        "by 11 October 2013",
        "[..2013-10-11]",
    ),
    ("c. 2015", D(2015, 1, 1), D(2015, 12, 31), "year", "approximate", "c. 2015", "2015~"),
    ("c.2015", D(2015, 1, 1), D(2015, 12, 31), "year", "approximate", "c. 2015", "2015~"),
    ("2015?", D(2015, 1, 1), D(2015, 12, 31), "year", "uncertain", "2015?", "2015?"),
    ("probably 2015", D(2015, 1, 1), D(2015, 12, 31), "year", "uncertain", "2015?", "2015?"),
    ("7 June 2023?", D(2023, 6, 7), D(2023, 6, 7), "day", "uncertain", "7 June 2023?", "2023-06-07?"),
    ("1984–", D(1984, 1, 1), D(1984, 12, 31), "year", "onwards", "1984 onwards", "1984/.."),
    ("1984-", D(1984, 1, 1), D(1984, 12, 31), "year", "onwards", "1984 onwards", "1984/.."),
    ("1984 onwards", D(1984, 1, 1), D(1984, 12, 31), "year", "onwards", "1984 onwards", "1984/.."),
    ("since 1984", D(1984, 1, 1), D(1984, 12, 31), "year", "onwards", "1984 onwards", "1984/.."),
    ("from 1984", D(1984, 1, 1), D(1984, 12, 31), "year", "onwards", "1984 onwards", "1984/.."),
    (
        "from September 2013 onwards",
        D(2013, 9, 1),
        D(2013, 9, 30),
        "month",
        "onwards",
        "September 2013 onwards",
        "2013-09/..",
    ),
    ("in late 2014", D(2014, 9, 1), D(2014, 12, 31), "year", "late", "late 2014", "2014-39~"),
    # Quarters and halves are month ranges.
    ("Q3 2015", D(2015, 7, 1), D(2015, 9, 30), "month", "", "July–September 2015", "2015-07/2015-09"),
    ("3Q 2015", D(2015, 7, 1), D(2015, 9, 30), "month", "", "July–September 2015", "2015-07/2015-09"),
    ("Q3/2015", D(2015, 7, 1), D(2015, 9, 30), "month", "", "July–September 2015", "2015-07/2015-09"),
    ("2015 Q3", D(2015, 7, 1), D(2015, 9, 30), "month", "", "July–September 2015", "2015-07/2015-09"),
    ("H1 2015", D(2015, 1, 1), D(2015, 6, 30), "month", "", "January–June 2015", "2015-01/2015-06"),
    ("H2 2015", D(2015, 7, 1), D(2015, 12, 31), "month", "", "July–December 2015", "2015-07/2015-12"),
    # All-number dates, read only when one reading is a real date or both are the same day.
    ("13/10/2015", D(2015, 10, 13), D(2015, 10, 13), "day", "", "13 October 2015", "2015-10-13"),
    ("10/13/2015", D(2015, 10, 13), D(2015, 10, 13), "day", "", "13 October 2015", "2015-10-13"),
    ("10/10/2015", D(2015, 10, 10), D(2015, 10, 10), "day", "", "10 October 2015", "2015-10-10"),
    ("2015/10/09", D(2015, 10, 9), D(2015, 10, 9), "day", "", "9 October 2015", "2015-10-09"),
    ("10/2015", D(2015, 10, 1), D(2015, 10, 31), "month", "", "October 2015", "2015-10"),
    # Decades are year ranges.
    ("the 1990s", D(1990, 1, 1), D(1999, 12, 31), "year", "", "1990–1999", "1990/1999"),
    ("1990s", D(1990, 1, 1), D(1999, 12, 31), "year", "", "1990–1999", "1990/1999"),
    ("the 1980s", D(1980, 1, 1), D(1989, 12, 31), "year", "", "1980–1989", "1980/1989"),
    ("1850", D(1850, 1, 1), D(1850, 12, 31), "year", "", "1850", "1850"),  # out of scope only when a scope is given
]


@pytest.mark.parametrize("text, start, end, precision, qualifier, label, edtf", GOOD, ids=[g[0] for g in GOOD])
def test_reads(text, start, end, precision, qualifier, label, edtf):
    when = read(text)
    assert (when.start, when.end, when.precision, when.qualifier) == (start, end, precision, qualifier)
    assert when.label == label
    assert when.edtf == edtf


@pytest.mark.parametrize("text", [g[0] for g in GOOD])
def test_label_reads_back_to_the_same_date(text):
    when = read(text)
    assert read(when.label) == when


# text, a fragment the message must contain. Every message quotes the input and shows what works.
BAD = [
    ("", "Enter a date"),
    ("   ", "Enter a date"),
    ("soon", "Could not read"),
    ("the thirty-second of Smarch", "Could not read"),
    ("2023-13-01", "no month 13"),
    ("2015-02-30", "February 2015 has 28 days"),
    ("30 February 2015", "February 2015 has 28 days"),
    ("7", "is a number"),
    ("86", "is a number"),
    ("the 86th", "is an ordinal"),
    ("three", "Could not read"),
    ("2010–2007", "ends before it starts"),
    ("between 2010 and 2007", "ends before it starts"),
    ("late 2007–2010", "single year"),
    ("c. c. 2014", "only one qualifier"),
    ("late September 2013", "single year"),
    ("0000", "out of range"),
    ("99999", "Could not read"),
    ("x" * 500, "too long"),
    ("'; DROP TABLE timeline_event; --", "Could not read"),
    ("<script>2014</script>x", "Could not read"),
    ("\x00", "Could not read"),
    ("2015–June 2016", "same precision"),
    # A number where the month should be.
    ("15 2015", "“15” is not a month; write the month in words"),
    ("3 2015", "a day or the month? Write the month in words"),
    # Day first or month first: both readings offered.
    ("9/10/2015", "could be 9 October 2015 (day first) or 10 September 2015 (month first): write the month in words"),
    ("09.10.2015", "could be 9 October 2015 (day first) or 10 September 2015 (month first)"),
    ("9-10-2015", "could be 9 October 2015 (day first) or 10 September 2015 (month first)"),
    ("31/31/2015", "not a real date, day first or month first"),
    ("9/10/15", "write the year in full"),
    # Days that do not exist say why.
    ("31 April 2015", "April has 30 days"),
    ("31 April", "April has 30 days, and the year is missing"),
    ("29 February 2015", "2015 is not a leap year"),
    ("2015年2月30日", "February 2015 has 28 days"),
    ("0 April 2015", "no day 0"),
    # Qualifiers that do not fit.
    ("before the 1990s", "“before” goes with a single date"),
    ("2007–2010?", "“?” goes with a single date"),
    ("after 2015?", "only one qualifier"),
    ("after 2999", "The year 3000 is out of range"),
    ("H3 2015", "two halves"),
    ("Q3", "needs a year"),
    ("the 90s", "the decade in full"),
]


@pytest.mark.parametrize("text, fragment", BAD, ids=[b[0][:40] for b in BAD])
def test_refuses_with_a_message_that_quotes_the_input(text, fragment):
    with pytest.raises(DateError) as error:
        read(text)
    message = str(error.value)
    assert fragment in message
    assert "e.g. “" in message  # an example of what works
    assert "relative" not in message
    assert message[0].isupper() or message[0] == "“", message  # a sentence, as every other message (issue 28)
    if text.strip():
        assert f"“{' '.join(text.split())[:40]}" in message


ARTICLE = D(2015, 10, 9)  # a Friday


@pytest.mark.parametrize(
    "text, label",
    [
        ("last month", "September 2015"),
        ("Last month", "September 2015"),
        ("this year", "2015"),
        ("last year", "2014"),
        ("yesterday", "8 October 2015"),
        ("on Tuesday", "6 October 2015"),
        ("Friday", "9 October 2015"),
        ("in September", "September 2015"),
        ("3 weeks ago", "18 September 2015"),
        ("26 September", "26 September 2015"),
        ("since last month", "September 2015 onwards"),
    ],
)
def test_relative_dates_resolve_against_the_reference(text, label):
    assert read(text, reference=ARTICLE).label == label


def test_weekday_on_the_day_itself_is_that_day():
    # An article of Tuesday 26 September 2017 saying "on Tuesday" means that day.
    assert read("on Tuesday", reference=D(2017, 9, 26)).label == "26 September 2017"


@pytest.mark.parametrize("text", ["last month", "on Tuesday", "this year", "yesterday", "September", "26 September"])
def test_relative_dates_are_refused_without_a_reference(text):
    with pytest.raises(DateError, match="relative") as error:
        read(text)
    assert f"“{text}”" in str(error.value) and "e.g. “" in str(error.value)


SCOPE = (1984, 2023)


@pytest.mark.parametrize("text", ["1850", "2099", "1983–1990", "before 1984", "after 2023", "the 1980s", "Q4 2024"])
def test_scope_refuses_what_falls_outside_it(text):
    read(text)  # read without a scope
    with pytest.raises(DateError) as error:
        read(text, scope=SCOPE)
    assert str(error.value) == f"“{text}” is outside the chronology's years, 1984–2023; e.g. “2023”."


@pytest.mark.parametrize("text", ["1984", "31 December 2023", "1984–2023", "1984–", "by 2023", "after 2022", "2023?"])
def test_scope_keeps_what_falls_inside_it(text):
    assert read(text, scope=SCOPE) == read(text)


def test_absolute_dates_ignore_the_reference():
    assert read("11 October 2013", reference=ARTICLE).label == "11 October 2013"


@pytest.mark.parametrize(
    "text, description",
    [
        ("11 October 2013", "11 October 2013 → 11 Oct 2013, day precision"),
        ("7–9 June 2023", "7–9 June 2023 → 7 Jun 2023 to 9 Jun 2023, day precision"),
        ("September 2013", "September 2013 → 1 Sep 2013 to 30 Sep 2013, month precision"),
        ("Q3 2015", "July–September 2015 → 1 Jul 2015 to 30 Sep 2015, month precision"),
        ("the 1990s", "1990–1999 → 1 Jan 1990 to 31 Dec 1999, year precision"),
        ("late 2014", "late 2014 → 1 Sep 2014 to 31 Dec 2014, year precision, approximate"),
        ("c. 2014", "c. 2014 → 1 Jan 2014 to 31 Dec 2014, year precision, approximate"),
        ("2015?", "2015? → 1 Jan 2015 to 31 Dec 2015, year precision, uncertain"),
        ("before September 2013", "before September 2013 → on or before 31 Aug 2013, month precision"),
        ("by 2015", "by 2015 → on or before 31 Dec 2015, year precision"),
        ("after 2015", "after 2015 → on or after 1 Jan 2016, year precision"),
        ("1984–", "1984 onwards → from 1 Jan 1984, no end date, year precision"),
    ],
)
def test_describe_spells_out_the_reading(text, description):
    assert read(text).describe() == description


def test_parts_split_a_range_for_time_elements():
    when = read("7–9 June 2023")
    assert when.parts() == ("", "7", "–", "9 June 2023")
    assert (when.datetime_start, when.datetime_end) == ("2023-06-07", "2023-06-09")
    assert read("c. 1984").parts() == ("c. ", "1984", "", "")
    assert read("after 2015").parts() == ("after ", "2015", "", "")
    # A suffix stays with the date it qualifies, inside its <time> element.
    assert read("2015?").parts() == ("", "2015?", "", "")
    assert read("1984–").parts() == ("", "1984 onwards", "", "")


@pytest.mark.parametrize(
    "text, expected",
    [
        # "before" is stored as its latest day; the date shown, and its datetime, is the anchor.
        ("before 7 June 2023", ("2023-06-07", "")),
        ("before September 2013", ("2013-09", "")),
        ("before 2016", ("2016", "")),
        ("c. 9 October 2015", ("2015-10-09", "")),
        ("7–9 June 2023", ("2023-06-07", "2023-06-09")),
        ("2007–2010", ("2007", "2010")),
        ("late 2014", ("2014", "")),
        ("September 2015", ("2015-09", "")),
        ("after 2015", ("2015", "")),
        ("after 7 June 2023", ("2023-06-07", "")),
        ("by 2015", ("2015", "")),
        ("2015?", ("2015", "")),
        ("1984–", ("1984", "")),
        ("Q3 2015", ("2015-07", "2015-09")),
    ],
)
def test_time_datetimes_are_the_dates_shown(text, expected):
    assert read(text).datetimes() == expected


def test_when_refuses_inconsistent_values():
    with pytest.raises(ValueError):
        When(D(2014, 1, 2), D(2014, 1, 1), "day")
    with pytest.raises(ValueError):
        When(D(2014, 1, 1), D(2014, 1, 1), "week")
    with pytest.raises(ValueError):
        When(D(2014, 1, 1), D(2014, 1, 1), "day", "soonish")


@pytest.mark.parametrize(
    "start, end, precision, qualifier",
    [
        (D(2015, 1, 1), D(2015, 12, 31), "year", "before"),  # a bound is one day
        (D(2015, 6, 30), D(2015, 6, 30), "year", "before"),  # the last day of its period
        (D(2015, 6, 30), D(2015, 6, 30), "year", "by"),
        (D(2016, 1, 2), D(2016, 1, 2), "year", "after"),  # the first day of its period
        (D(2016, 1, 1), D(2016, 12, 31), "year", "after"),
        (D(2013, 1, 1), D(2016, 12, 31), "year", "uncertain"),  # one period, not a range
        (D(2015, 7, 1), D(2015, 12, 31), "year", "uncertain"),
        (D(2013, 1, 1), D(2016, 12, 31), "year", "onwards"),
    ],
)
def test_when_refuses_bounds_and_open_ends_stored_wrongly(start, end, precision, qualifier):
    with pytest.raises(ValueError):
        When(start, end, precision, qualifier)


@pytest.mark.parametrize(
    "text, is_range, is_approximate",
    [
        ("7–9 June 2023", True, False),
        ("Q3 2015", True, False),
        ("c. 2007–2010", True, True),
        ("2015", False, False),
        ("2015?", False, True),
        ("late 2014", False, True),
        ("before 2015", False, False),
        ("after 2015", False, False),
        ("by 2015", False, False),
        ("1984–", False, False),
    ],
)
def test_ranges_and_approximate_dates(text, is_range, is_approximate):
    when = read(text)
    assert (when.is_range, when.is_approximate) == (is_range, is_approximate)


# Pieces people type dates from, so random input often comes close to a date.
PIECES = [
    "7",
    "9",
    "13",
    "29",
    "31",
    "2015",
    "1984",
    "0000",
    "June",
    "Feb",
    "of",
    "the",
    "1990s",
    "Q3",
    "H2",
    "c.",
    "before",
    "after",
    "by",
    "since",
    "from",
    "to",
    "and",
    "between",
    "late",
    "mid-",
    "?",
    "–",
    "-",
    "/",
    ".",
    "年",
    "月",
    "日",
    "至",
    "onwards",
    "last",
    "month",
    "Tuesday",
    " ",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=120),
        st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join),
        st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    )
)
@example("2TUESDAY")  # read against the first two bases, not against 30 December 2999
def test_any_input_reads_back_or_is_refused_with_a_date_error(text):
    # References at the ends of the years a date may have, too.
    for reference in (None, ARTICLE, D(MIN_YEAR, 1, 3), D(MAX_YEAR, 12, 30)):
        try:
            when = read(text, reference=reference)
        except DateError as error:
            assert str(error)
            continue
        assert MIN_YEAR <= when.start.year <= when.end.year <= MAX_YEAR
        assert read(when.label) == when

import datetime as dt

import pytest

from timeline.dates import DateError, When, read

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
    ("26 September – 2 October 2017", D(2017, 9, 26), D(2017, 10, 2), "day", "",
     "26 September – 2 October 2017", "2017-09-26/2017-10-02"),
    ("30 December 2014 – 2 January 2015", D(2014, 12, 30), D(2015, 1, 2), "day", "",
     "30 December 2014 – 2 January 2015", "2014-12-30/2015-01-02"),
    ("September–October 2015", D(2015, 9, 1), D(2015, 10, 31), "month", "", "September–October 2015", "2015-09/2015-10"),
    ("November 2014 to February 2015", D(2014, 11, 1), D(2015, 2, 28), "month", "",
     "November 2014 – February 2015", "2014-11/2015-02"),
    ("c. 11 October 2013", D(2013, 10, 11), D(2013, 10, 11), "day", "approximate", "c. 11 October 2013", "2013-10-11~"),
    ("about 2014", D(2014, 1, 1), D(2014, 12, 31), "year", "approximate", "c. 2014", "2014~"),
    ("circa 2007–2010", D(2007, 1, 1), D(2010, 12, 31), "year", "approximate", "c. 2007–2010", "2007~/2010~"),
    ("before September 2013", D(2013, 8, 31), D(2013, 8, 31), "month", "before", "before September 2013", "[..2013-08]"),
    ("before 7 June 2023", D(2023, 6, 6), D(2023, 6, 6), "day", "before", "before 7 June 2023", "[..2023-06-06]"),
    ("2013–2013", D(2013, 1, 1), D(2013, 12, 31), "year", "", "2013", "2013"),
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


BAD = [
    "30 February 2015", "", "   ", "soon", "the thirty-second of Smarch", "2023-13-01", "2015-02-30",
    "7", "86", "the 86th", "three", "2010–2007", "between 2010 and 2007", "late 2007–2010", "c. c. 2014",
    "late September 2013", "0000", "99999", "x" * 500, "'; DROP TABLE timeline_event; --", "<script>2014</script>x",
    "\x00", "2015–June 2016",
]


@pytest.mark.parametrize("text", BAD)
def test_refuses_with_a_message_that_quotes_the_input(text):
    with pytest.raises(DateError) as error:
        read(text)
    message = str(error.value)
    if text.strip():
        assert " ".join(text.split())[:40] in message
    else:
        assert "Enter a date" in message


ARTICLE = D(2015, 10, 9)  # a Friday


@pytest.mark.parametrize("text, label", [
    ("last month", "September 2015"),
    ("Last month", "September 2015"),
    ("this year", "2015"),
    ("last year", "2014"),
    ("yesterday", "8 October 2015"),
    ("on Tuesday", "6 October 2015"),
    ("Friday", "9 October 2015"),
    ("in September", "September 2015"),
    ("3 weeks ago", "18 September 2015"),
])
def test_relative_dates_resolve_against_the_reference(text, label):
    assert read(text, reference=ARTICLE).label == label


def test_weekday_on_the_day_itself_is_that_day():
    # An article of Tuesday 26 September 2017 saying "on Tuesday" means that day.
    assert read("on Tuesday", reference=D(2017, 9, 26)).label == "26 September 2017"


@pytest.mark.parametrize("text", ["last month", "on Tuesday", "this year", "yesterday", "September", "26 September"])
def test_relative_dates_are_refused_without_a_reference(text):
    with pytest.raises(DateError, match="relative"):
        read(text)


def test_absolute_dates_ignore_the_reference():
    assert read("11 October 2013", reference=ARTICLE).label == "11 October 2013"


def test_describe_spells_out_the_reading():
    assert read("late 2014").describe() == "late 2014 — 1 Sep 2014 to 31 Dec 2014, approximate"
    assert read("before September 2013").describe() == "before September 2013 — on or before 31 Aug 2013"


def test_parts_split_a_range_for_time_elements():
    when = read("7–9 June 2023")
    assert when.parts() == ("", "7", "–", "9 June 2023")
    assert (when.datetime_start, when.datetime_end) == ("2023-06-07", "2023-06-09")
    assert read("c. 1984").parts() == ("c. ", "1984", "", "")


@pytest.mark.parametrize("text, expected", [
    # "before" is stored as its latest day; the date shown, and its datetime, is the anchor.
    ("before 7 June 2023", ("2023-06-07", "")),
    ("before September 2013", ("2013-09", "")),
    ("before 2016", ("2016", "")),
    ("c. 9 October 2015", ("2015-10-09", "")),
    ("7–9 June 2023", ("2023-06-07", "2023-06-09")),
    ("2007–2010", ("2007", "2010")),
    ("late 2014", ("2014", "")),
    ("September 2015", ("2015-09", "")),
])
def test_time_datetimes_are_the_dates_shown(text, expected):
    assert read(text).datetimes() == expected


def test_when_refuses_inconsistent_values():
    with pytest.raises(ValueError):
        When(D(2014, 1, 2), D(2014, 1, 1), "day")
    with pytest.raises(ValueError):
        When(D(2014, 1, 1), D(2014, 1, 1), "week")
    with pytest.raises(ValueError):
        When(D(2014, 1, 1), D(2014, 1, 1), "day", "soonish")

"""The shapes of what people type for a date: the words and patterns `reading` recognises, in English and Chinese."""

import re

from timeline.domain.dates.when import AFTER, APPROXIMATE, BEFORE, BY, EARLY, LATE, MID, ONWARDS, UNCERTAIN

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_NAME = r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# Words before a date, and the qualifier each gives. "from 2007 to 2010" is a range, read before these.
PREFIXES = {
    "early": EARLY,
    "mid": MID,
    "late": LATE,
    "c.": APPROXIMATE,
    "ca.": APPROXIMATE,
    "circa": APPROXIMATE,
    "about": APPROXIMATE,
    "around": APPROXIMATE,
    "approximately": APPROXIMATE,
    "probably": UNCERTAIN,
    "before": BEFORE,
    "after": AFTER,
    "by": BY,
    "on or before": BY,
    "since": ONWARDS,
    "from": ONWARDS,
}
QUALIFIER = re.compile(rf"^(?P<q>{'|'.join(map(re.escape, PREFIXES))})(?:(?<=\.)\s*|\s+|-)(?P<rest>.+)$", re.I)
# The same in Chinese: "约2013年10月", "2023年6月7日之前", "2014年末", "1984年起".
ZH_QUALIFIERS = {
    "约": APPROXIMATE,
    "大约": APPROXIMATE,
    "大概": APPROXIMATE,
    "左右": APPROXIMATE,
    "前后": APPROXIMATE,
    "不晚于": BY,
    "早于": BEFORE,
    "晚于": AFTER,
    "之前": BEFORE,
    "以前": BEFORE,
    "之后": AFTER,
    "以后": AFTER,
    "以来": ONWARDS,
    "起": ONWARDS,
    "初": EARLY,
    "中": MID,
    "末": LATE,
    "底": LATE,
}
ZH_PART_OF = re.compile(r"^(?P<rest>\d{4})\s*年\s*(?P<q>初|中|末|底)$")
ZH_BEFORE = re.compile(r"^(?P<q>约|大约|大概|不晚于|早于|晚于)\s*(?P<rest>.+)$")
ZH_AFTER = re.compile(r"^(?P<rest>.+?)\s*(?P<q>之前|以前|之后|以后|左右|前后|以来|起)$")
# After a date: "2015?" is uncertain; "1984–", "1984 onwards" have an open end.
SUFFIX = re.compile(r"^(?P<rest>.+?)\s*(?P<mark>[?？]|[-–—]|\bonwards?)$", re.I)
# How each qualifier is written, for messages.
SHOWN = {BEFORE: "before 2015", AFTER: "after 2015", BY: "by 2015", UNCERTAIN: "2015?", ONWARDS: "1984 onwards"}

ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
YMD = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$")
# "9/10/2015": day first or month first, which the numbers alone do not say.
NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
NUMBER_AND_YEAR = re.compile(r"^(\d{1,2})(\s+|[/.-])(\d{4})$")
DECADE = re.compile(r"^(?:the\s+)?['’]?(\d{1,3})0(?:['’]?s|年代)$", re.I)  # "the 1990s", "1990年代"
QUARTER = re.compile(r"^(?:([QH])([1-4])|([1-4])([QH]))(?:\s*/?\s*(\d{4}))?$", re.I)
YEAR_QUARTER = re.compile(r"^(\d{4})\s*/?\s*([QH][1-4]|[1-4][QH])$", re.I)  # "2015 Q3"
# "1984", "2015年", "2015年10月", "2017年9月26日"
YEAR_OR_CHINESE = re.compile(r"^(\d{4})(?:年(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?)?$")
DAY_MONTH = re.compile(
    r"^(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[a-z]{3,})\.?|(?P<m2>[a-z]{3,})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)"
    r",?(?:\s+(?P<y>\d{4}))?$",
    re.I,
)

YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
DAY_RANGE = re.compile(r"^(\d{1,2})\s*-\s*(\d{1,2}\s.+)$")  # "7-9 June 2023"
BETWEEN = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|until)\s+(.+)$", re.I)
# A hyphen between two numbers is part of a date ("2013-10-11", "9-10-2015"), not a range.
DASH = re.compile(r"\s*[–—]\s*|\s+-\s*|\s*-\s+|(?<=\D)-|-(?=\D)|\s+(?:to|until)\s+|\s*至\s*", re.I)
# Marks no date is written with: dateparser skips them, and would read "??1" or "<b>2014</b>".
NOT_DATE_MARK = re.compile(r"[^\w\s.,/'’–—-]")
LEADING = re.compile(r"^(?:in|on(?! or before\b)|of|during)\s+", re.I)
WORDY_NUMBER = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)
HAS_YEAR = re.compile(r"\d{4}|年")
BARE_DAY = re.compile(r"^\d{1,2}$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = re.compile(rf"^(?:last\s+)?({'|'.join(WEEKDAYS)})$", re.I)
# Words a date can be made of; anything else ("three", "soon") is not a date,
# however dateparser would read it.
DATE_WORD = re.compile(
    rf"\d|[年月日]|{MONTH_NAME}(?:\s|$|,)"
    r"|\b(?:today|yesterday|tomorrow|ago|last|next|this|week|month|year)\b|" + "|".join(WEEKDAYS),
    re.I,
)

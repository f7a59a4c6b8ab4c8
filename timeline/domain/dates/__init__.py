"""Honest dates: read what a person types, keep its precision, write it back.

`read("late 2014")` gives a `When`: the start and end that bound the period
(sortable, filterable), its precision (day, month, year), a qualifier
(approximate, early, mid, late, before, after, by, uncertain, onwards) and,
from those, the label a person would write and the EDTF string. dateparser
reads single dates; qualifiers, ranges, quarters, decades and all-number dates
are read here around it, because dateparser does not know them or guesses.
"""

from timeline.domain.dates.reading import read
from timeline.domain.dates.when import (
    AFTER,
    APPROXIMATE,
    BEFORE,
    BY,
    DAY,
    EARLY,
    EXAMPLES,
    LATE,
    MAX_LENGTH,
    MAX_YEAR,
    MID,
    MIN_YEAR,
    MONTH,
    ONWARDS,
    PARTS_OF_YEAR,
    PRECISIONS,
    QUALIFIERS,
    UNCERTAIN,
    YEAR,
    DateError,
    When,
    period_end,
    period_start,
)

__all__ = [
    "AFTER",
    "APPROXIMATE",
    "BEFORE",
    "BY",
    "DAY",
    "EARLY",
    "EXAMPLES",
    "LATE",
    "MAX_LENGTH",
    "MAX_YEAR",
    "MID",
    "MIN_YEAR",
    "MONTH",
    "ONWARDS",
    "PARTS_OF_YEAR",
    "PRECISIONS",
    "QUALIFIERS",
    "UNCERTAIN",
    "YEAR",
    "DateError",
    "When",
    "period_end",
    "period_start",
    "read",
]

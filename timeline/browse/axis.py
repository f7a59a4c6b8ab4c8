"""The time axis: every matching event drawn once on forty years, as a few SVG paths, with each year's counts."""

import math
from dataclasses import dataclass

from timeline.domain.chronology import YEARS

AXIS_MONTHS = 12 * len(YEARS)
# A line at each decade's first January inside the axis.
GRID = "".join(f"M{(year - YEARS.start) * 12} 0V40" for year in YEARS if year % 10 == 0 and year != YEARS.start)


@dataclass
class Year:
    year: int
    count: int  # events whose period overlaps the year: what choosing the year gives
    selected: bool
    happened: int = 0  # of them, those the sources report as having happened (not only planned)


@dataclass
class Shapes:
    """Every mark of one style on the time axis, as one SVG path: a rectangle per mark, in months since
    January of the first year (x) and a 40-unit height (y). One path a style keeps 100,000 events to a few elements."""

    classes: str
    d: str


@dataclass
class Axis:
    years: list
    marks: list  # of Shapes
    spans: str  # "first year,last year,events;…": lets the axis script count any range of years exactly
    band: tuple | None  # (x, width) of the chosen date range
    months: int = AXIS_MONTHS  # the axis' width: one unit a month
    grid: str = GRID


AXIS_LANES = 3  # rows for periods above the marks of single dates; more periods share the last row
BASELINE = 38


def _month(year, month):
    return (year - YEARS.start) * 12 + month - 1


def _unit(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


def axis(filters, rows):
    """The time axis under every filter but the date range (so the chosen range shows in context).

    Every event is drawn once: a period that happened over years (2007–2010) as
    a bar of its true length; a single date as a mark whose width is what we know
    of it (a day, a month, "late 2014", a whole year when only the year is known),
    soft where the date is approximate or imprecise, and as tall as the number of
    events there. `rows` are the index's groups: (start month, end month,
    precision, qualifier, single day, planned, events), a few hundred at 100,000 events.
    """
    counts, happened = dict.fromkeys(YEARS, 0), dict.fromkeys(YEARS, 0)
    spans, points, periods = {}, {}, {}
    origin = YEARS.start * 12
    for start, end, precision, qualifier, single, planned, n in rows:
        first, last = start // 12, end // 12
        if last < YEARS.start or first >= YEARS.stop:
            continue  # outside the chronology's years: no place on the axis
        for year in range(max(first, YEARS.start), min(last, YEARS.stop - 1) + 1):
            counts[year] += n
            happened[year] += 0 if planned else n
        spans[first, last] = spans.get((first, last), 0) + n
        x0 = max(start - origin, 0)
        x1 = min(end - origin + 1, AXIS_MONTHS)
        # When.is_range, on month numbers: a period that happened, not one we are unsure within.
        ranged = (
            qualifier in ("", "approximate")
            and {"day": not single, "month": start != end, "year": first != last}[precision]
        )
        soft = bool(qualifier) or (not ranged and precision != "day")
        # A few days' meeting is a mark at this scale; a period gets a bar once it spans months.
        shapes = periods if ranged and x1 - x0 > 1 else points
        shapes[x0, x1, soft] = shapes.get((x0, x1, soft), 0) + n

    band = None
    if filters.date_from or filters.date_to:
        lo = filters.date_from.start if filters.date_from else None
        hi = filters.date_to.end if filters.date_to else None
        x0 = min(max(_month(lo.year, lo.month), 0), AXIS_MONTHS) if lo else 0
        x1 = min(max(_month(hi.year, hi.month) + 1, 0), AXIS_MONTHS) if hi else AXIS_MONTHS
        band = (x0, x1)

    drawn, lane_ends = {}, []  # (kind, soft, many, out) → rectangles, in drawing order

    def draw(kind, x0, x1, y, height, soft, many=False):
        # x0 and x1 are whole months: only y and the height need _unit.
        out = band is not None and (x1 <= band[0] or x0 >= band[1])
        drawn.setdefault((kind, soft, many, out), []).append(f"M{x0} {_unit(y)}h{x1 - x0}v{_unit(height)}h{x0 - x1}z")

    for (x0, x1, soft), n in sorted(periods.items(), key=lambda item: (item[0][0], -item[0][1])):
        free = [i for i, end in enumerate(lane_ends) if end <= x0]
        if free:
            lane = free[0]
        elif len(lane_ends) < AXIS_LANES:
            lane = len(lane_ends)
            lane_ends.append(x1)
        else:
            lane = min(range(AXIS_LANES), key=lane_ends.__getitem__)
        lane_ends[lane] = max(lane_ends[lane], x1)
        # Translucent with a gap at each end (site.css): periods sharing a row, or one inside another, show.
        draw("period", x0, x1, 1 + 5 * lane, 4, soft, n > 1)
    top = 2 + 5 * len(lane_ends)
    most = max(points.values(), default=1)
    # Soft (wide, imprecise) marks first, so exact dates are drawn over them.
    for (x0, x1, soft), n in sorted(points.items(), key=lambda item: (not item[0][2], item[0][0])):
        height = (BASELINE - top) * (0.35 + 0.65 * math.log1p(n) / math.log1p(most))
        draw("point", x0, x1, BASELINE - height, height, soft)

    chosen = range(
        filters.date_from.start.year if filters.date_from else 0,
        (filters.date_to.end.year if filters.date_to else 9999) + 1,
    )
    years = [Year(y, n, band is not None and y in chosen, happened[y]) for y, n in counts.items()]
    marks = [
        Shapes(
            " ".join(c for c in (kind, "soft" if soft else "", "many" if many else "", "out" if out else "") if c),
            "".join(boxes),
        )
        for (kind, soft, many, out), boxes in drawn.items()
    ]
    return Axis(
        years,
        marks,
        ";".join(f"{a},{b},{n}" for (a, b), n in sorted(spans.items())),
        (_unit(band[0]), _unit(band[1] - band[0])) if band else None,
    )

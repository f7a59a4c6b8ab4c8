"""From `Filters` to querysets: the matching events, one keyset page, facet counts.

Every function costs a fixed number of queries, whatever the data or filters.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, Value
from django.db.models.functions import Abs
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pypinyin import lazy_pinyin

from timeline.browse import index
from timeline.domain.bilingual import chinese, local, text
from timeline.browse.filters import Cursor
from timeline.models import Citation, Event, Involvement, Status, search_words

YEARS = range(1984, 2024)
ASC, DESC = ("start", "end", "id"), ("-start", "-end", "-id")


def matching(filters, base=None, skip=None):
    """Published events matching every filter but `skip` (a facet's own dimension)."""
    events = base if base is not None else Event.objects.published()
    if filters.person and skip != "person":
        events = events.filter(pk__in=Involvement.objects.filter(person__slug__in=filters.person).values("event_id"))
    if filters.crime and skip != "crime":
        events = events.filter(
            pk__in=Event.crime_types.through.objects.filter(crimetype__slug__in=filters.crime).values("event_id"))
    if filters.kind and skip != "kind":
        events = events.filter(kind__in=filters.kind)
    if filters.stage and skip != "stage":
        events = events.filter(stage__in=filters.stage)
    if filters.china and skip != "china":
        events = events.filter(china__in=filters.china)
    if filters.place and skip != "place":
        events = events.filter(place__slug=filters.place)
    for word in search_words(filters.q, query=True):
        events = events.filter(search_text__word=word)
    if skip != "year":
        # Periods overlap the range, at the precision typed: to=2013 runs to 31 December.
        if filters.date_from:
            events = events.filter(end__gte=filters.date_from.start)
        if filters.date_to:
            events = events.filter(start__lte=filters.date_to.end)
    return events


def with_details(events):
    """Everything an event card shows, in three more queries whatever the page size."""
    return events.select_related("place").prefetch_related(
        Prefetch("involvements", queryset=Involvement.objects.select_related("person")),
        "crime_types",
        Prefetch("citations", queryset=Citation.objects.select_related("source")),
    )


def _after(key, descending=False):
    """Events after `key` (an event or a cursor) in the order (start, end, id), or before it when descending."""
    op = "lt" if descending else "gt"
    # The first condition is implied by the rest, but gives the index a range to seek: without it a deep page
    # scans from the first event (SQLite uses only the status column of the index for an OR).
    return Q(**{f"start__{op}e": key.start}) & (
        Q(**{f"start__{op}": key.start}) | Q(start=key.start, **{f"end__{op}": key.end})
        | Q(start=key.start, end=key.end, **{f"id__{op}": key.id}))


@dataclass
class Gap:
    """Whole years with no matching event between two listed ones, or (`planned`) with none reported as having
    happened: a plan that runs over years does not hide a gap in what happened."""

    first: int
    last: int
    planned: bool = False

    @property
    def years(self):
        return self.last - self.first + 1


@dataclass
class Section:
    """A year heading and its events; `gap` is the empty stretch just before it."""

    year: int
    events: list
    gap: Gap | None = None
    continued: bool = False  # the year began on an earlier page


@dataclass
class Page:
    events: list
    next_cursor: Cursor | None
    count: int
    offset: int = 0  # matching events before this page

    @property
    def first_number(self):
        return self.offset + 1

    @property
    def last_number(self):
        return self.offset + len(self.events)


def page(filters, subject=None):
    """One page after the cursor, by keyset: the thousandth page costs what the first does.

    `subject` is ("person" or "crime", pk) on their pages. Which events, how many
    match and how many come before the page are the index's answers (arrays in
    memory, timeline.index); the database fetches only the page's events. A later
    page also counts the events before it, for "Events 21–40 of 97,038".
    """
    size = settings.TIMELINE_PAGE_SIZE
    descending = filters.order == "desc"
    found = index.current()
    mask = found.matching(found.masks(filters, subject))
    ids, offset = found.page(mask, filters.cursor, descending, size)
    # By primary key alone: with `status` in the query SQLite took the status index and read every published
    # event (17 ms instead of 1 at 100,000). Published again, here: one unpublished since the index was read
    # stays off the page.
    rows = [event for event in with_details(Event.objects.filter(pk__in=ids)).order_by(*(DESC if descending else ASC))
            if event.status == Status.PUBLISHED]
    next_cursor = Cursor.of(rows[size - 1]) if len(rows) > size else None
    return Page(rows[:size], next_cursor, int(mask.sum()), offset)


def every(filters, base=None, batch=500):
    """Every matching event with its details, in the view's order, a keyset batch at a time.

    The exports stream it: memory holds one batch whatever the number of events.
    The cursor is ignored; an export is the whole view.
    """
    descending = filters.order == "desc"
    ordered = matching(filters, base).order_by(*(DESC if descending else ASC))
    last = None
    while True:
        rows = list(with_details(ordered if last is None else ordered.filter(_after(last, descending)))[:batch])
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1]


def sections(events, filters, years):
    """A page's events under year headings, in list order, each with the empty years before it.

    `years` are the axis' counts: events overlapping each year under every
    filter but the dates, which for a year between two listed events is exactly
    what matches. The years between two consecutive headings that no event
    reported as having happened overlaps are one run, whichever the order (a
    period covers its years), so the gap is that run; a planned event may still
    run over it (`Gap.planned`). Years off the axis are never called empty.
    """
    counts = {year.year: year.happened for year in years}
    planned = {year.year for year in years if year.count > year.happened}
    previous = filters.cursor.start.year if filters.cursor else None
    result = []
    for event in events:
        year = event.start.year
        if result and result[-1].year == year:
            result[-1].events.append(event)
            continue
        gap = None
        if previous is not None and previous != year:
            empty = [y for y in range(min(previous, year) + 1, max(previous, year)) if counts.get(y) == 0]
            gap = Gap(empty[0], empty[-1], any(y in planned for y in empty)) if empty else None
        continued = not result and previous == year
        result.append(Section(year, [event], gap, continued))
        previous = year
    return result


def neighbours(event, filters, base=None):
    """The events just before and after `event` in the reader's view (its filters and order)."""
    events = matching(filters, base)
    descending = filters.order == "desc"
    previous = events.filter(_after(event, not descending)).order_by(*(ASC if descending else DESC)).first()
    following = events.filter(_after(event, descending)).order_by(*(DESC if descending else ASC)).first()
    return previous, following


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


def facets(filters, subject=None):
    """Each option's count under the other active filters (as Datasette does), from the index."""
    found = index.current()
    listed = found.options
    counts = found.facets(found.masks(filters, subject))
    people, crimes, places, kinds, stages, parts = (
        counts[f] for f in ("person", "crime", "place", "kind", "stage", "china"))
    zh = chinese()
    return {
        "person": _in_order([Option(slug, text(*names, in_chinese=zh), people.get(pk, 0), slug in filters.person)
                             for pk, slug, names in listed["person"]]),
        "crime": _in_order([Option(slug, text(*names, in_chinese=zh), crimes.get(pk, 0), slug in filters.crime)
                            for pk, slug, names in listed["crime"]]),
        "kind": [Option(k, str(label), kinds.get(k, 0), k in filters.kind) for k, label in Event.Kind.choices],
        "stage": [Option(s, str(label), stages.get(s, 0), s in filters.stage) for s, label in Event.Stage.choices],
        "china": [Option(c, str(label), parts.get(c, 0), c in filters.china) for c, label in Event.ChinaPart.choices],
        "place": _in_order([Option(slug, text(*names, in_chinese=zh), places.get(pk, 0), slug == filters.place)
                            for pk, slug, names in listed["place"]]),
        "axis": axis(filters, counts["axis"]),
    }


def _in_order(options):
    """Options in the order of their names as the page reads them: the models' (English) order, or on a Chinese
    page by pinyin, as Chinese lists are sorted (a name still in English by its letters, among them)."""
    if not chinese():
        return options
    return sorted(options, key=lambda option: " ".join(lazy_pinyin(option.label)).lower())


def listed_before(event, filters, base=None):
    """How many events the reader's view lists before `event`."""
    return matching(filters, base).filter(_after(event, filters.order != "desc")).count()


@dataclass
class Year:
    year: int
    count: int  # events whose period overlaps the year: what choosing the year gives
    selected: bool
    happened: int = 0  # of them, those the sources report as having happened (not only planned)


@dataclass
class Shapes:
    """Every mark of one style on the time axis, as one SVG path: a rectangle per mark, in months since
    January 1984 (x) and a 40-unit height (y). One path a style keeps 100,000 events to a few elements."""

    classes: str
    d: str


@dataclass
class Axis:
    years: list
    marks: list  # of Shapes
    spans: str  # "first year,last year,events;…": lets the axis script count any range of years exactly
    band: tuple | None  # (x, width) of the chosen date range


AXIS_MONTHS = 12 * len(YEARS)
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
            continue  # outside 1984–2023: no place on the axis
        for year in range(max(first, YEARS.start), min(last, YEARS.stop - 1) + 1):
            counts[year] += n
            happened[year] += 0 if planned else n
        spans[first, last] = spans.get((first, last), 0) + n
        x0 = max(start - origin, 0)
        x1 = min(end - origin + 1, AXIS_MONTHS)
        # When.is_range, on month numbers: a period that happened, not one we are unsure within.
        ranged = qualifier in ("", "approximate") and {"day": not single, "month": start != end, "year": first != last}[
            precision]
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

    chosen = range(filters.date_from.start.year if filters.date_from else 0,
                   (filters.date_to.end.year if filters.date_to else 9999) + 1)
    years = [Year(y, n, band is not None and y in chosen, happened[y]) for y, n in counts.items()]
    marks = [Shapes(" ".join(c for c in (kind, "soft" if soft else "", "many" if many else "", "out" if out else "") if c),
                    "".join(boxes)) for (kind, soft, many, out), boxes in drawn.items()]
    return Axis(years, marks, ";".join(f"{a},{b},{n}" for (a, b), n in sorted(spans.items())),
                (_unit(band[0]), _unit(band[1] - band[0])) if band else None)


@dataclass
class Related:
    event: Event
    people: list  # names it shares with the event
    crimes: list  # crime types it shares

    @property
    def reason(self):
        parts = []
        if self.people:
            parts.append(_("also names %(people)s") % {"people": _and(self.people)})
        if self.crimes:
            parts.append(_("also %(crimes)s") % {"crimes": _and([c.lower() for c in self.crimes])})
        return pgettext("reasons", "; ").join(parts)


def _and(names):
    if len(names) == 1:
        return names[0]
    return _("%(first)s and %(last)s") % {"first": pgettext("list", ", ").join(names[:-1]), "last": names[-1]}


def related(event, limit=5):
    """Published events sharing people with `event` (most shared first, then nearest in time), then the nearest
    in time sharing a crime type; listed in time order, each with what it shares.

    Both searches use indexes: a person's events are few, and the crime-type
    search walks outward from the event's date.
    """
    published = Event.objects.published().exclude(pk=event.pk)
    people = {i.person_id: local(i.person, "name") for i in event.involvements.all()}
    # Most people shared first; among as many, the nearest in time (the same assembly's other events before a
    # minister's visits of years before).
    apart = Abs(index.DayNumber("start") - Value(index.day(event.start)))
    shared = (published.filter(involvements__person__in=people).annotate(shared=Count("involvements"))
              .order_by("-shared", apart, "start", "id")[:limit]) if people else []
    found = list(shared)
    crimes = {c.pk: local(c, "name") for c in event.crime_types.all()}
    if len(found) < limit and crimes:
        nearby = published.exclude(pk__in=[e.pk for e in found]).filter(
            pk__in=Event.crime_types.through.objects.filter(crimetype__in=crimes).values("event_id"))
        after = list(nearby.filter(start__gte=event.start).order_by("start", "id")[:limit])
        before = list(nearby.filter(start__lt=event.start).order_by("-start", "-id")[:limit])
        closest = sorted(after + before, key=lambda e: abs((e.start - event.start).days))
        found += closest[: limit - len(found)]
    # What each shares, in two more queries.
    found = (Event.objects.filter(pk__in=[e.pk for e in found]).select_related("place")
             .prefetch_related("involvements", "crime_types").order_by(*ASC))
    return [
        Related(other, [people[i.person_id] for i in other.involvements.all() if i.person_id in people],
                [crimes[c.pk] for c in other.crime_types.all() if c.pk in crimes])
        for other in found
    ]


@dataclass
class Decade:
    first: int
    last: int
    events: int = 0
    planned: int = 0
    sources: int = 0


@dataclass
class Coverage:
    decades: list
    events: int
    parts: list  # (label, count) for each of China's parts
    sources: int
    undated_sources: int
    excerpts: int
    checked_against_texts: int  # against the seed documents we hold, by check_citations
    checked_against_copies: int  # against stored copies of the other documents (Source.checked)


def coverage():
    """The About page's counts: events and the sources they cite, per decade of 1984–2023, in six queries."""
    from timeline.domain.source_texts import text_of
    from timeline.models import Source

    decades = [Decade(max(start, YEARS.start), min(start + 9, YEARS.stop - 1))
               for start in range(YEARS.start // 10 * 10, YEARS.stop, 10)]

    def decade(year):
        return next((d for d in decades if d.first <= year <= d.last), None)

    events = Event.objects.published()
    for year, stage, n in events.values_list("start__year", "stage").annotate(n=Count("id")).order_by():
        if found := decade(year):
            found.events += n
            found.planned += n if stage == Event.Stage.PLANNED else 0
    sources = Source.objects.cited()
    for year, n in sources.exclude(published_start=None).values_list("published_start__year").annotate(
            n=Count("id")).order_by():
        if found := decade(year):
            found.sources += n
    parts = dict(events.values_list("china").annotate(n=Count("id")).order_by())
    citations = Citation.objects.filter(event__status=Status.PUBLISHED)
    held = [file for file in sources.exclude(seed_file="").values_list("seed_file", flat=True) if text_of(file)]
    return Coverage(
        decades, sum(d.events for d in decades), [(label, parts.get(value, 0)) for value, label in Event.ChinaPart.choices],
        sources.count(), sources.filter(published_start=None).count(), citations.count(),
        citations.filter(source__seed_file__in=held).count(),
        citations.exclude(source__seed_file__in=held).exclude(source__checked=None).count())


@dataclass
class Role:
    role: str  # in the reader's language (bilingual.Text)
    years: object  # dates.When: the years its events cover
    events: int


def roles(person):
    """A person's arc: each role the published events give them, with the years those events cover, earliest
    first (Meng Hongwei: vice-minister, then President, then what followed). One query, one row a role."""
    import datetime as dt

    from django.db.models import Max, Min

    from timeline.domain import dates

    rows = (Involvement.objects.filter(person=person, event__status=Status.PUBLISHED).exclude(role="")
            .values("role", "role_zh").annotate(first=Min("event__start"), last=Max("event__end"),
                                                n=Count("event", distinct=True)).order_by("first", "last", "role"))
    return [Role(text(row["role"], row["role_zh"]),
                 dates.When(dt.date(row["first"].year, 1, 1), dt.date(row["last"].year, 12, 31), dates.YEAR, ""),
                 row["n"]) for row in rows]

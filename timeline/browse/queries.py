"""From `Filters` to querysets: the matching events, one keyset page, facet counts.

Every function costs a fixed number of queries, whatever the data or filters.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q
from pypinyin import lazy_pinyin

from timeline.browse import index
from timeline.browse.axis import axis
from timeline.browse.filters import Cursor
from timeline.browse.params import CHOSEN, NAMED
from timeline.domain.bilingual import chinese, text
from timeline.domain.words import search_words
from timeline.models import Citation, Event, Involvement, Status

ASC, DESC = ("start", "end", "id"), ("-start", "-end", "-id")


def matching(filters, base=None, skip=None):
    """Published events matching every filter but `skip` (a facet's own dimension)."""
    events = base if base is not None else Event.objects.published()
    if filters.person and skip != "person":
        events = events.filter(pk__in=Involvement.objects.filter(person__slug__in=filters.person).values("event_id"))
    if filters.crime and skip != "crime":
        events = events.filter(
            pk__in=Event.crime_types.through.objects.filter(crimetype__slug__in=filters.crime).values("event_id")
        )
    for param in CHOSEN:
        if getattr(filters, param.name) and skip != param.name:
            events = events.filter(**{f"{param.name}__in": getattr(filters, param.name)})
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
        Q(**{f"start__{op}": key.start})
        | Q(start=key.start, **{f"end__{op}": key.end})
        | Q(start=key.start, end=key.end, **{f"id__{op}": key.id})
    )


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
    memory, browse/index.py); the database fetches only the page's events. A later
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
    rows = [
        event
        for event in with_details(Event.objects.filter(pk__in=ids)).order_by(*(DESC if descending else ASC))
        if event.status == Status.PUBLISHED
    ]
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
    zh = chinese()
    options = {
        param: _in_order(
            [
                Option(slug, text(*names, in_chinese=zh), counts[param].get(pk, 0), slug in filters.values_of(param))
                for pk, slug, names in listed[param]
            ]
        )
        for param in NAMED
    }
    for param in CHOSEN:
        chosen = getattr(filters, param.name)
        options[param.name] = [
            Option(value, str(label), counts[param.name].get(value, 0), value in chosen)
            for value, label in param.choices.choices
        ]
    return {**options, "axis": axis(filters, counts["axis"])}


def _in_order(options):
    """Options in the order of their names as the page reads them: the models' (English) order, or on a Chinese
    page by pinyin, as Chinese lists are sorted (a name still in English by its letters, among them)."""
    if not chinese():
        return options
    return sorted(options, key=lambda option: " ".join(lazy_pinyin(option.label)).lower())


def listed_before(event, filters, base=None):
    """How many events the reader's view lists before `event`."""
    return matching(filters, base).filter(_after(event, filters.order != "desc")).count()

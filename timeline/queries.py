"""From `Filters` to querysets: the matching events, one keyset page, facet counts.

Every function costs a fixed number of queries, whatever the data or filters.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q

from timeline.filters import Cursor
from timeline.models import Citation, CrimeType, Event, Involvement, Person, Place

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
    if filters.place and skip != "place":
        events = events.filter(place__slug=filters.place)
    for word in filters.q.split():
        named = Involvement.objects.filter(
            Q(person__name__icontains=word) | Q(person__aliases__name__icontains=word)
            | Q(person__chinese_name__icontains=word)
        ).values("event_id")
        events = events.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(place__name__icontains=word)
            | Q(place__country__icontains=word) | Q(pk__in=named)
        )
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


@dataclass
class Page:
    events: list
    next_cursor: Cursor | None
    count: int


def page(filters, base=None):
    """One page after the cursor, by keyset: the thousandth page costs what the first does."""
    size = settings.TIMELINE_PAGE_SIZE
    events = matching(filters, base)
    count = events.count()
    ordered = events.order_by(*(DESC if filters.order == "desc" else ASC))
    if filters.cursor:
        c = filters.cursor
        if filters.order == "desc":
            after = Q(start__lt=c.start) | Q(start=c.start, end__lt=c.end) | Q(start=c.start, end=c.end, id__lt=c.id)
        else:
            after = Q(start__gt=c.start) | Q(start=c.start, end__gt=c.end) | Q(start=c.start, end=c.end, id__gt=c.id)
        ordered = ordered.filter(after)
    rows = list(with_details(ordered)[: size + 1])
    next_cursor = Cursor.of(rows[size - 1]) if len(rows) > size else None
    return Page(rows[:size], next_cursor, count)


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


def facets(filters, base=None):
    """Each option's count under the other active filters (as Datasette does); five queries."""

    def within(skip):
        return matching(filters, base, skip=skip).values("pk")

    # Only options with a published event are shown: drafts stay invisible.
    people = Person.objects.annotate(
        n=Count("involvements__event", filter=Q(involvements__event__in=within("person")), distinct=True),
        seen=Count("involvements__event", filter=Q(involvements__event__status=Event.Status.PUBLISHED)),
    ).filter(seen__gt=0)
    crimes = CrimeType.objects.annotate(
        n=Count("events", filter=Q(events__in=within("crime")), distinct=True),
        seen=Count("events", filter=Q(events__status=Event.Status.PUBLISHED)),
    ).filter(seen__gt=0)
    places = Place.objects.annotate(
        n=Count("events", filter=Q(events__in=within("place"))),
        seen=Count("events", filter=Q(events__status=Event.Status.PUBLISHED)),
    ).filter(seen__gt=0)
    kinds = dict(matching(filters, base, skip="kind").order_by().values_list("kind").annotate(n=Count("id")))
    return {
        "person": [Option(p.slug, p.name, p.n, p.slug in filters.person) for p in people],
        "crime": [Option(c.slug, c.name, c.n, c.slug in filters.crime) for c in crimes],
        "kind": [Option(k, label, kinds.get(k, 0), k in filters.kind) for k, label in Event.Kind.choices],
        "place": [Option(p.slug, str(p), p.n, p.slug == filters.place) for p in places],
        "year": years(filters, base),
    }


@dataclass
class Year:
    year: int
    count: int
    size: int  # 0-5, the mark's height class
    selected: bool


def years(filters, base=None):
    """Events per year under every filter but the date range, in one query: an event counts in each year it overlaps."""
    events = matching(filters, base, skip="year")
    counts = events.aggregate(**{
        f"y{y}": Count("id", filter=Q(start__lte=dt.date(y, 12, 31), end__gte=dt.date(y, 1, 1))) for y in YEARS
    })
    top = max(counts.values(), default=0) or 1
    chosen = range(filters.date_from.start.year if filters.date_from else 0,
                   (filters.date_to.end.year if filters.date_to else 9999) + 1)
    narrowed = bool(filters.date_from or filters.date_to)
    return [
        Year(y, n, 0 if not n else 1 + round(4 * math.log1p(n) / math.log1p(top)), narrowed and y in chosen)
        for y, n in ((y, counts[f"y{y}"]) for y in YEARS)
    ]


def related(event, limit=5):
    """Published events sharing people or crime types with `event`, most shared first (a person counts double)."""
    people = Involvement.objects.filter(event=event).values("person_id")
    crimes = Event.crime_types.through.objects.filter(event=event).values("crimetype_id")
    return list(
        Event.objects.published().exclude(pk=event.pk)
        .annotate(shared=2 * Count("involvements", filter=Q(involvements__person__in=people), distinct=True)
                  + Count("crime_types", filter=Q(crime_types__in=crimes), distinct=True))
        .filter(shared__gt=0).select_related("place").order_by("-shared", "start")[:limit]
    )

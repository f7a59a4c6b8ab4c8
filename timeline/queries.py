"""From `Filters` to querysets: the matching events, one keyset page, facet counts.

Every function costs a fixed number of queries, whatever the data or filters.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractYear

from timeline.filters import Cursor
from timeline.models import Citation, CrimeType, Event, Involvement, Person, Place, search_words

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
    for word in search_words(filters.q):
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


def options():
    """Every person, crime type and place with a published event: the facets' option lists.

    They change only with the data, so callers cache them per data version.
    """
    published = Event.objects.published()
    on_published = Involvement.objects.filter(event__in=published.values("pk")).values("person_id")
    return {
        "person": list(Person.objects.filter(pk__in=on_published).values_list("pk", "slug", "name")),
        "crime": list(CrimeType.objects.filter(pk__in=Event.crime_types.through.objects.filter(
            event__in=published.values("pk")).values("crimetype_id")).values_list("pk", "slug", "name")),
        "place": [(p.pk, p.slug, str(p)) for p in Place.objects.filter(pk__in=published.values("place_id"))],
    }


def facets(filters, base, listed):
    """Each option's count under the other active filters (as Datasette does): one GROUP BY per facet.

    `listed` is options(), which callers cache per data version.
    """

    def within(skip):
        return matching(filters, base, skip=skip).values("pk")

    people = dict(Involvement.objects.filter(event__in=within("person")).order_by()
                  .values_list("person_id").annotate(n=Count("id")))
    crimes = dict(Event.crime_types.through.objects.filter(event__in=within("crime")).order_by()
                  .values_list("crimetype_id").annotate(n=Count("id")))
    places = dict(matching(filters, base, skip="place").order_by().values_list("place_id").annotate(n=Count("id")))
    kinds = dict(matching(filters, base, skip="kind").order_by().values_list("kind").annotate(n=Count("id")))
    return {
        "person": [Option(slug, name, people.get(pk, 0), slug in filters.person) for pk, slug, name in listed["person"]],
        "crime": [Option(slug, name, crimes.get(pk, 0), slug in filters.crime) for pk, slug, name in listed["crime"]],
        "kind": [Option(k, label, kinds.get(k, 0), k in filters.kind) for k, label in Event.Kind.choices],
        "place": [Option(slug, name, places.get(pk, 0), slug == filters.place) for pk, slug, name in listed["place"]],
        "year": years(filters, base),
    }


@dataclass
class Year:
    year: int
    count: int
    size: int  # 0-5, the mark's height class
    selected: bool


def years(filters, base=None):
    """Events per year under every filter but the date range; an event counts in each year it overlaps.

    One GROUP BY on (first year, last year): a handful of rows, spread over the years they cover.
    """
    spans = (matching(filters, base, skip="year").order_by()
             .values_list(ExtractYear("start"), ExtractYear("end")).annotate(n=Count("id")))
    counts = dict.fromkeys(YEARS, 0)
    for first, last, n in spans:
        for year in range(max(first, YEARS.start), min(last, YEARS.stop - 1) + 1):
            counts[year] += n
    top = max(counts.values(), default=0) or 1
    chosen = range(filters.date_from.start.year if filters.date_from else 0,
                   (filters.date_to.end.year if filters.date_to else 9999) + 1)
    narrowed = bool(filters.date_from or filters.date_to)
    return [Year(y, n, 0 if not n else 1 + round(4 * math.log1p(n) / math.log1p(top)), narrowed and y in chosen)
            for y, n in counts.items()]


def related(event, limit=5):
    """Published events sharing people with `event` (most shared first), then the nearest in time sharing a crime type.

    Both use indexes: a person's events are few, and the crime-type search walks
    outward from the event's date.
    """
    published = Event.objects.published().exclude(pk=event.pk).select_related("place")
    people = [i.person_id for i in event.involvements.all()]
    shared = (published.filter(involvements__person__in=people).annotate(shared=Count("involvements"))
              .order_by("-shared", "start", "id")[:limit]) if people else []
    found = list(shared)
    crimes = [c.pk for c in event.crime_types.all()]
    if len(found) < limit and crimes:
        nearby = published.exclude(pk__in=[e.pk for e in found]).filter(
            pk__in=Event.crime_types.through.objects.filter(crimetype__in=crimes).values("event_id"))
        after = list(nearby.filter(start__gte=event.start).order_by("start", "id")[:limit])
        before = list(nearby.filter(start__lt=event.start).order_by("-start", "-id")[:limit])
        closest = sorted(after + before, key=lambda e: abs((e.start - event.start).days))
        found += closest[: limit - len(found)]
    return found

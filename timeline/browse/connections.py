"""What a page says beside the list: an event's related events, a person's roles over time, and the About
page's counts of events and sources per decade."""

from dataclasses import dataclass

from django.db.models import Count, Value
from django.db.models.functions import Abs
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from timeline.browse import index
from timeline.browse.queries import ASC
from timeline.domain.bilingual import local, text
from timeline.domain.chronology import YEARS
from timeline.models import Citation, Event, Involvement, Status


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
    shared = (
        (
            published.filter(involvements__person__in=people)
            .annotate(shared=Count("involvements"))
            .order_by("-shared", apart, "start", "id")[:limit]
        )
        if people
        else []
    )
    found = list(shared)
    crimes = {c.pk: local(c, "name") for c in event.crime_types.all()}
    if len(found) < limit and crimes:
        nearby = published.exclude(pk__in=[e.pk for e in found]).filter(
            pk__in=Event.crime_types.through.objects.filter(crimetype__in=crimes).values("event_id")
        )
        after = list(nearby.filter(start__gte=event.start).order_by("start", "id")[:limit])
        before = list(nearby.filter(start__lt=event.start).order_by("-start", "-id")[:limit])
        closest = sorted(after + before, key=lambda e: abs((e.start - event.start).days))
        found += closest[: limit - len(found)]
    # What each shares, in two more queries.
    found = (
        Event.objects.filter(pk__in=[e.pk for e in found])
        .select_related("place")
        .prefetch_related("involvements", "crime_types")
        .order_by(*ASC)
    )
    return [
        Related(
            other,
            [people[i.person_id] for i in other.involvements.all() if i.person_id in people],
            [crimes[c.pk] for c in other.crime_types.all() if c.pk in crimes],
        )
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
    """The About page's counts: events and the sources they cite, per decade of the chronology's years, in six queries."""
    from timeline.domain.source_texts import text_of
    from timeline.models import Source

    decades = [
        Decade(max(start, YEARS.start), min(start + 9, YEARS.stop - 1))
        for start in range(YEARS.start // 10 * 10, YEARS.stop, 10)
    ]

    def decade(year):
        return next((d for d in decades if d.first <= year <= d.last), None)

    events = Event.objects.published()
    for year, stage, n in events.values_list("start__year", "stage").annotate(n=Count("id")).order_by():
        if found := decade(year):
            found.events += n
            found.planned += n if stage == Event.Stage.PLANNED else 0
    sources = Source.objects.cited()
    for year, n in (
        sources.exclude(published_start=None).values_list("published_start__year").annotate(n=Count("id")).order_by()
    ):
        if found := decade(year):
            found.sources += n
    parts = dict(events.values_list("china").annotate(n=Count("id")).order_by())
    citations = Citation.objects.filter(event__status=Status.PUBLISHED)
    held = [file for file in sources.exclude(seed_file="").values_list("seed_file", flat=True) if text_of(file)]
    return Coverage(
        decades,
        sum(d.events for d in decades),
        [(label, parts.get(value, 0)) for value, label in Event.ChinaPart.choices],
        sources.count(),
        sources.filter(published_start=None).count(),
        citations.count(),
        citations.filter(source__seed_file__in=held).count(),
        citations.exclude(source__seed_file__in=held).exclude(source__checked=None).count(),
    )


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

    rows = (
        Involvement.objects.filter(person=person, event__status=Status.PUBLISHED)
        .exclude(role="")
        .values("role", "role_zh")
        .annotate(first=Min("event__start"), last=Max("event__end"), n=Count("event", distinct=True))
        .order_by("first", "last", "role")
    )
    return [
        Role(
            text(row["role"], row["role_zh"]),
            dates.When(dt.date(row["first"].year, 1, 1), dt.date(row["last"].year, 12, 31), dates.YEAR, ""),
            row["n"],
        )
        for row in rows
    ]

"""The published events' filterable columns as arrays in memory: counts, facets, the axis and a page's events
without scanning the database.

In SQL each facet was a GROUP BY over every matching event: five scans and the
axis for a cold page, 0.8 s at 100,000 events. Here a filter is a boolean mask,
a facet one bincount over it, and a page the first matching positions of a
presorted order. Search words still go to the database's own full-text index,
which returns the matching ids.

One copy per process and per data version: any write bumps the version, and the
next request that needs the index loads it again, one query a table (make bench
prints the time and size). It is never staler than pages cached under the same
version.
"""

import datetime as dt
import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Case, Func, IntegerField, Value, When
from django.db.models.functions import Coalesce

from timeline.browse.params import CHOSEN, NARROWING
from timeline.domain.words import search_words
from timeline.models import CrimeType, DataVersion, Event, Involvement, Person, Place, Precision, Qualifier

KINDS = Event.Kind.values
STAGES = Event.Stage.values
CHINA = Event.ChinaPart.values
PRECISIONS = Precision.values
QUALIFIERS = Qualifier.values
EPOCH = dt.date(1970, 1, 1)


class MonthNumber(Func):
    """year × 12 + month − 1 of a date, in plain SQL: SQLite's Extract calls back into Python for every row."""

    output_field = IntegerField()
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 12 "
        "+ CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER) - 1)"
    )

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps dates as ISO text, "2013-10-11".
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12 "
            "+ CAST(substr(%(expressions)s, 6, 2) AS INTEGER) - 1)",
            **extra,
        )


class DayNumber(Func):
    """Days since 1 January 1970: dates as integers that compare as the dates do."""

    output_field = IntegerField()
    template = "(%(expressions)s - DATE '1970-01-01')"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra
        )


def day(date):
    return (date - EPOCH).days


def _code(field, values):
    """A text column as the position of its value in `values`, computed by the database (-1 for other values)."""
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(values)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def _rows(queryset, chunk=50_000):
    """A values_list queryset of integers as a 2-D array, through the cursor and a chunk at a time: the rows
    as Python tuples would take several times the array's memory (300 MB at a million events)."""
    sql, params = queryset.query.sql_with_params()
    width = len(queryset.query.values_select) + len(queryset.query.annotation_select)
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            parts.append(np.array(rows, dtype=np.int64))
    return np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.int64)


_memo_lock = threading.Lock()  # runserver's threads share the index too


def _remember(memo, key, value, most):
    """memo[key] = value, first dropping the oldest entries beyond `most`."""
    with _memo_lock:
        while len(memo) >= most:
            memo.pop(next(iter(memo)))
        memo[key] = value


def _positions(ids, event_ids):
    """Where each of `event_ids` is in the sorted `ids`, or -1."""
    if not len(ids):
        return np.full(len(event_ids), -1)
    at = np.searchsorted(ids, event_ids).clip(max=len(ids) - 1)
    return np.where(ids[at] == event_ids, at, -1)


class Links:
    """Event–person (or event–crime type) pairs, grouped by the other side: one person's events are a slice."""

    def __init__(self, pairs, ids):
        events, others = _positions(ids, pairs[:, 0]), pairs[:, 1]
        known = events >= 0  # drafts' pairs (and a pair loaded after its event: two statements) are left out
        events, others = events[known], others[known]
        self.values, dense = np.unique(others, return_inverse=True)  # pks, and each pair's pk as 0…k-1
        by = np.lexsort((events, dense))
        events, dense = events[by], dense[by]
        once = np.ones(len(events), dtype=bool)  # one pair an event and person, however many roles
        once[1:] = (events[1:] != events[:-1]) | (dense[1:] != dense[:-1])
        self.events, self.dense = events[once].astype(np.int32), dense[once].astype(np.int32)
        self.bounds = np.searchsorted(self.dense, np.arange(len(self.values) + 1))

    def having(self, pks, size):
        """Events linked to any of `pks`."""
        mask = np.zeros(size, dtype=bool)
        for i in np.searchsorted(self.values, pks):
            if i < len(self.values) and self.values[i] in pks:
                mask[self.events[self.bounds[i] : self.bounds[i + 1]]] = True
        return mask

    def counts(self, mask):
        """pk → how many events in `mask` each is linked to."""
        n = np.bincount(self.dense[mask[self.events]], minlength=len(self.values))
        return dict(zip(self.values.tolist(), n.tolist()))


@dataclass
class Index:
    version: int
    ids: np.ndarray  # sorted
    start: np.ndarray  # day numbers
    end: np.ndarray
    kind: np.ndarray  # codes into KINDS
    stage: np.ndarray
    china: np.ndarray  # codes into CHINA
    place: np.ndarray  # codes into places
    places: np.ndarray  # sorted pks, 0 for none
    order: np.ndarray  # positions in the timeline's order: start, end, id
    shape: np.ndarray  # each event's axis group
    shapes: list  # the groups: start month, end month, precision, qualifier, single day, planned
    people: Links
    crimes: Links
    # The facets' options: each person, crime type and place a published event names,
    # as (pk, slug, (English name, Chinese name)).
    options: dict
    slugs: dict = field(default_factory=dict)  # param → slug → (pk, names), of the options
    recent: dict = field(default_factory=dict)  # the last few views' masks: a page and its facets share them
    words: dict = field(default_factory=dict)  # search word → its events, as bits: readers reuse words

    @classmethod
    def load(cls, version):
        events = _rows(
            Event.objects.published()
            .order_by("id")
            .values_list(
                "id",
                DayNumber("start"),
                DayNumber("end"),
                _code("kind", KINDS),
                _code("stage", STAGES),
                _code("china", CHINA),
                Coalesce("place_id", Value(0)),  # no place: 0, never a pk
                MonthNumber("start"),
                MonthNumber("end"),
                _code("precision", PRECISIONS),
                _code("qualifier", QUALIFIERS),
            )
        )
        ids, start, end, kind, stage, china, place, first, last, precision, qualifier = events.T
        # Every pair: those of drafts are dropped in numpy, quicker than a join in SQL.
        people = Links(_rows(Involvement.objects.order_by().values_list("event_id", "person_id")), ids)
        crimes = Links(_rows(Event.crime_types.through.objects.order_by().values_list("event_id", "crimetype_id")), ids)
        named = {
            "person": set(people.values.tolist()),
            "crime": set(crimes.values.tolist()),
            "place": set(place.tolist()),
        }
        # All rows of these small tables, kept in their models' order: cheaper than a join through the links.
        # Names in both languages, (English, Chinese): a request picks its own (bilingual.text).
        options = {
            "person": [(p.pk, p.slug, (p.name, p.name_zh)) for p in Person.objects.only("slug", "name", "name_zh")],
            "crime": [(c.pk, c.slug, (c.name, c.name_zh)) for c in CrimeType.objects.only("slug", "name", "name_zh")],
            "place": [(p.pk, p.slug, (str(p), p.chinese)) for p in Place.objects.all()],
        }
        options = {param: [row for row in rows if row[0] in named[param]] for param, rows in options.items()}
        # One integer a group (months need 17 bits up to year 9999): a 1-D unique is far quicker than rows'.
        # Planned apart, so that a year only planned events reach still reads as a gap in what happened.
        planned = stage == STAGES.index(Event.Stage.PLANNED)
        keys = ((((first << 17 | last) << 3 | precision) << 4 | qualifier) << 1 | (start == end)) << 1 | planned
        keys, shape = np.unique(keys, return_inverse=True)
        shapes = [
            (
                int(k >> 26),
                int(k >> 9 & 0x1FFFF),
                PRECISIONS[k >> 6 & 7],
                QUALIFIERS[k >> 2 & 15],
                bool(k & 2),
                bool(k & 1),
            )
            for k in keys.tolist()
        ]
        places, place = np.unique(place, return_inverse=True)
        small = np.int32, np.int32, np.int8, np.int8, np.int8, np.int32  # a million events in about 60 MB
        start, end, kind, stage, china, place = (
            column.astype(t) for column, t in zip((start, end, kind, stage, china, place), small)
        )
        return cls(
            version,
            ids,
            start,
            end,
            kind,
            stage,
            china,
            place.reshape(-1),
            places,
            np.lexsort((ids, end, start)).astype(np.int32),
            shape.reshape(-1).astype(np.int32),
            shapes,
            people,
            crimes,
            options,
            {param: {slug: (pk, name) for pk, slug, name in rows} for param, rows in options.items()},
        )

    def positions(self, event_ids):
        return _positions(self.ids, event_ids)

    @property
    def size(self):
        return len(self.ids)

    @property
    def nbytes(self):
        arrays = [*vars(self).values(), *vars(self.people).values(), *vars(self.crimes).values()]
        return sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))

    # --- filters as masks ---------------------------------------------------

    def masks(self, filters, subject=None):
        """Each active filter dimension's mask (the subject's under "subject"), computed once for all facets."""
        # Every narrowing parameter (params.py): one left out would serve another view's masks.
        key = (*(getattr(filters, name) for name in NARROWING), subject, tuple(sorted(filters.pks.items())))
        masks = self.recent.get(key)
        if masks is None:
            masks = self._masks(filters, subject)
            _remember(self.recent, key, masks, 4)
        return masks

    def _masks(self, filters, subject):
        masks = {}
        if subject:
            masks["subject"] = self._linked(subject[0], [subject[1]])
        if filters.person:
            masks["person"] = self._linked("person", [filters.pks["person", slug] for slug in filters.person])
        if filters.crime:
            masks["crime"] = self._linked("crime", [filters.pks["crime", slug] for slug in filters.crime])
        for param in CHOSEN:
            if chosen := getattr(filters, param.name):
                values = param.choices.values
                masks[param.name] = np.isin(getattr(self, param.name), [values.index(value) for value in chosen])
        if filters.place:
            pk = filters.pks["place", filters.place]
            at = np.searchsorted(self.places, pk)
            # Checked: the filters may have been read from the index of a moment ago, which named other places.
            known = at < len(self.places) and self.places[at] == pk
            masks["place"] = self.place == at if known else np.zeros(self.size, dtype=bool)
        if filters.q:
            masks["q"] = np.logical_and.reduce([self._word(word) for word in search_words(filters.q, query=True)])
        # Periods overlap the range, at the precision typed: to=2013 runs to 31 December.
        if filters.date_from or filters.date_to:
            year = np.ones(self.size, dtype=bool)
            if filters.date_from:
                year &= self.end >= day(filters.date_from.start)
            if filters.date_to:
                year &= self.start <= day(filters.date_to.end)
            masks["year"] = year
        return masks

    def _word(self, word):
        """Events with a word starting with `word`, from the database's full-text index, kept for the version."""
        packed = self.words.get(word)
        if packed is None:
            found = np.zeros(self.size, dtype=bool)
            # Drafts match too; they have no position here.
            at = self.positions(_rows(Event.objects.order_by().filter(search_text__word=word).values_list("id"))[:, 0])
            found[at[at >= 0]] = True
            packed = np.packbits(found)  # 125 KB at a million events
            _remember(self.words, word, packed, 64)
        return np.unpackbits(packed, count=self.size).astype(bool)

    def _linked(self, param, pks):
        return (self.people if param == "person" else self.crimes).having(pks, self.size)

    def matching(self, masks, skip=None):
        """Events matching every mask but `skip`'s (a facet's own dimension)."""
        result = np.ones(self.size, dtype=bool)
        for name, mask in masks.items():
            if name != skip:
                result &= mask
        return result

    # --- what a page shows -----------------------------------------------------

    def page(self, mask, cursor, descending, size):
        """(ids of the next `size` + 1 matching events after `cursor` in the view's order, how many match before)."""
        offset = 0
        if cursor:
            after = _after(self, cursor, descending)
            offset = int(np.count_nonzero(mask & ~after))
            mask = mask & after
        ordered = self.order[mask[self.order]]
        chosen = ordered[::-1][: size + 1] if descending else ordered[: size + 1]
        return self.ids[chosen].tolist(), offset

    def facets(self, masks):
        """pk or value → count for each facet, each under every filter but its own; and the axis' groups."""

        def tally(codes, skip, values):
            n = np.bincount(codes[self.matching(masks, skip)], minlength=len(values))
            return dict(zip(values, n.tolist()))

        return {
            "person": self.people.counts(self.matching(masks, "person")),
            "crime": self.crimes.counts(self.matching(masks, "crime")),
            "place": tally(self.place, "place", self.places.tolist()),
            **{param.name: tally(getattr(self, param.name), param.name, param.choices.values) for param in CHOSEN},
            "axis": [
                (*shape, n)
                for shape, n in zip(
                    self.shapes,
                    np.bincount(self.shape[self.matching(masks, "year")], minlength=len(self.shapes)).tolist(),
                )
                if n
            ],
        }


def _after(index, cursor, descending):
    """Events after `cursor` in the order (start, end, id), or before it when descending."""
    start, end = day(cursor.start), day(cursor.end)
    if descending:
        return (index.start < start) | (
            (index.start == start) & ((index.end < end) | ((index.end == end) & (index.ids < cursor.id)))
        )
    return (index.start > start) | (
        (index.start == start) & ((index.end > end) | ((index.end == end) & (index.ids > cursor.id)))
    )


_current = None
_loading = threading.Lock()  # one load per process at a time (a greenlet lock under gevent)


def current():
    """The index of the data as it is now: loaded again when the data version moved."""
    global _current
    version = DataVersion.current()
    if _current is None or _current.version != version:
        if _loading.locked() and not connection.in_atomic_block:
            # Another request is loading it, for seconds at a million events: wait without holding one of
            # the pool's connections, which cached pages need to read the version.
            connection.close()
        with _loading:
            version = DataVersion.current()  # what it is now: those who waited need not load it again
            if _current is None or _current.version != version:
                _current = Index.load(version)
    return _current


def forget():
    """Drop this process' copy (tests whose databases restart the version)."""
    global _current
    _current = None

"""Cold pages in process: a reproducible mix of views no cache has seen, and where their render time goes."""

import random
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import CommandError
from django.http import QueryDict
from django.test import Client

from timeline.browse import index, queries
from timeline.browse.filters import Filters
from timeline.domain.chronology import FIRST, LAST
from timeline.models import CrimeType, Event, Person, Place

WORDS = [
    "police",
    "operation",
    "beijing",
    "fraud",
    "meeting",
    "visit",
    "training",
    "cooperation",
    "lyon",
    "cybercrime",
    "terrorism",
    "drug",
    "fugitive",
    "singapore",
    "ministry",
]

HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}  # as through the TLS proxy, from a browser
HTMX = {"HX-Request": "true"}


def cold_mix(n, seed=13):
    """n distinct filtered views, as readers make them: people, crime types, kinds, places, dates and words,
    one to four at a time (the same n for the same data)."""
    rng = random.Random(seed)
    published = Event.objects.published().values("pk")
    pools = {
        "person": list(
            Person.objects.filter(involvements__event__in=published)
            .distinct()
            .order_by("slug")
            .values_list("slug", flat=True)
        ),
        "crime": list(CrimeType.objects.order_by("slug").values_list("slug", flat=True)),
        "kind": list(Event.Kind.values),
        "place": list(
            Place.objects.filter(events__in=published).distinct().order_by("slug").values_list("slug", flat=True)
        ),
        "q": WORDS,
    }
    views = set()
    while len(views) < n:
        params = [(name, rng.choice(pool)) for name, pool in pools.items() if rng.random() < 0.3]
        if rng.random() < 0.5:
            first = rng.randrange(FIRST, LAST)
            params += [("from", str(first)), ("to", str(rng.randrange(first, LAST + 1)))]
        if params:
            views.add(urlencode(sorted(params)))
    views = sorted(views)
    rng.shuffle(views)
    return views


def cold_parts(views, repeat=10):
    """What make bench compares at 100,000 and 1,000,000 events: the event index's load, then each view's
    htmx fragment with an empty page cache, and the facet counts alone (the filtered view's), in ms."""
    index.forget()
    started = time.perf_counter()
    found = index.current()
    load_ms = (time.perf_counter() - started) * 1000
    client = Client(headers={**HEADERS, **HTMX}, SERVER_NAME=settings.ALLOWED_HOSTS[0])
    times = {}
    for name, view in views.items():
        times[name] = []
        for _ in range(repeat):
            cache.clear()
            found.recent.clear()
            started = time.perf_counter()
            response = client.get(f"/?{view}", secure=True)
            times[name].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"/?{view} answered {response.status_code}")
    times["facet counts"] = []
    for _ in range(repeat):
        found.recent.clear()
        started = time.perf_counter()
        queries.facets(Filters.parse(QueryDict(views["filtered page"])))
        times["facet counts"].append((time.perf_counter() - started) * 1000)
    return {
        "index_load_ms": load_ms,
        "index_mb": found.nbytes / 1e6,
        "ms": {name: statistics.median(ms) for name, ms in times.items()},
    }


def render_times(views):
    """Milliseconds to render each view's htmx fragment here, with an empty cache each time: the cold cost
    of one view alone, without the server's queueing."""
    client, times = Client(headers={**HEADERS, **HTMX}, SERVER_NAME=settings.ALLOWED_HOSTS[0]), []
    for view in views:
        cache.clear()
        started = time.perf_counter()
        response = client.get(f"/?{view}", secure=True)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise CommandError(f"/?{view} answered {response.status_code}")
    return times

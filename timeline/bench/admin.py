"""Time the event admin on the current database: its list, searches, filtered lists and change form.

Each page is requested through Django's test Client (the whole middleware
stack, no server) as a superuser made for the run inside a transaction that
is rolled back: the command writes nothing. It prints, per page, the median
time of several runs, the SQL queries one request makes, the rows shown and
the events matched, and fails if a page's median is over the budget.

One page is shown but not held to the budget: a search for a word in nearly
every event. On SQLite, without a full-text index, its list page reads those
100,000 ids several times (count, page, the date hierarchy's range and years).
"""

import re
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client

from timeline.models import CrimeType, Event, Person, Place, Source


class QueryCounter:
    """Counts the SQL statements run on the connection, without DEBUG's query log."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="Timed requests per page (after one warm-up).")
        parser.add_argument("--budget", type=float, default=300.0, help="Milliseconds a page may take (median).")

    def handle(self, *args, runs, budget, verbosity, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        total = Event.objects.count()
        if not total:
            raise CommandError("No events: load the seed and run generate_events first.")
        pages = self.pages()
        host = next((h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")), "localhost")
        client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
        rows = []
        with transaction.atomic():
            user = get_user_model().objects.create_superuser("bench-admin", "bench@example.invalid", None)
            client.force_login(user)
            for name, path, budgeted in pages:
                rows.append({**self.measure(client, path, runs), "name": name, "budgeted": budgeted})
                if verbosity > 1:
                    self.stdout.write(f"  {name}: {rows[-1]['ms']:.0f} ms")
            transaction.set_rollback(True)  # the user and its session go with it
        self.stdout.write(self.table(rows, total, runs, budget))
        slow = [row["name"] for row in rows if row["status"] != 200 or row["budgeted"] and row["ms"] > budget]
        if slow:
            raise CommandError(f"Over {budget:.0f} ms or failed: {', '.join(slow)}.")
        self.stdout.write(self.style.SUCCESS(f"Every page under {budget:.0f} ms (median)."))

    def pages(self):
        """(name, path, within the budget?) for the requests to time, on whatever data the database holds."""
        base = "/admin/timeline/event/"
        person = Person.objects.annotate(n=Count("involvements")).order_by("-n", "pk").first()
        place = Place.objects.annotate(n=Count("events")).order_by("-n", "pk").first()
        source = Source.objects.annotate(n=Count("citations")).order_by("-n", "pk").first()
        crime = CrimeType.objects.order_by("pk").first()
        event = (
            Event.objects.annotate(n=Count("involvements"))
            .filter(n__gt=1, citations__isnull=False)
            .order_by("-pk")
            .first()
            or Event.objects.order_by("-pk").first()
        )
        total = Event.objects.count()
        year = Event.objects.order_by("start").values_list("start", flat=True)[total // 2].year
        last_page = (total - 1) // 100 + 1
        pages = [
            ("event list", base),
            ("sorted by title", f"{base}?o=1"),
            (f"last page (p={last_page})", f"{base}?p={last_page}"),
            ("search q=Meng", f"{base}?q=Meng"),
            ("search q=cybercrime", f"{base}?q=cybercrime"),
            ("search, two words", f"{base}?q=operation+beijing"),
        ]
        if source:
            phrase = urlencode({"q": f'"{source.title}"'})
            pages.append(("search a source's title", f"{base}?{phrase}"))
        if person:
            pages += [
                (f"person filter ({person.n:,} events)", f"{base}?people__id__exact={person.pk}"),
                ("person filter, by name", f"{base}?person_q={person.name.split()[0]}"),
            ]
        if place:
            pages.append((f"place filter ({place.n:,} events)", f"{base}?place__id__exact={place.pk}"))
        if source:
            pages.append((f"source filter ({source.n:,} events)", f"{base}?citations__source__id__exact={source.pk}"))
        if crime:
            pages.append(("crime type filter", f"{base}?crime_types__id__exact={crime.pk}"))
        pages += [
            (f"year {year} (date hierarchy)", f"{base}?start__year={year}"),
            (
                "status + kind + year + search",
                f"{base}?status__exact=published&kind__exact=visit&start__year={year}&q=police",
            ),
        ]
        if event:
            pages.append(("change form", f"{base}{event.pk}/change/"))
        pages = [(name, path, True) for name, path in pages]
        # The worst case, shown but not held to the budget (see the docstring).
        pages.append(("search q=police (in every event)", f"{base}?q=police", False))
        return pages

    def measure(self, client, path, runs):
        client.get(path, secure=True)  # warm-up: templates, caches; not counted
        times = []
        counter = QueryCounter()
        for _ in range(runs):
            counter.count = 0
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                response = client.get(path, secure=True)
                times.append((time.perf_counter() - started) * 1000)
        html = response.content.decode()
        body = html.split('id="result_list"', 1)[1].split("</tbody>", 1)[0] if 'id="result_list"' in html else ""
        matched = re.search(r'<p class="paginator">.*?([\d,]+)\s+events?\b', html, re.S)
        return {
            "path": path,
            "status": response.status_code,
            "ms": statistics.median(times),
            "max_ms": max(times),
            "queries": counter.count,
            "rows": body.count('<td class="action-checkbox">'),
            "matched": matched[1] if matched else "",
            "kb": len(response.content) / 1024,
        }

    def table(self, rows, total, runs, budget):
        lines = [
            f"\n{total:,} events, {connection.vendor}, DEBUG={settings.DEBUG}; median of {runs} runs after a warm-up.",
            f"{'page':36} {'status':>6} {'ms':>6} {'max ms':>6} {'queries':>7} {'rows':>5} {'matched':>8} {'KB':>5}",
        ]
        for row in rows:
            note = ("" if row["ms"] <= budget else "  over budget") if row["budgeted"] else "  (not budgeted)"
            if row["status"] != 200:
                note = "  failed"
            lines.append(
                f"{row['name'][:36]:36} {row['status']:>6} {row['ms']:6.0f} {row['max_ms']:6.0f} "
                f"{row['queries']:>7} {row['rows']:>5} {row['matched']:>8} {row['kb']:5.0f}{note}"
            )
        lines += ["", "Requests:", *(f"  {row['name']}: {row['path']}" for row in rows)]
        return "\n".join(lines)

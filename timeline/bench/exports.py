"""Time every export of the current database: first byte, rows/s and peak memory, per format and view.

Each format (CSV, iCalendar, TimelineJS, the Atom feed and, for comparison,
one page of /events.json) is requested for the whole view and for a filtered
one through Django's WSGI handler, the whole middleware stack as under
gunicorn, with the response iterated chunk by chunk and written to a file, as a
server writes it to its socket. Each request runs in a fresh child process
(`manage.py bench_exports --child ...`), with DEBUG off (no query log) and an
empty cache, after one warm-up request in that process: one format's peak
memory cannot hide another's, and no cached page answers.

Per request it prints the rows (counted afterwards from the file with the csv
module, VEVENTs, TimelineJS events, feed entries), the time to the first byte
and to the first row, the total time, rows/s, the bytes, and the process's
resident memory before the request and at its peak during it (Linux: VmHWM,
reset before the request). An export that streams has the same peak at both
sizes. It fails if a first byte or first row takes longer than the budget, or
if memory grows with the number of rows.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.http import QueryDict

from timeline.bench.streams import FORMATS, STREAMED, count_rows, measure
from timeline.browse import queries
from timeline.browse.filters import Filters
from timeline.exports.feed import ENTRIES
from timeline.models import Event

# About a fifth of the generated events (they are spread evenly over the chronology's years).
FILTERED = "from=2010&to=2017"
# gunicorn's default --timeout: a sync worker busy with one response this long is killed mid-download, which is
# why `make serve` sets a longer one. Listed for whoever serves the site otherwise; responses within a fifth of
# it too, as a busier machine or more events tips them over.
WORKER_TIMEOUT = 30
# Memory is flat if the whole view's peak is within this of the filtered view's.
FLAT_MB = 8.0
MB = 1024 * 1024


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=list(FORMATS),
            metavar="FORMAT",
            help=f"Only this format (repeatable): {', '.join(FORMATS)}.",
        )
        parser.add_argument(
            "--filtered",
            default=FILTERED,
            metavar="QUERY",
            help=f"The filtered view's query string (default {FILTERED}: about a fifth).",
        )
        parser.add_argument(
            "--budget", type=float, default=200.0, help="Milliseconds the first byte and the first row may take."
        )
        parser.add_argument("--out", help="Also write the figures to this JSON file.")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Measure in this process (for the tests): peak memory then covers every run.",
        )
        parser.add_argument("--child", help="Internal: measure the one request this JSON describes; print the figures.")

    def handle(self, *args, only, filtered, budget, out, in_process, child, verbosity, **options):
        if child:
            spec = json.loads(child)
            self.stdout.write(json.dumps(measure(spec["format"], spec["query"], spec["body"])))
            return
        total = Event.objects.published().count()
        if not total:
            raise CommandError("No published events: load the seed and run generate_events first.")
        filters = Filters.parse(QueryDict(filtered))
        if filters.errors:
            raise CommandError(f"--filtered {filtered!r}: {filters.errors}")
        views = [(filtered, queries.matching(filters).count()), ("", total)]
        formats = [f for f in FORMATS if not only or f in only]
        load_before = os.getloadavg()
        rows = []
        with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
            for fmt in formats:
                for query, matching in views:
                    body = Path(folder) / f"{fmt}.body"
                    spec = {"format": fmt, "query": query, "body": str(body)}
                    result = measure(fmt, query, body, in_process=True) if in_process else self.child(spec)
                    counted = count_rows(fmt, body) if result["status"] == 200 else 0
                    body.unlink(missing_ok=True)
                    rows.append(
                        {
                            **result,
                            "format": fmt,
                            "path": FORMATS[fmt][0],
                            "query": query,
                            "view": query or "whole",
                            "matching": matching,
                            "rows": counted,
                            "expected": min(matching, self.holds(fmt)),
                            "rows_per_s": counted / result["total"] if result["total"] else 0.0,
                        }
                    )
                    if verbosity > 1:
                        self.stdout.write(f"  {fmt} {query or 'whole'}: {counted:,} rows in {result['total']:.2f} s")
        load = (load_before, os.getloadavg())  # other processes on the machine slow every figure
        self.stdout.write(self.table(rows, total, in_process, load))
        problems = self.verdicts(rows, formats, budget, in_process)
        if out:
            Path(out).write_text(
                json.dumps(
                    {
                        "events": total,
                        "database": connection.vendor,
                        "filtered": filtered,
                        "budget_ms": budget,
                        "in_process": in_process,
                        "python": sys.version.split()[0],
                        "cpus": os.cpu_count(),
                        "load": load,
                        "results": rows,
                        "problems": problems,
                    },
                    indent=2,
                )
                + "\n"
            )
            self.stdout.write(f"Figures written to {out}.")
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write(
            self.style.SUCCESS(
                f"Every export's first byte and first row under {budget:.0f} ms"
                + ("." if in_process else "; memory flat from the filtered view to the whole.")
            )
        )

    @staticmethod
    def holds(fmt):
        """How many of the view's events a format's response holds."""
        return {"feed": ENTRIES, "json": settings.TIMELINE_PAGE_SIZE}.get(fmt, float("inf"))

    def child(self, spec):
        """Measure in a fresh interpreter: its peak memory is this one request's."""
        connections.close_all()
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench_exports", "--child", json.dumps(spec)]
        done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
        if done.returncode:
            raise CommandError(f"The child for {spec['format']} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def table(self, rows, total, in_process, load):
        def ms(seconds):
            return f"{seconds * 1000:.1f}" if seconds is not None else "-"

        def mb(kb):
            return f"{kb / 1024:.1f}" if kb is not None else "n/a"

        lines = [
            f"\n{total:,} published events, {connection.vendor}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs; DEBUG=False, empty cache, through WSGIHandler; "
            + ("all in this process." if in_process else "each request in a fresh process, after a warm-up.")
            + f"\nLoad average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load[0])}; "
            f"after: {', '.join(f'{x:.2f}' for x in load[1])}.",
            f"{'format':11} {'view':30} {'rows':>7} {'of':>7} {'1st byte ms':>11} {'1st row ms':>10} {'total s':>8} "
            f"{'rows/s':>8} {'MB':>7} {'RSS before MB':>13} {'peak RSS MB':>11}",
        ]
        for row in rows:
            view = row["view"] if row["format"] in STREAMED else f"{row['view']}: {FORMATS[row['format']][2]}"
            note = "" if row["status"] == 200 else f"  HTTP {row['status']}"
            if row["status"] == 200 and row["rows"] != row["expected"]:
                note += f"  expected {row['expected']:,} rows"
            lines.append(
                f"{row['format']:11} {view[:30]:30} {row['rows']:>7,} {row['matching']:>7,} {ms(row['first_byte']):>11} "
                f"{ms(row['first_row']):>10} {row['total']:8.2f} {row['rows_per_s']:8,.0f} {row['bytes'] / MB:7.1f} "
                f"{mb(row['rss_before_kb']):>13} {mb(row['peak_rss_kb']):>11}{note}"
            )
        cold = ", ".join(
            f"{r['format']} {r['view']} {r['cold_first_row'] * 1000:.0f} ms"
            for r in rows
            if r["cold_first_row"] is not None
        )
        lines += [
            "",
            "rows: counted in the body (CSV records with the csv module, VEVENTs, TimelineJS events, feed entries,",
            f"  /events.json's events); of: events in the view. The feed holds {FORMATS['feed'][2]} entries and",
            f"  /events.json {FORMATS['json'][2]}, whatever the view; both are built whole, not streamed.",
            "1st byte: the first non-empty chunk of the body; 1st row: the chunk that completes the first record.",
            "peak RSS: the process's VmHWM during the request, reset just before it.",
            f"The first request of each fresh process (the warm-up, to its first row): {cold}.",
        ]
        return "\n".join(lines)

    def verdicts(self, rows, formats, budget, in_process):
        problems = []
        for row in rows:
            where = f"{row['format']} ({row['view']})"
            if row["status"] != 200 or row["rows"] != row["expected"]:
                problems.append(f"{where}: HTTP {row['status']}, {row['rows']:,} of {row['expected']:,} rows.")
            slowest = max(t for t in (row["first_byte"], row["first_row"]) if t is not None) if row["rows"] else 0
            if slowest * 1000 > budget:
                problems.append(f"{where}: first row after {slowest * 1000:.0f} ms.")
        slow = [row for row in rows if row["total"] > 0.8 * WORKER_TIMEOUT]
        if slow:
            self.stdout.write(
                self.style.WARNING(
                    f"\nLonger than or near gunicorn's default worker timeout ({WORKER_TIMEOUT} s): "
                    + ", ".join(f"{row['format']} ({row['view']}) {row['total']:.1f} s" for row in slow)
                    + ". A sync worker streaming one response that long is killed and the download cut off; "
                    "`make serve` allows 120 s (WORKER_TIMEOUT)."
                )
            )
        if in_process:
            return problems
        self.stdout.write("\nMemory, filtered view → whole view (peak RSS, and its growth over the RSS before):")
        for fmt in formats:
            small, large = (row for row in rows if row["format"] == fmt)
            if small["peak_rss_kb"] is None or large["peak_rss_kb"] is None:
                self.stdout.write(f"  {fmt:11} not measured: no /proc/self/clear_refs here.")
                continue
            grew = (large["peak_rss_kb"] - small["peak_rss_kb"]) / 1024
            flat = grew <= FLAT_MB
            self.stdout.write(
                f"  {fmt:11} {small['rows']:>7,} rows: {small['peak_rss_kb'] / 1024:6.1f} MB "
                f"(+{(small['peak_rss_kb'] - small['rss_before_kb']) / 1024:.1f}) → {large['rows']:>7,} rows: "
                f"{large['peak_rss_kb'] / 1024:6.1f} MB (+{(large['peak_rss_kb'] - large['rss_before_kb']) / 1024:.1f}): "
                + (f"flat ({grew:+.1f} MB)" if flat else f"grows by {grew:.1f} MB")
            )
            if not flat and fmt in STREAMED:
                problems.append(f"{fmt}: peak memory grows by {grew:.1f} MB from the filtered view to the whole.")
        return problems

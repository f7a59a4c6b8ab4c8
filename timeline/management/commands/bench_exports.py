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

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.http import QueryDict
from django.test.utils import override_settings

from timeline.browse import queries
from timeline.exports.feed import ENTRIES
from timeline.browse.filters import Filters
from timeline.models import Event

# name: (path, what a row is, what the response holds of the view, the bytes of the first row's chunk)
FORMATS = {
    "csv": ("/events.csv", "CSV records", "every event", None),  # the first row: the second line
    "ics": ("/events.ics", "VEVENTs", "every event", b"BEGIN:VEVENT"),
    "timelinejs": ("/timelinejs.json", "TimelineJS events", "every event", b'"unique_id"'),
    "feed": ("/feed/", "Atom entries", f"the latest {ENTRIES}", b"<entry"),
    "json": ("/events.json", "events of one page", f"one page of {settings.TIMELINE_PAGE_SIZE}", b'"slug"'),
}
STREAMED = ("csv", "ics", "timelinejs")
# About a fifth of the generated events (they are spread evenly over 1984–2023).
FILTERED = "from=2010&to=2017"
# gunicorn's default --timeout: a sync worker busy with one response this long is killed mid-download, which is
# why `make serve` sets a longer one. Listed for whoever serves the site otherwise; responses within a fifth of
# it too, as a busier machine or more events tips them over.
WORKER_TIMEOUT = 30
# Memory is flat if the whole view's peak is within this of the filtered view's.
FLAT_MB = 8.0
MB = 1024 * 1024


def _status_kb(field):
    """A line of /proc/self/status in kB, or None off Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak():
    """Reset the process's high-water mark of resident memory (VmHWM) to what it holds now."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _environ(path, query):
    """A WSGI environ as gunicorn makes it for a plain GET, without Accept-Encoding: bytes as made."""
    host = next((h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")), "localhost")
    return {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": host, "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host, "HTTP_USER_AGENT": "bench_exports", "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": BytesIO(), "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


class _FirstRow:
    """Tells when the streamed bytes hold the first whole row."""

    def __init__(self, marker):
        self.marker, self.newlines, self.tail = marker, 0, b""

    def __call__(self, chunk):
        if self.marker is None:  # CSV: the header's line, then the first record's
            self.newlines += chunk.count(b"\n")
            return self.newlines >= 2
        found = self.marker in self.tail + chunk
        self.tail = chunk[-len(self.marker):]
        return found


def measure(fmt, query, body_path, in_process=False):
    """One request through the WSGI handler, after a warm-up; the body goes to body_path. Seconds and kB."""
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    path, _, _, marker = FORMATS[fmt]
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(int(status.split()[0]))

    def fresh_cache():
        # A cache no earlier request filled: the feed and /events.json are otherwise served from it.
        return override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                     "LOCATION": f"bench-exports-{time.monotonic_ns()}"}})

    if in_process:
        # As Django's test client does: the request must not close the test's connection and transaction.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
    try:
        with override_settings(DEBUG=False):  # as in production: no query log growing with the rows
            handler = WSGIHandler()
            # The warm-up: the same request up to its first row, for the imports, the URL resolver and the first
            # connection, as in a server that has answered before. Its cache is then dropped.
            with fresh_cache():
                started = time.perf_counter()
                result = handler(_environ(path, query), start_response)
                try:
                    is_row = _FirstRow(marker)
                    for chunk in result:
                        if chunk and is_row(chunk):
                            break
                    cold = time.perf_counter() - started
                finally:
                    result.close()

            with fresh_cache():
                before = _status_kb("VmRSS")
                reset = _reset_peak()
                first_byte = first_row = None
                size = chunks = 0
                is_row = _FirstRow(marker)
                started = time.perf_counter()
                result = handler(_environ(path, query), start_response)
                try:
                    with open(body_path, "wb") as out:  # as a server writes to its socket
                        for chunk in result:
                            if not chunk:
                                continue
                            if first_byte is None:
                                first_byte = time.perf_counter() - started
                            if first_row is None and is_row(chunk):
                                first_row = time.perf_counter() - started
                            size += len(chunk)
                            chunks += 1
                            out.write(chunk)
                finally:
                    result.close()  # request_finished: the connection closes, as at the end of a real request
                total = time.perf_counter() - started
                peak = _status_kb("VmHWM") if reset else None
    finally:
        if in_process:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
    return {
        "status": statuses[-1], "first_byte": first_byte, "first_row": first_row, "total": total,
        "bytes": size, "chunks": chunks, "rss_before_kb": before, "peak_rss_kb": peak, "cold_first_row": cold,
        "pid": os.getpid(),
    }


def count_rows(fmt, body_path):
    """The records in a response body, read back from its file."""
    if fmt == "csv":
        with open(body_path, newline="", encoding="utf-8-sig") as body:
            return sum(1 for _ in csv.reader(body)) - 1  # less the header; quoted cells may hold newlines
    if fmt == "ics":
        with open(body_path, encoding="utf-8", newline="") as body:
            return sum(1 for line in body if line.rstrip("\r\n") == "BEGIN:VEVENT")
    if fmt == "feed":
        return len(ET.parse(body_path).getroot().findall("{http://www.w3.org/2005/Atom}entry"))
    with open(body_path, encoding="utf-8") as body:
        return len(json.load(body)["events"])  # TimelineJS and /events.json: also checks the JSON is whole


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", choices=list(FORMATS), metavar="FORMAT",
                            help=f"Only this format (repeatable): {', '.join(FORMATS)}.")
        parser.add_argument("--filtered", default=FILTERED, metavar="QUERY",
                            help=f"The filtered view's query string (default {FILTERED}: about a fifth).")
        parser.add_argument("--budget", type=float, default=200.0,
                            help="Milliseconds the first byte and the first row may take.")
        parser.add_argument("--out", help="Also write the figures to this JSON file.")
        parser.add_argument("--in-process", action="store_true",
                            help="Measure in this process (for the tests): peak memory then covers every run.")
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
                    rows.append({**result, "format": fmt, "path": FORMATS[fmt][0], "query": query,
                                 "view": query or "whole", "matching": matching, "rows": counted,
                                 "expected": min(matching, self.holds(fmt)),
                                 "rows_per_s": counted / result["total"] if result["total"] else 0.0})
                    if verbosity > 1:
                        self.stdout.write(f"  {fmt} {query or 'whole'}: {counted:,} rows in {result['total']:.2f} s")
        load = (load_before, os.getloadavg())  # other processes on the machine slow every figure
        self.stdout.write(self.table(rows, total, in_process, load))
        problems = self.verdicts(rows, formats, budget, in_process)
        if out:
            Path(out).write_text(json.dumps({
                "events": total, "database": connection.vendor, "filtered": filtered, "budget_ms": budget,
                "in_process": in_process, "python": sys.version.split()[0], "cpus": os.cpu_count(), "load": load,
                "results": rows, "problems": problems}, indent=2) + "\n")
            self.stdout.write(f"Figures written to {out}.")
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write(self.style.SUCCESS(
            f"Every export's first byte and first row under {budget:.0f} ms"
            + ("." if in_process else "; memory flat from the filtered view to the whole.")))

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
                f"{mb(row['rss_before_kb']):>13} {mb(row['peak_rss_kb']):>11}{note}")
        cold = ", ".join(f"{r['format']} {r['view']} {r['cold_first_row'] * 1000:.0f} ms" for r in rows
                         if r["cold_first_row"] is not None)
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
            self.stdout.write(self.style.WARNING(
                f"\nLonger than or near gunicorn's default worker timeout ({WORKER_TIMEOUT} s): "
                + ", ".join(f"{row['format']} ({row['view']}) {row['total']:.1f} s" for row in slow)
                + ". A sync worker streaming one response that long is killed and the download cut off; "
                "`make serve` allows 120 s (WORKER_TIMEOUT)."))
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
                + (f"flat ({grew:+.1f} MB)" if flat else f"grows by {grew:.1f} MB"))
            if not flat and fmt in STREAMED:
                problems.append(f"{fmt}: peak memory grows by {grew:.1f} MB from the filtered view to the whole.")
        return problems


"""One export response measured: its first byte, its first row, its rows and the peak memory it took."""

import csv
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from io import BytesIO

from django.conf import settings
from django.test.utils import override_settings

from timeline.exports import FORMATS as REGISTERED
from timeline.exports.feed import ENTRIES

# Per registered format: what a row is, what the response holds of the view, the bytes of the first row's chunk.
# A format registered without its line here fails the benchmark's test.
COUNTED = {
    "csv": ("CSV records", "every event", None),  # the first row: the second line
    "ics": ("VEVENTs", "every event", b"BEGIN:VEVENT"),
    "timelinejs": ("TimelineJS events", "every event", b'"unique_id"'),
    "feed": ("Atom entries", f"the latest {ENTRIES}", b"<entry"),
    "json": ("events of one page", f"one page of {settings.TIMELINE_PAGE_SIZE}", b'"slug"'),
}
# key: (path, *COUNTED[key]), in the registry's order.
FORMATS = {format.key: ("/" + format.path, *COUNTED[format.key]) for format in REGISTERED}
STREAMED = tuple(format.key for format in REGISTERED if format.streamed)


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
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_USER_AGENT": "bench_exports",
        "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
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
        self.tail = chunk[-len(self.marker) :]
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
        return override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": f"bench-exports-{time.monotonic_ns()}",
                }
            }
        )

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
        "status": statuses[-1],
        "first_byte": first_byte,
        "first_row": first_row,
        "total": total,
        "bytes": size,
        "chunks": chunks,
        "rss_before_kb": before,
        "peak_rss_kb": peak,
        "cold_first_row": cold,
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

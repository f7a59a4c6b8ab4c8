"""Load a running server with wrk and print requests/s and latency per kind of request.

`make bench` starts the server (`make serve` on 100,000 synthetic events) and
runs this; it only measures. Each figure is also given as a ratio to a static
file, the fastest thing the server does.
"""

import gzip
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from timeline.bench.cold import HEADERS, HTMX, cold_mix, cold_parts, render_times
from timeline.domain.chronology import FIRST
from timeline.models import CrimeType, Event, Person

# Rotates through many distinct filtered queries, so nearly every request misses the cache.
COLD_LUA = """
paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="The running server, e.g. http://127.0.0.1:8765")
        parser.add_argument("--duration", type=int, default=10, help="Seconds per measurement.")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--out", default="bench-results.json", help="Where to write the figures.")
        parser.add_argument(
            "--load",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Instead: a load test of a mix of public pages for this long.",
        )
        parser.add_argument(
            "--cold-views",
            type=int,
            default=1000,
            help="Distinct filtered views in the cold mix, each requested once (0: none).",
        )
        parser.add_argument(
            "--renders",
            type=int,
            default=100,
            help="Of those, how many to render in this process, one at a time, for the median.",
        )

    def handle(self, *args, url, duration, connections, threads, out, load, cold_views, renders, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed: `apt-get install -y wrk` (make bench does it).")
        self.url, self.duration, self.connections, self.threads = url.rstrip("/"), duration, connections, threads
        if load:
            return self.load_test(load, out)
        home = self.fetch("/")
        css = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
        scripts = re.findall(r'src="(/static/[^"]+\.js)"', home)
        weight = self.first_view_weight(["/", css, *scripts])

        page_size = settings.TIMELINE_PAGE_SIZE
        ordered = Event.objects.published().order_by("start", "end", "id")
        total = ordered.count()
        deep_at = min(1000 * page_size, total - 1)
        deep = ordered.values_list("start", "end", "id")[deep_at - 1]
        person = Person.objects.filter(involvements__event__status="published").order_by("pk").first()
        crime = CrimeType.objects.order_by("pk").first()
        filtered = f"/?person={person.slug}&crime={crime.slug}&from=1990&to=2015&q=police"

        runs = [
            ("static file", css, {}),
            ("full page /", "/", {}),
            ("htmx fragment /", "/", HTMX),
            ("filtered fragment, warm", filtered, HTMX),
            ("filtered fragment, cold cache", None, HTMX),
            ("/events.json", "/events.json", {}),
            (f"deep page (page {deep_at // page_size + 1})", f"/?cursor={deep[0]}_{deep[1]}_{deep[2]}", HTMX),
        ]
        rows = []
        for name, path, headers in runs:
            if path is None:
                result = self.cold(person, crime, headers)
            else:
                self.wrk(path, headers, duration=2)  # warm every worker's cache first; not counted
                result = self.wrk(path, headers)
            rows.append({"name": name, "path": path or "(many filtered queries, each new)", **result})
            self.stdout.write(f"  measured {name}: {result['rps']:.0f} requests/s")
        static = rows[0]["rps"] or 1
        first_page = rows[2]["rps"] or 1
        for row in rows:
            row["ratio"] = row["rps"] / static
        report = {
            "events": total,
            "page_size": page_size,
            "connections": connections,
            "threads": threads,
            "duration_s": duration,
            "first_view_bytes_gzip": weight,
            "rows": rows,
            "deep_over_first_page": rows[-1]["rps"] / first_page,
        }
        report["cold_parts"] = cold_parts(
            {"first page": "", "deep page": f"cursor={deep[0]}_{deep[1]}_{deep[2]}", "filtered page": filtered[2:]}
        )
        if cold_views:
            views = cold_mix(cold_views)
            mix = self.cold_mix(views)
            mix["ratio"] = mix["rps"] / static
            mix["render_ms"] = render_times(views[:renders])
            report["cold_mix"] = mix
        Path(out).write_text(json.dumps(report, indent=2))
        self.stdout.write(self.table(report))
        self.stdout.write(self.style.SUCCESS(f"Figures written to {out}."))

    def load_test(self, seconds, out):
        """A realistic mix of what readers request, warmed first: no request may fail."""
        events = list(Event.objects.published().order_by("?").values_list("slug", flat=True)[:40])
        people = list(
            Person.objects.filter(involvements__event__status="published")
            .distinct()
            .values_list("slug", flat=True)[:10]
        )
        crimes = list(CrimeType.objects.values_list("slug", flat=True))
        paths = [
            "/",
            "/?order=desc",
            "/events.json",
            "/events.json?order=desc&kind=visit",
            "/?from=2000&to=2005",
            *(f"/events/{slug}/" for slug in events),
            *(f"/people/{slug}/" for slug in people),
            *(f"/crimes/{slug}/" for slug in crimes),
            *(f"/?crime={slug}&from=2010" for slug in crimes),
            *(f"/?person={slug}&q=police" for slug in people),
        ]
        with tempfile.TemporaryDirectory() as folder:
            listing = Path(folder) / "paths.txt"
            listing.write_text("\n".join(paths))
            script = Path(folder) / "mix.lua"
            script.write_text(COLD_LUA % listing)
            for path in paths:  # the first visit to a query computes it; the load test measures serving
                self.fetch(path)
            result = self.wrk("/", {}, str(script), duration=seconds)
        report = {
            "load_seconds": seconds,
            "connections": self.connections,
            "threads": self.threads,
            "urls": len(paths),
            **result,
        }
        Path(out).write_text(json.dumps(report, indent=2))
        self.stdout.write(
            f"Load: {seconds} s, {self.connections} connections, {len(paths)} public URLs in turn: "
            f"{result['requests']:,} requests, {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms, non-2xx {result['non_2xx']}, socket errors {result['socket_errors']}."
        )
        if result["non_2xx"] or result["socket_errors"]:
            raise CommandError("Some requests failed under load.")
        self.stdout.write(self.style.SUCCESS(f"No failed request. Figures written to {out}."))

    def fetch(self, path, headers=None):
        request = urllib.request.Request(self.url + path, headers={**HEADERS, **(headers or {})})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return body.decode()

    def first_view_weight(self, paths):
        total = 0
        for path in paths:
            request = urllib.request.Request(self.url + path, headers=HEADERS)
            with urllib.request.urlopen(request, timeout=30) as response:
                total += len(response.read())
        return total

    def wrk(self, path, headers, script=None, duration=None):
        command = [
            "wrk",
            "--latency",
            "--timeout",
            "10s",
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{duration or self.duration}s",
        ]
        for name, value in {**HEADERS, **headers}.items():
            command += ["-H", f"{name}: {value}"]
        if script:
            command += ["-s", script]
        command.append(self.url + path)
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return parse(output)

    def cold(self, person, crime, headers):
        words = ["police", "operation", "beijing", "fraud", "meeting", "visit", "training", "cooperation"]
        paths = [
            f"/?crime={crime.slug}&from={FIRST + a}&to={FIRST + a + b}&q={w}"
            for a in range(40)
            for b in range(1, 12)
            for w in words
        ]
        with tempfile.TemporaryDirectory() as folder:
            listing = Path(folder) / "paths.txt"
            listing.write_text("\n".join(paths))
            script = Path(folder) / "cold.lua"
            script.write_text(COLD_LUA % listing)
            return self.wrk("/", headers, str(script))

    def cold_mix(self, views):
        """Each view requested once, as an htmx fragment, by as many clients as wrk uses: none was asked before,
        so every one is computed (facet options aside, which are per data version)."""

        def one(view):
            started = time.perf_counter()
            request = urllib.request.Request(f"{self.url}/?{view}", headers={**HEADERS, **HTMX})
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
                    return response.status, time.perf_counter() - started
            except urllib.error.HTTPError as error:  # counted, as wrk counts them, not fatal
                return error.code, time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(self.connections) as pool:
            results = list(pool.map(one, views))
        seconds = time.perf_counter() - started
        latencies = [t * 1000 for _, t in results]
        self.stdout.write(f"  measured cold mix: {len(views) / seconds:.1f} requests/s")
        return {
            "views": len(views),
            "rps": len(views) / seconds,
            "p50_ms": statistics.median(latencies),
            "p99_ms": statistics.quantiles(latencies, n=100)[98],
            "non_2xx": sum(status != 200 for status, _ in results),
        }

    def table(self, report):
        lines = [
            f"\n{report['events']:,} events, {report['connections']} connections, {report['threads']} threads, "
            f"{report['duration_s']} s each. First view (HTML+CSS+JS, gzip): {report['first_view_bytes_gzip'] / 1024:.1f} KB.",
            f"{'request':38} {'req/s':>9} {'× static':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7}",
        ]
        for row in report["rows"]:
            lines.append(
                f"{row['name']:38} {row['rps']:9.0f} {row['ratio']:9.2f} {row['p50_ms']:8.1f} "
                f"{row['p99_ms']:8.1f} {row['non_2xx']:8} {row['socket_errors']:7}"
            )
        lines.append(f"deep page / first page (htmx fragment): {report['deep_over_first_page']:.2f}")
        parts = report["cold_parts"]
        lines.append(
            f"event index: loaded in {parts['index_load_ms']:.0f} ms, {parts['index_mb']:.1f} MB; cold, in this "
            "process, median of 10: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in parts["ms"].items())
        )
        if mix := report.get("cold_mix"):
            lines.append(
                f"cold mix, {mix['views']:,} distinct filtered views once each: {mix['rps']:.1f} requests/s, "
                f"{mix['ratio']:.3f} × static, p50 {mix['p50_ms']:.0f} ms, p99 {mix['p99_ms']:.0f} ms, "
                f"non-2xx {mix['non_2xx']}"
            )
            times = mix["render_ms"]
            lines.append(
                f"cold render in this process, one at a time, {len(times)} of them: median "
                f"{statistics.median(times):.0f} ms, p90 {statistics.quantiles(times, n=10)[8]:.0f} ms "
                f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]})"
            )
        return "\n".join(lines)


def parse(output):
    """The figures out of wrk's report."""

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "requests": int(requests[1]) if requests else 0,
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }

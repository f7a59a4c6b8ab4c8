"""`manage.py bench_exports` (make bench-exports) on the seed: it must not silently break."""

import json
import re
from io import StringIO

from django.core.management import call_command

from timeline.bench.exports import FORMATS, count_rows
from timeline.models import Event


def test_bench_exports_prints_a_row_per_format_and_view(seeded, tmp_path):
    out = StringIO()
    figures = tmp_path / "figures.json"
    # In this process: the test database is not visible to a child's own connection.
    call_command(
        "bench_exports",
        "--in-process",
        "--filtered",
        "kind=assembly",
        "--budget",
        "10000",
        "--out",
        str(figures),
        stdout=out,
    )
    text = out.getvalue()
    published = Event.objects.published().count()
    assemblies = Event.objects.published().filter(kind="assembly").count()
    assert 0 < assemblies < published

    results = json.loads(figures.read_text())["results"]
    assert [(r["format"], r["view"]) for r in results] == [
        (fmt, view) for fmt in FORMATS for view in ("kind=assembly", "whole")
    ]
    for r in results:
        assert r["status"] == 200
        assert r["rows"] == min(r["matching"], {"feed": 50, "json": 20}.get(r["format"], r["matching"]))
        assert r["rows_per_s"] > 0 and r["bytes"] > 0
        assert 0 < r["first_byte"] <= r["first_row"] <= r["total"]
    assert {r["matching"] for r in results} == {assemblies, published}

    # The printed table: a line per format and view, with a positive rows/s.
    for fmt in FORMATS:
        lines = [line for line in text.splitlines() if line.startswith(fmt + " ")]
        assert len(lines) == 2, text
        for line in lines:
            # …, rows/s, MB, RSS before MB, peak RSS MB at the end of the line.
            assert re.search(r"\s[\d,]+\s+[\d.]+\s+(n/a|[\d.]+)\s+(n/a|[\d.]+)$", line), line
            assert float(line.split()[-4].replace(",", "")) > 0, line
    assert "Every export's first byte and first row under 10000 ms." in text


def test_rows_are_counted_as_records_not_lines(tmp_path):
    body = tmp_path / "body"
    body.write_text('\ufeffslug,summary\r\na,"two\r\nlines"\r\nb,one\r\n', encoding="utf-8")
    assert count_rows("csv", body) == 2
    body.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert count_rows("ics", body) == 1

"""`manage.py bench`: the command lives in timeline/bench/http.py, with the rest of the benchmark code."""

from timeline.bench.http import Command  # noqa: F401

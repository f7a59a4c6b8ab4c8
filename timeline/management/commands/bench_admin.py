"""`manage.py bench_admin`: the command lives in timeline/bench/admin.py, with the rest of the benchmark code."""

from timeline.bench.admin import Command  # noqa: F401

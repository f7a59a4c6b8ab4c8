"""`manage.py bench_exports`: the command lives in timeline/bench/exports.py, with the rest of the benchmark code."""

from timeline.bench.exports import Command  # noqa: F401

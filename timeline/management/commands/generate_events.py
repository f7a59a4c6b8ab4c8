"""`manage.py generate_events`: the command lives in timeline/bench/synthetic.py, with the rest of the benchmark code."""

from timeline.bench.synthetic import Command  # noqa: F401

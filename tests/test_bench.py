"""`manage.py bench`'s cold mix (make bench) on the seed: it must not silently break."""

import pytest

from timeline.management.commands.bench import cold_mix, render_times

pytestmark = pytest.mark.usefixtures("seeded")


def test_the_cold_mix_is_distinct_filtered_views_the_same_each_run():
    views = cold_mix(60)
    assert len(views) == len(set(views)) == 60 and views == cold_mix(60)
    names = {part.split("=")[0] for view in views for part in view.split("&")}
    assert names == {"person", "crime", "kind", "place", "q", "from", "to"}


def test_cold_renders_are_timed_one_by_one():
    times = render_times(cold_mix(5))
    assert len(times) == 5 and all(t > 0 for t in times)

"""`manage.py bench`'s cold mix (make bench) on the seed: it must not silently break."""

import pytest

from timeline.bench.cold import cold_mix, cold_parts, render_times

pytestmark = pytest.mark.usefixtures("seeded")


def test_the_cold_mix_is_distinct_filtered_views_the_same_each_run():
    views = cold_mix(60)
    assert len(views) == len(set(views)) == 60 and views == cold_mix(60)
    names = {part.split("=")[0] for view in views for part in view.split("&")}
    assert names == {"person", "crime", "kind", "place", "q", "from", "to"}


def test_cold_renders_are_timed_one_by_one():
    times = render_times(cold_mix(5))
    assert len(times) == 5 and all(t > 0 for t in times)


def test_the_cold_parts_time_each_view_and_the_facets():
    from timeline.models import Person

    person = Person.objects.filter(involvements__event__status="published").first()
    parts = cold_parts(
        {
            "first page": "",
            "deep page": "cursor=2000-01-01_2000-01-01_1",
            "filtered page": f"person={person.slug}&q=interpol",
        },
        repeat=2,
    )
    assert set(parts["ms"]) == {"first page", "deep page", "filtered page", "facet counts"}
    assert all(ms > 0 for ms in parts["ms"].values()) and parts["index_load_ms"] > 0 and parts["index_mb"] > 0

"""Filters parsed from a query string: validation, dates, and writing the query back."""

import pytest
from django.http import QueryDict

from timeline.browse.filters import MAX_Q, MAX_VALUES, Filters

# Parsing touches the database only to check slugs against the chronology: those tests ask for the seed.


def parse(query):
    return Filters.parse(QueryDict(query))


def test_empty_query():
    filters = parse("")
    assert filters.is_empty() and not filters.errors and filters.querystring() == ""


@pytest.mark.usefixtures("seeded")
def test_repeatable_parameters_are_sets_in_one_order():
    filters = parse(
        "person=meng-hongwei&person=liao-jinrong&person=meng-hongwei&crime=cybercrime&kind=visit&kind=speech"
    )
    assert filters.person == ("liao-jinrong", "meng-hongwei")
    assert filters.crime == ("cybercrime",) and filters.kind == ("speech", "visit")
    assert filters.querystring() == ("?person=liao-jinrong&person=meng-hongwei&crime=cybercrime&kind=speech&kind=visit")
    # Any order of the same values is the same view, so the same page (and one cached copy of it).
    assert parse("kind=visit&kind=speech&person=meng-hongwei&person=liao-jinrong&crime=cybercrime") == filters


def test_dates_are_read_at_the_precision_typed():
    filters = parse("from=September 2013&to=2015")
    assert str(filters.date_from.start) == "2013-09-01"
    assert str(filters.date_to.end) == "2015-12-31"
    assert filters.querystring() == "?from=September+2013&to=2015"


@pytest.mark.parametrize(
    "query, param, words",
    [
        ("person=nobody", "person", "No person called “nobody”"),
        ("crime=piracy", "crime", "No crime type called “piracy”"),
        ("kind=party", "kind", "No kind called “party”"),
        ("place=atlantis", "place", "No place called “atlantis”"),
        ("place=china&place=singapore", "place", "one place"),
        ("from=soon", "from", "“soon”"),
        ("to=the thirty-second of Smarch", "to", "Smarch"),
        ("from=2016&to=2014", "to", "before"),
        ("order=sideways", "order", "asc"),
        ("cursor=garbage", "cursor", "broken"),
        ("cursor=2013-02-30_2013-02-30_1", "cursor", "broken"),
        (f"q={'x' * (MAX_Q + 1)}", "q", "at most"),
        ("q=" + "+".join(["w"] * 11), "q", "at most 10 words"),
        ("&".join(["kind=visit"] * (MAX_VALUES + 1)), "kind", f"at most {MAX_VALUES}"),
    ],
)
@pytest.mark.usefixtures("seeded")
def test_bad_values_are_explained_and_left_out(query, param, words):
    filters = parse(query + "&person=liao-jinrong")
    assert words in filters.errors[param]
    assert set(filters.errors) == {param}
    assert "liao-jinrong" in filters.person  # the rest still applies


@pytest.mark.usefixtures("seeded")
def test_unknown_slugs_are_dropped_and_known_ones_kept():
    filters = parse("person=nobody&person=liao-jinrong&person=<script>")
    assert filters.person == ("liao-jinrong",)
    assert "person" in filters.errors


@pytest.mark.usefixtures("seeded")
def test_chips_remove_one_value_each():
    filters = parse("person=liao-jinrong&person=jurgen-stock&crime=cybercrime&q=visit&to=2015")
    chips = {(label, value): query for label, value, query, _, _ in filters.chips()}
    # Each chip also names what the script unticks or clears in the live form.
    assert [(param, raw) for *_, param, raw in filters.chips()] == [
        ("person", "jurgen-stock"),
        ("person", "liao-jinrong"),
        ("crime", "cybercrime"),
        ("q", "visit"),
        ("to", "2015"),
    ]
    assert chips[("Person", "Liao Jinrong")] == "?person=jurgen-stock&crime=cybercrime&q=visit&to=2015"
    assert chips[("Crime type", "Cybercrime")] == "?person=jurgen-stock&person=liao-jinrong&q=visit&to=2015"
    assert chips[("Search", "“visit”")] == "?person=jurgen-stock&person=liao-jinrong&crime=cybercrime&to=2015"
    assert chips[("To", "2015")] == "?person=jurgen-stock&person=liao-jinrong&crime=cybercrime&q=visit"


@pytest.mark.usefixtures("seeded")
def test_a_change_of_filter_drops_the_cursor():
    filters = parse("person=liao-jinrong&cursor=2013-10-11_2013-10-11_5")
    assert filters.cursor is not None
    assert "cursor" not in filters.querystring()
    assert "cursor" not in filters.without("person", "liao-jinrong")


def test_nul_bytes_and_whitespace_in_search():
    assert parse("q=%00cyber%00++crime%20").q == "cyber crime"

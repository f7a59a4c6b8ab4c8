import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from timeline.models import Alias, Event, Person

D = dt.date


def make_event(**fields):
    values = dict(
        title="An event",
        slug="an-event",
        kind="visit",
        start=D(2015, 1, 1),
        end=D(2015, 1, 1),
        precision="day",
        summary="Our words.",
    )
    return Event.objects.create(**{**values, **fields})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"end": D(2014, 12, 31)},
        {"precision": "week"},
        {"qualifier": "soonish"},
        {"kind": "party"},
        {"status": "hidden"},
    ],
)
def test_database_refuses_dishonest_rows(empty, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(**fields)


@pytest.mark.django_db
def test_slugs_are_unique(empty):
    make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(title="Another")


@pytest.mark.django_db
def test_an_alias_names_only_one_person(empty):
    liao = Person.objects.create(name="Liao Jinrong", slug="liao-jinrong")
    other = Person.objects.create(name="Someone Else", slug="someone-else")
    Alias.objects.create(person=liao, name="Jingrong Liao")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alias.objects.create(person=other, name="Jingrong Liao")


@pytest.mark.django_db
def test_drafts_are_not_published(empty):
    make_event()
    make_event(slug="published", status="published")
    assert list(Event.objects.published().values_list("slug", flat=True)) == ["published"]


@pytest.mark.django_db
def test_migrations_match_the_models(empty):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

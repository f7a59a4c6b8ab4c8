"""check_citations: every excerpt is in the text of its source, where we hold that text (fixtures/sources/)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from timeline.models import Citation, Event, Source

pytestmark = pytest.mark.usefixtures("seeded")


def check():
    out = StringIO()
    call_command("check_citations", stdout=out)
    return out.getvalue()


def test_every_seed_excerpt_is_in_its_source():
    out = check()
    held = Citation.objects.exclude(source__seed_file="").count()
    unverified = Citation.objects.filter(source__seed_file="").count()
    # The five documents' excerpts are checked; the further reporting's, whose text we do not hold, are counted.
    assert f"{held} excerpts checked" in out and f"{unverified} unverified (no text held)" in out
    assert held >= 40 and "unverified: 9 from “Xi pledges to help strengthen Interpol”" in out


def test_a_tampered_excerpt_fails_naming_the_event_and_source():
    citation = Citation.objects.select_related("event", "source").order_by("id").first()
    Citation.objects.filter(pk=citation.pk).update(excerpt=citation.excerpt.replace(" ", " not ", 1))
    with pytest.raises(CommandError) as failure:
        check()
    assert citation.event.slug in str(failure.value) and citation.source.seed_file in str(failure.value)


def test_pieces_around_an_ellipsis_must_appear_in_order():
    citation = (
        Citation.objects.select_related("source").filter(excerpt__contains="…").first()
        or Citation.objects.select_related("source").order_by("id").first()
    )
    words = citation.excerpt.replace("…", " ").split()
    first, last = " ".join(words[:3]), " ".join(words[-3:])
    Citation.objects.filter(pk=citation.pk).update(excerpt=f"{first} … {last}")
    check()  # in order: passes
    Citation.objects.filter(pk=citation.pk).update(excerpt=f"{last} … {first}")
    with pytest.raises(CommandError):
        check()


def test_sources_whose_text_we_do_not_hold_are_counted_as_unverified():
    source = Source.objects.create(title="Reporting we hold no text of", publisher="A paper")
    before = Citation.objects.filter(source__seed_file="").count()
    Citation.objects.create(event=Event.objects.first(), source=source, excerpt="anything at all")
    out = check()
    assert f"{before + 1} unverified" in out and "unverified: 1 from “Reporting we hold no text of”" in out


def test_an_event_page_links_each_citation_to_its_original_publication(client):
    html = client.get("/events/operation-first-light-2014/").content.decode()
    assert '<a class="original" href="https://www.interpol.int/News-and-media/News/2015/N2015-157"' in html
    data = client.get("/events.json", {"q": "First Light"}).json()
    assert {c["url"] for e in data["events"] for c in e["citations"]} >= {
        "https://www.interpol.int/News-and-media/News/2015/N2015-157"
    }

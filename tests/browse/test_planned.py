"""Planned or happened: an event the sources only announce is shown, filtered and exported as planned."""

import pytest

from timeline.models import Event

pytestmark = pytest.mark.usefixtures("seeded")

PLANNED = {
    "igci-due-to-open-2014",
    "china-pledges-communication-systems-crime-labs",
    "china-pledges-law-enforcement-institute-training",
}


def slugs(client, **query):
    return {e["slug"] for e in client.get("/events.json", query).json()["events"]}


def test_the_igci_opening_is_a_forecast_and_shows_as_planned(client):
    # "due to open in Singapore in late 2014": our source forecasts it, it does not report it.
    assert set(Event.objects.filter(stage="planned").values_list("slug", flat=True)) == PLANNED
    html = client.get("/events/igci-due-to-open-2014/").content.decode()
    when = html.split("<dt>When</dt>", 1)[1].split("</dd>", 1)[0]
    assert "late 2014" in when and '<span class="stage">planned</span>' in when and "none says it happened" in when
    card = client.get("/", {"q": "Global Complex"}).content.decode()
    assert (
        '<span class="stage" title="The sources announce or expect it; they do not say it happened">Planned</span>'
        in card
    )


def test_readers_can_filter_planned_and_happened(client):
    assert slugs(client, stage="planned") == PLANNED
    happened = client.get("/events.json", {"stage": "happened", "order": "desc"}).json()
    assert happened["count"] == Event.objects.published().count() - len(PLANNED)
    assert not {e["slug"] for e in happened["events"]} & PLANNED
    assert client.get("/events.json", {"stage": ["planned", "happened"]}).json()["count"] == Event.objects.count()
    # Combined with the other filters, counted in the facet, written back into links.
    assert slugs(client, stage="planned", q="Singapore") == {"igci-due-to-open-2014"}
    html = client.get("/", {"stage": "planned"}).content.decode()
    assert '<input type="checkbox" name="stage" value="planned" id="stage-planned" checked>' in html
    assert "3 events match these filters" in html and "Happened or planned" in html


def test_an_unknown_stage_is_explained_and_left_out(client):
    response = client.get("/events.json", {"stage": "rumoured"})
    assert response.status_code == 400 and "neither “happened” nor “planned”" in response.json()["errors"]["stage"]
    html = client.get("/", {"stage": "rumoured", "q": "Singapore"}).content.decode()
    assert "neither “happened” nor “planned”" in html and "igci-due-to-open-2014" in html


def test_json_says_whether_each_event_happened_or_is_planned(client):
    events = {
        e["slug"]: e for q in ("Global Complex", "SOGA") for e in client.get("/events.json", {"q": q}).json()["events"]
    }
    assert events["igci-due-to-open-2014"]["stage"] == "planned"
    assert events["soga-operations-2007-2010"]["stage"] == "happened"

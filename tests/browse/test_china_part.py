"""How China figures in each event: a facet and a parameter like the others, in both languages, in /events.json
and the exports; INTERPOL context (sources that do not tie it to China) looks quieter and can be left out."""

import csv
import io

import pytest

from timeline.models import Event

pytestmark = pytest.mark.usefixtures("seeded")

PARTS = ["hosted", "participation", "about", "context"]


def slugs(client, **query):
    return {e["slug"] for e in client.get("/events.json", query).json()["events"]}


def published(**filters):
    return set(Event.objects.published().filter(**filters).values_list("slug", flat=True))


def test_every_event_says_how_china_figures_in_it_and_the_four_context_events_say_context():
    assert set(Event.objects.values_list("china", flat=True)) <= set(PARTS)
    # The seed documents' events that do not mention China (issue 26): kept, as context.
    assert {
        "operation-trigger-ix",
        "i-can-project-by-2023",
        "interpol-special-operations-2016",
        "heads-of-ncb-conference-2023",
    } <= published(china="context")
    assert {"86th-general-assembly-2017", "64th-general-assembly-1995"} <= published(china="hosted")


@pytest.mark.parametrize("part", PARTS)
def test_readers_filter_by_it(client, settings, part):
    settings.TIMELINE_PAGE_SIZE = 500
    assert slugs(client, china=part) == published(china=part) != set()


def test_context_can_be_left_out_and_combines_with_the_other_filters(client, settings):
    settings.TIMELINE_PAGE_SIZE = 500
    china = slugs(client, china=["hosted", "participation", "about"])
    assert china == published() - published(china="context")
    singapore = slugs(client, q="Singapore")
    assert slugs(client, china="context", q="Singapore") == singapore & published(china="context") != set()


def test_the_facet_counts_each_part_in_both_languages(client):
    html = client.get("/", {"china": "context"}).content.decode()
    n = len(published(china="context"))
    assert "China's part" in html
    assert '<input type="checkbox" name="china" value="context" id="china-context" checked>' in html
    assert f"{n} events match these filters" in html
    for label in ("Hosted or led by China", "With Chinese participation", "About China", "INTERPOL context"):
        assert label in html
    chinese = client.get("/zh-hans/", {"china": "context"}).content.decode()
    for label in ("中国的角色", "中国主办或主导", "中国参与", "涉及中国", "国际刑警组织背景"):
        assert label in chinese


def test_an_unknown_part_is_explained_and_left_out(client):
    response = client.get("/events.json", {"china": "everything"})
    assert (
        response.status_code == 400
        and "not one of hosted, participation, about or context" in (response.json()["errors"]["china"])
    )
    html = client.get("/", {"china": "everything"}).content.decode()
    assert "“everything” is not one of hosted, participation, about or context; left out." in html


def test_context_events_look_quieter_and_say_why(client):
    html = client.get("/", {"china": "context"}).content.decode()
    assert html.count('<article class="event context"') == len(published(china="context"))
    assert '<span class="china-part" title="Its sources do not tie it to China">INTERPOL context</span>' in html
    assert '<article class="event context"' not in client.get("/", {"china": "hosted"}).content.decode()
    detail = client.get("/events/operation-trigger-ix/").content.decode()
    assert "<dt>China's part</dt><dd>INTERPOL context" in detail and "do not tie it to China" in detail
    assert (
        "<dt>中国的角色</dt><dd>国际刑警组织背景"
        in client.get("/zh-hans/events/operation-trigger-ix/").content.decode()
    )


def test_json_and_csv_carry_it(client):
    events = {e["slug"]: e for e in client.get("/events.json", {"china": "context"}).json()["events"]}
    assert events and {e["china"] for e in events.values()} == {"context"}
    assert client.get("/events.json", {"lang": "zh-hans", "china": "hosted"}).json()["events"][0]["china"] == "hosted"
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get("/events.csv", {"china": "about"})).decode("utf-8-sig")))
    )
    assert rows and {row["china"] for row in rows} == {"about"}


def test_a_new_event_in_the_admin_asks_for_it(admin_client):
    html = admin_client.get("/admin/timeline/event/add/").content.decode()
    field = html.split('name="china"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>---------</option>' in field
    from tests.admin.test_admin import event_post

    response = admin_client.post("/admin/timeline/event/add/", event_post(china=""))
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert admin_client.post("/admin/timeline/event/add/", event_post(china="about")).status_code == 302
    assert Event.objects.get(slug="test-visit").china == "about"

"""Authoring in Django admin: the When field, publishing rules, merging people, permissions."""

import datetime as dt

import pytest

from tests.conftest import year_counts
from timeline.models import Alias, Citation, Event, Involvement, Person, SeedRecord, Source

pytestmark = pytest.mark.usefixtures("seeded")
D = dt.date
MODELS = {
    "event": Event,
    "person": Person,
    "alias": Alias,
    "citation": Citation,
    "involvement": Involvement,
    "source": Source,
    "seedrecord": SeedRecord,
}


def event_post(source=None, citations=1, people=(), **fields):
    data = {
        "title": "Test visit to Lyon",
        "slug": "test-visit",
        "kind": "visit",
        "when": "late 2014",
        "stage": "happened",
        "china": "participation",
        "place": "",
        "summary": "Our own words.",
        "status": "draft",
        "involvements-TOTAL_FORMS": str(len(people)),
        "involvements-INITIAL_FORMS": "0",
        "involvements-MIN_NUM_FORMS": "0",
        "involvements-MAX_NUM_FORMS": "1000",
        "citations-TOTAL_FORMS": str(citations),
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    source = source or Source.objects.first()
    for i in range(citations):
        data[f"citations-{i}-source"] = str(source.pk)
        data[f"citations-{i}-excerpt"] = f"a short quoted phrase {i}"
    for i, (person, role) in enumerate(people):
        data[f"involvements-{i}-person"] = str(person.pk)
        data[f"involvements-{i}-role"] = role
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "name", ["event", "person", "alias", "crimetype", "place", "source", "citation", "involvement", "seedrecord"]
)
def test_every_admin_page_renders(admin_client, name):
    from django.apps import apps

    model = apps.get_model("timeline", name)
    obj = model.objects.first()
    for url in [
        f"/admin/timeline/{name}/",
        f"/admin/timeline/{name}/add/",
        f"/admin/timeline/{name}/{obj.pk}/change/",
        f"/admin/timeline/{name}/?q=a",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_event_list_shows_dates_citations_and_facets(admin_client):
    html = admin_client.get("/admin/timeline/event/").content.decode()
    html += admin_client.get("/admin/timeline/event/", {"p": 2}).content.decode()  # newest first, 100 a page
    assert "late 2014" in html and "2007–2010" in html and "by 11 October 2013" in html
    assert '<td class="field-citation_count">2</td>' in html
    assert "Import an article" in html
    published = f"Published ({Event.objects.published().count()})"
    assert published not in html and "Show counts" in html  # facet counts only on request
    faceted = admin_client.get("/admin/timeline/event/?_facets=1").content.decode()
    assert published in faceted and "Planned (3)" in faceted
    filtered = admin_client.get("/admin/timeline/event/?start__year=2007&kind__exact=operation").content.decode()
    assert "SOGA operations" in filtered and "Operation First Light" not in filtered


def test_event_search_covers_aliases(admin_client):
    html = admin_client.get("/admin/timeline/event/?q=Jingrong").content.decode()
    assert "Liao Jinrong visits" in html and "first official mission to China" in html
    assert "86th General Assembly" not in html


GOOD_WHEN = [
    ("9 October 2015", D(2015, 10, 9), D(2015, 10, 9), "day", ""),
    ("September 2015", D(2015, 9, 1), D(2015, 9, 30), "month", ""),
    ("late 2014", D(2014, 9, 1), D(2014, 12, 31), "year", "late"),
    ("2007–2010", D(2007, 1, 1), D(2010, 12, 31), "year", ""),
    ("2017年9月26日", D(2017, 9, 26), D(2017, 9, 26), "day", ""),
    ("c. 1995", D(1995, 1, 1), D(1995, 12, 31), "year", "approximate"),
    ("before June 2023", D(2023, 5, 31), D(2023, 5, 31), "month", "before"),
]


@pytest.mark.parametrize("text, start, end, precision, qualifier", GOOD_WHEN)
def test_when_field_reads_what_editors_type(admin_client, text, start, end, precision, qualifier):
    response = admin_client.post("/admin/timeline/event/add/", event_post(when=text), follow=True)
    assert response.status_code == 200
    event = Event.objects.get(slug="test-visit")
    assert (event.start, event.end, event.precision, event.qualifier) == (start, end, precision, qualifier)
    assert f"When read as {event.when.describe()}" in response.content.decode()


def test_change_form_shows_the_reading(admin_client):
    event = Event.objects.get(slug="igci-due-to-open-2014")
    html = admin_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    assert 'name="when" value="late 2014"' in html
    reading = html.split('class="when-reading"', 1)[1].split("</output>", 1)[0]
    assert "Read as" in reading and "1 Sep 2014" in reading and "31 Dec 2014" in reading
    for label in ("Title", "Kind", "When", "Status"):
        assert f">{label}:</label>" in html


@pytest.mark.parametrize("text", ["30 February 2015", "soon", "the thirty-second of Smarch", "last month", "86"])
def test_when_field_refuses_unreadable_input_and_saves_nothing(admin_client, text):
    before = Event.objects.count()
    response = admin_client.post("/admin/timeline/event/add/", event_post(when=text))
    assert response.status_code == 200
    assert f"“{text}”" in response.content.decode()
    assert Event.objects.count() == before


def test_when_field_is_required(admin_client):
    response = admin_client.post("/admin/timeline/event/add/", event_post(when=""))
    assert "This field is required" in response.content.decode()
    assert not Event.objects.filter(slug="test-visit").exists()


def test_a_published_event_needs_a_citation(admin_client):
    response = admin_client.post("/admin/timeline/event/add/", event_post(citations=0, status="published"))
    assert "A published event needs at least one citation" in response.content.decode()
    assert not Event.objects.filter(slug="test-visit").exists()
    # A draft may have none.
    admin_client.post("/admin/timeline/event/add/", event_post(citations=0))
    assert Event.objects.get(slug="test-visit").status == "draft"


def test_a_published_event_needs_a_summary_and_roles(admin_client):
    response = admin_client.post("/admin/timeline/event/add/", event_post(status="published", summary=""))
    assert "needs a summary" in response.content.decode()
    guo = Person.objects.get(slug="guo-shengkun")
    response = admin_client.post("/admin/timeline/event/add/", event_post(status="published", people=[(guo, "")]))
    assert "give Guo Shengkun&#x27;s role at the time" in response.content.decode()
    assert not Event.objects.filter(slug="test-visit").exists()


def test_excerpts_are_short(admin_client):
    data = event_post()
    data["citations-0-excerpt"] = " ".join(["word"] * 26)
    response = admin_client.post("/admin/timeline/event/add/", data)
    assert "Quote at most 25 words" in response.content.decode()


def test_publish_and_unpublish_actions(admin_client):
    admin_client.post("/admin/timeline/event/add/", event_post(citations=0, slug="uncited"))
    admin_client.post("/admin/timeline/event/add/", event_post(slug="cited"))
    ids = Event.objects.filter(slug__in=["uncited", "cited"]).values_list("pk", flat=True)
    response = admin_client.post(
        "/admin/timeline/event/", {"action": "publish", "_selected_action": list(ids)}, follow=True
    )
    html = response.content.decode()
    assert "Published 1 event." in html and "Not published: “Test visit to Lyon” (no citation)" in html
    assert Event.objects.get(slug="cited").status == "published"
    assert Event.objects.get(slug="uncited").status == "draft"
    admin_client.post("/admin/timeline/event/", {"action": "unpublish", "_selected_action": list(ids)})
    assert not Event.objects.filter(slug__in=["uncited", "cited"], status="published").exists()


def test_drafts_are_invisible_to_readers_everywhere(client, admin_client):
    # Ahmed Naser Al-Raisi's events, made drafts: he is then known only from drafts.
    for event in Event.objects.filter(involvements__person__slug="ahmed-naser-al-raisi"):
        event.status = Event.Status.DRAFT
        event.save()
    for url in [
        "/",
        "/?q=delegates",
        "/events.json?q=delegates",
        "/people/ahmed-naser-al-raisi/",
        "/crimes/drug-trafficking/",
        "/people/jurgen-stock/",
    ]:
        assert "heads-of-ncb-conference-2023" not in client.get(url).content.decode(), url
    assert client.get("/events/heads-of-ncb-conference-2023/").status_code == 404
    assert client.get("/people/ahmed-naser-al-raisi/").status_code == 404  # known only from a draft
    html = client.get("/").content.decode()
    in_2023 = Event.objects.published().filter(start__year__lte=2023, end__year__gte=2023).count()
    assert year_counts(html)[2023] == in_2023 and "Conference (0)" not in html
    assert '<input type="checkbox" name="person" value="ahmed-naser-al-raisi"' not in html
    assert client.get("/events.json").json()["count"] == Event.objects.published().count()
    # Editors can preview it from admin ("View on site").
    preview = admin_client.get("/events/heads-of-ncb-conference-2023/")
    assert preview.status_code == 200 and "Draft: only editors see this page" in preview.content.decode()


def test_merging_two_people_loses_nothing(admin_client):
    duplicate = Person.objects.create(name="Shengkun Guo", slug="shengkun-guo", name_zh="郭声琨")
    Alias.objects.create(person=duplicate, name="Guo Sheng-kun")
    gathering = Event.objects.get(slug="86th-general-assembly-2017")
    Involvement.objects.create(event=gathering, person=duplicate, role="Host")
    lone = Event.objects.get(slug="interpol-centenary-2023")
    Involvement.objects.create(event=lone, person=duplicate, role="Guest")
    guo = Person.objects.get(slug="guo-shengkun")
    events_before = set(guo.events.values_list("slug", flat=True)) | {"interpol-centenary-2023"}

    selected = {"action": "merge", "_selected_action": [guo.pk, duplicate.pk]}
    confirm = admin_client.post("/admin/timeline/person/", selected)
    assert "Choose the person to keep" in confirm.content.decode()
    response = admin_client.post("/admin/timeline/person/", {**selected, "merge": "Merge", "keep": guo.pk}, follow=True)
    assert "Merged Shengkun Guo into Guo Shengkun" in response.content.decode()

    assert not Person.objects.filter(slug="shengkun-guo").exists()
    assert set(guo.events.values_list("slug", flat=True)) == events_before
    assert set(guo.aliases.values_list("name", flat=True)) >= {"Shengkun Guo", "Guo Sheng-kun"}
    # Each role stays a role of its own, and the old page's address leads to the person kept.
    assert set(Involvement.objects.filter(event=gathering, person=guo).values_list("role", flat=True)) == {
        "Minister of Public Security of China",
        "Host",
    }
    assert Involvement.objects.get(event=lone, person=guo).role == "Guest"
    assert admin_client.get("/people/shengkun-guo/").headers["Location"] == "/people/guo-shengkun/"


def test_merge_needs_two_people(admin_client):
    guo = Person.objects.get(slug="guo-shengkun")
    response = admin_client.post(
        "/admin/timeline/person/", {"action": "merge", "_selected_action": [guo.pk]}, follow=True
    )
    assert "Select at least two people" in response.content.decode()


def test_source_admin_shows_its_citations(admin_client):
    source = Source.objects.get(seed_file="001_16e5e8e9acfbe4a6.txt")
    html = admin_client.get(f"/admin/timeline/source/{source.pk}/change/").content.decode()
    assert "Citations of this source" in html and "Last month China’s Ministry of Public Security" in html


def test_editors_add_change_and_discard_drafts_but_cannot_delete_published_events_or_manage_users(editor):
    assert editor.post("/admin/timeline/event/add/", event_post()).status_code == 302
    event = Event.objects.get(slug="test-visit")
    assert (
        editor.post(
            f"/admin/timeline/event/{event.pk}/change/",
            event_post(when="2015", citations=0, loaded=event.updated.isoformat(), **{"citations-TOTAL_FORMS": "0"}),
        ).status_code
        == 302
    )
    for name in ["event", "person", "crimetype", "place", "source"]:
        assert editor.get(f"/admin/timeline/{name}/add/").status_code == 200, name
    published = Event.objects.published().first()
    assert editor.get(f"/admin/timeline/event/{published.pk}/delete/").status_code == 403
    assert editor.get(f"/admin/timeline/event/{event.pk}/delete/").status_code == 200
    assert editor.post(f"/admin/timeline/event/{event.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    person = Person.objects.first()
    assert editor.get(f"/admin/timeline/person/{person.pk}/delete/").status_code == 403
    assert editor.get("/admin/auth/user/").status_code == 403
    assert editor.get("/admin/auth/group/").status_code == 403
    assert editor.get("/admin/timeline/seedrecord/").status_code == 403
    assert editor.get("/admin/timeline/event/import/").status_code == 200


def test_anonymous_visitors_are_sent_to_login(client):
    for url in ["/admin/", "/admin/timeline/event/", "/admin/timeline/event/import/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url


def test_editors_write_both_languages_side_by_side_and_the_list_shows_what_chinese_is_missing(admin_client, client):
    """Issue 14: English and Chinese fields in pairs on one row; English is required to publish, Chinese is
    recommended, and the list says what has no Chinese yet (a filter finds those events)."""
    import lxml.html

    form = lxml.html.fromstring(admin_client.get("/admin/timeline/event/add/").content.decode())
    for english, chinese in (("title", "title_zh"), ("summary", "summary_zh"), ("disagreement", "disagreement_zh")):
        row = form.cssselect(f".form-multiline #id_{english}")[0].xpath("ancestor::div[contains(@class, 'form-row')]")[
            0
        ]
        assert row.cssselect(f"#id_{chinese}"), english
    assert form.cssselect("#id_involvements-0-role_zh")  # each person's role, beside the English
    for model, pair in (
        ("place", ("name", "name_zh")),
        ("crimetype", ("name", "name_zh")),
        ("person", ("name", "name_zh")),
        ("source", ("title", "title_zh")),
    ):
        page = lxml.html.fromstring(admin_client.get(f"/admin/timeline/{model}/add/").content.decode())
        assert page.cssselect(f".form-multiline #id_{pair[0]}") and page.cssselect(f".form-multiline #id_{pair[1]}")

    meng = Person.objects.get(slug="meng-hongwei")
    response = admin_client.post(
        "/admin/timeline/event/add/",
        event_post(
            people=[(meng, "INTERPOL President")],
            status="published",
            title_zh="测试：访问里昂",
            **{"involvements-0-role_zh": "国际刑警组织主席"},
        ),
    )
    assert response.status_code == 302  # published without a Chinese summary: recommended, not required
    event = Event.objects.get(slug="test-visit")
    assert (event.title_zh, event.summary_zh, event.involvements.get().role_zh) == (
        "测试：访问里昂",
        "",
        "国际刑警组织主席",
    )
    assert " 测试 " in event.search_text  # found by search in Chinese too
    assert client.get("/zh-hans/events/test-visit/").content.decode().count("测试：访问里昂") >= 2  # title, h1

    rows = lxml.html.fromstring(admin_client.get("/admin/timeline/event/").content.decode()).cssselect(
        "#result_list tbody tr"
    )
    chinese = {
        row.cssselect(".field-title a")[0].text_content(): row.cssselect(".field-chinese")[0].text_content()
        for row in rows
    }
    assert chinese["Test visit to Lyon"] == "Missing: summary"
    assert chinese["Meng Hongwei elected INTERPOL President at the 85th General Assembly"] == "✓"
    missing = lxml.html.fromstring(admin_client.get("/admin/timeline/event/?chinese=missing").content.decode())
    assert [a.text_content() for a in missing.cssselect("#result_list .field-title a")] == ["Test visit to Lyon"]
    complete = admin_client.get("/admin/timeline/event/?chinese=complete").content.decode()
    assert "Test visit to Lyon" not in complete and "Meng Hongwei elected" in complete


@pytest.mark.parametrize(
    "model, slug_field",
    [("event", "slug"), ("person", "slug"), ("source", "slug"), ("place", "slug"), ("crimetype", "slug")],
)
def test_a_change_form_sent_back_as_it_came_saves(admin_client, model, slug_field):
    """What the form renders is what it needs: saving it untouched is no stale-save refusal (the hidden `loaded`
    field must be among the fields the admin shows)."""
    import lxml.html
    from django.apps import apps

    obj = apps.get_model("timeline", model).objects.order_by("pk").first()
    url = f"/admin/timeline/{model}/{obj.pk}/change/"
    form = next(
        f
        for f in lxml.html.fromstring(admin_client.get(url).content.decode()).forms
        if f.get("id", "").endswith("_form")
    )
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[:2000]

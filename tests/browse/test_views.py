import re

import pytest
from django.urls import reverse

from timeline.models import Event

pytestmark = pytest.mark.usefixtures("seeded")


def test_timeline_lists_published_events_in_date_order(client, settings):
    settings.TIMELINE_PAGE_SIZE = 200  # the whole seed on one page
    html = client.get("/").content.decode()
    slugs = re.findall(r'href="/events/([\w-]+)/"', html)
    expected = list(Event.objects.published().order_by("start", "end", "id").values_list("slug", flat=True))
    assert slugs == expected
    assert slugs[:2] == ["prc-applies-for-interpol-membership-1984", "china-legal-status-restored-1984"]
    assert "<html" in html and "htmx" in html


def test_each_event_has_a_time_element(client, settings):
    settings.TIMELINE_PAGE_SIZE = 200  # the whole seed on one page
    html = client.get("/").content.decode()
    assert html.count("<article") == Event.objects.count()
    assert '<time datetime="1995">1995</time>' in html
    assert '<time datetime="1984-05">May 1984</time>' in html
    assert '<time datetime="1984-09-05">5 September 1984</time>' in html
    assert 'by <time datetime="2013-10-11">11 October 2013</time>' in html
    assert 'c. <time datetime="2017-09">September 2017</time> – <time datetime="2022-09">September 2022</time>' in html
    assert '<time datetime="2023-06-07">7</time>–<time datetime="2023-06-09">9 June 2023</time>' in html
    assert '<time datetime="2014">late 2014</time>' in html
    assert 'before <time datetime="2016-07-18">18 July 2016</time>' in html  # stored as 17 July, shown as 18
    assert '<time datetime="2013-05">May</time>–<time datetime="2013-06">June 2013</time>' in html


def test_drafts_are_not_on_the_timeline(client):
    Event.objects.filter(slug="operation-hurricane").update(status=Event.Status.DRAFT)
    html = client.get("/").content.decode()
    assert "Operation Hurricane" not in html
    assert client.get("/events/operation-hurricane/").status_code == 404


def test_event_page_shows_when_where_who_and_citations(client):
    response = client.get(reverse("event_detail", args=["liao-jinrong-visits-interpol-2013"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lyon, France" in html
    assert "Liao Jinrong" in html and "Director-General of the International Cooperation Department" in html
    assert "<blockquote>“has met with INTERPOL Secretary General Ronald K. Noble" in html
    assert "Chinese Ministry of Public Security visit to INTERPOL" in html  # source title
    assert '<time datetime="2013-10-11">11 October 2013</time>' in html  # source date


def test_unknown_event_is_404(client):
    assert client.get("/events/no-such-event/").status_code == 404


def test_timeline_is_get_only(client):
    assert client.post("/").status_code == 405


def test_timeline_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # version, filter checks, count, page + 3 prefetches, options (3), facets (person, crime, place, kind,
    # stage) and the axis
    with django_assert_max_num_queries(15):
        client.get("/")
    # version, event, 3 prefetches, related: shared people, then nearest by crime type after and before,
    # then what each shares (3), previous and next, how many come before it
    with django_assert_max_num_queries(14):
        client.get("/events/86th-general-assembly-2017/")


ADMIN_MODELS = ["event", "person", "alias", "crimetype", "place", "source", "citation", "involvement", "seedrecord"]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_model_has_working_admin_pages(admin_client, model):
    assert admin_client.get(f"/admin/timeline/{model}/").status_code == 200
    assert admin_client.get(f"/admin/timeline/{model}/add/").status_code == 200


def test_admin_change_page_of_a_seeded_event(admin_client):
    event = Event.objects.get(slug="igci-due-to-open-2014")
    response = admin_client.get(f"/admin/timeline/event/{event.pk}/change/")
    assert response.status_code == 200
    assert "due to open in Singapore" in response.content.decode()


def test_admin_needs_a_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "url, headers",
    [
        ("/", {}),
        ("/?q=cyber", {"HTTP_HX_REQUEST": "true"}),
        ("/events/operation-hurricane/", {}),
        ("/people/liao-jinrong/", {}),
        ("/crimes/cybercrime/", {}),
        ("/no/such/page/", {}),
    ],
)
def test_no_template_syntax_leaks_into_pages(client, url, headers):
    # Django's {# #} comments end at the line's end: a two-line one shows as text.
    html = client.get(url, **headers).content.decode()
    for token in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert token not in html, token


def test_event_links_carry_the_readers_view(client):
    html = client.get("/?person=guo-shengkun&order=desc").content.decode()
    assert 'href="/events/guo-shengkun-terrorist-suspects-2017/?person=guo-shengkun&amp;order=desc"' in html
    person_page = client.get("/people/meng-hongwei/").content.decode()
    assert 'href="/events/meng-hongwei-elected-president-2016/?via=person%3Ameng-hongwei"' in person_page


def test_the_way_back_keeps_the_filters(client):
    html = client.get("/events/jurgen-stock-visits-china-2015/?person=guo-shengkun&from=2015").content.decode()
    assert (
        '<a href="/?person=guo-shengkun&amp;from=2015#event-jurgen-stock-visits-china-2015">'
        "← Back to the timeline: Guo Shengkun, from 2015</a>"
    ) in html
    # Back to the page of the list that shows the event: the first, or a later one by its cursor.
    plain = client.get("/events/64th-general-assembly-1995/").content.decode()
    assert '<a href="/#event-64th-general-assembly-1995">← The whole timeline</a>' in plain
    later = client.get("/events/jurgen-stock-visits-china-2015/").content.decode()
    assert re.search(r'<a href="/\?cursor=[\w-]+#event-jurgen-stock-visits-china-2015">← The whole timeline</a>', later)
    # Absolute, on the host that asked (issue 28): a page cached for one host never names another's address.
    for host in ("localhost", "127.0.0.1"):
        page = client.get("/events/jurgen-stock-visits-china-2015/?person=guo-shengkun&from=2015", HTTP_HOST=host)
        assert f'<link rel="canonical" href="http://{host}/events/jurgen-stock-visits-china-2015/">' in (
            page.content.decode()
        )


def neighbours(html):
    return re.findall(r'<a rel="(prev|next)" href="/events/([\w-]+)/', html)


def test_previous_and_next_follow_the_readers_order(client):
    order = list(
        Event.objects.published()
        .filter(involvements__person__slug="guo-shengkun")
        .order_by("start", "end", "id")
        .values_list("slug", flat=True)
    )
    middle = order[1]
    html = client.get(f"/events/{middle}/?person=guo-shengkun").content.decode()
    assert neighbours(html) == [("prev", order[0]), ("next", order[2])]
    assert f'href="/events/{order[2]}/?person=guo-shengkun"' in html  # and they carry the view on
    newest_first = client.get(f"/events/{middle}/?person=guo-shengkun&order=desc").content.decode()
    assert neighbours(newest_first) == [("prev", order[2]), ("next", order[0])]
    first = client.get(f"/events/{order[0]}/?person=guo-shengkun").content.decode()
    assert neighbours(first) == [("next", order[1])]
    everything = list(Event.objects.published().order_by("start", "end", "id").values_list("slug", flat=True))
    html = client.get(f"/events/{everything[0]}/").content.decode()
    assert neighbours(html) == [("next", everything[1])]


def test_related_events_in_time_order_with_the_reason(client):
    html = client.get("/events/xi-jinping-opens-86th-general-assembly/").content.decode()
    related = html.split("Related events")[1]
    items = re.findall(
        r'<time datetime="([\d-]+)".*?href="/events/([\w-]+)/">.*?<span class="reason">\(([^)]+)\)', related
    )
    assert [start for start, _, _ in items] == sorted(start for start, _, _ in items)
    reasons = {slug: reason for _, slug, reason in items}
    assert reasons["meng-hongwei-remarks-86th-general-assembly"].startswith("also names Meng Hongwei")
    assert "also names" in reasons["86th-general-assembly-2017"]


def test_one_hedge_per_date(client):
    html = client.get("/events/jurgen-stock-visits-china-2015/").content.decode()
    assert '<dd>by <time datetime="2015-10-09">9 October 2015</time></dd>' in html and "(approximate)" not in html
    # A planned event's date is followed by that it is planned, and by nothing that hedges the date again.
    planned = r' <span class="stage">planned</span> <span class="note">[^<]+</span></dd>'
    html = client.get("/events/china-pledges-communication-systems-crime-labs/").content.decode()
    assert re.search(
        r'<dd>c\. <time datetime="2017-09">September 2017</time> – <time datetime="2022-09">September 2022</time>'
        + planned,
        html,
    )
    assert "(approximate)" not in html
    html = client.get("/events/igci-due-to-open-2014/").content.decode()
    assert re.search(r'<dd><time datetime="2014">late 2014</time>' + planned, html)


def test_bad_query_on_an_event_page_is_ignored(client):
    response = client.get("/events/operation-hurricane/?person=nobody&from=soon&order=up&cursor=x")
    assert response.status_code == 200
    assert '<a href="/#event-operation-hurricane">← The whole timeline</a>' in response.content.decode()


def back_link(html):
    return re.search(r'<p class="back"><a href="([^"]+)">([^<]+)</a>', html).groups()


def test_the_way_back_opens_the_page_that_shows_the_event(client, settings):
    settings.TIMELINE_PAGE_SIZE = 5
    ordered = list(Event.objects.published().order_by("start", "end", "id"))
    href, _ = back_link(client.get(f"/events/{ordered[3].slug}/").content.decode())
    assert href == f"/#event-{ordered[3].slug}"  # on the first page
    href, _ = back_link(client.get(f"/events/{ordered[12].slug}/").content.decode())
    before = ordered[11]
    assert href == f"/?cursor={before.start}_{before.end}_{before.id}#event-{ordered[12].slug}"
    page = client.get(href.split("#")[0]).content.decode()
    assert re.findall(r'<h3 id="event-([\w-]+)"', page)[0] == ordered[12].slug
    assert "← From the first event" in page


def test_from_a_persons_page_and_back(client):
    html = client.get("/events/xi-jinping-opens-86th-general-assembly/?via=person:meng-hongwei").content.decode()
    assert back_link(html) == (
        "/people/meng-hongwei/#event-xi-jinping-opens-86th-general-assembly",
        "← Back to Meng Hongwei",
    )
    meng = list(
        Event.objects.published()
        .filter(involvements__person__slug="meng-hongwei")
        .order_by("start", "end", "id")
        .values_list("slug", flat=True)
    )
    position = meng.index("xi-jinping-opens-86th-general-assembly")
    assert neighbours(html) == [("prev", meng[position - 1])] + (
        [("next", meng[position + 1])] if position + 1 < len(meng) else []
    )
    assert "via=person%3Ameng-hongwei" in html  # previous, next and related carry the view on
    narrowed = client.get("/people/meng-hongwei/?person=xi-jinping").content.decode()
    assert (
        'href="/events/xi-jinping-opens-86th-general-assembly/?person=xi-jinping&amp;via=person%3Ameng-hongwei"'
        in narrowed
    )
    assert '<input type="hidden" name="person" value="xi-jinping">' in narrowed  # kept by the form without a control
    # /events.json and the exports cannot say "both": no misleading twin, and the reason instead.
    assert "/events.json?" not in narrowed and "/events.csv?" not in narrowed
    assert "No download for events naming all of these people" in narrowed
    unknown = client.get("/events/operation-hurricane/?via=person:nobody").content.decode()
    assert back_link(unknown)[0] == "/#event-operation-hurricane"

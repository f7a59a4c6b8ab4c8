import re

import pytest
from django.urls import reverse

from timeline.models import Event

pytestmark = pytest.mark.usefixtures("seeded")


def test_timeline_lists_published_events_in_date_order(client):
    html = client.get("/").content.decode()
    slugs = re.findall(r'href="/events/([\w-]+)/"', html)
    expected = list(Event.objects.published().order_by("start", "end", "id").values_list("slug", flat=True))
    assert slugs == expected
    assert slugs[0] == "china-legal-status-restored-1984"
    assert "<html" in html and "htmx" in html


def test_each_event_has_a_time_element(client):
    html = client.get("/").content.decode()
    assert html.count("<article") == Event.objects.count()
    assert '<time datetime="1984">1984</time>' in html
    assert 'c. <time datetime="2013-10-11">11 October 2013</time>' in html
    assert '<time datetime="2023-06-07">7</time>–<time datetime="2023-06-09">9 June 2023</time>' in html
    assert '<time datetime="2014">late 2014</time>' in html


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
    assert "Liao Jinrong" in html and "Director General, International Cooperation Department" in html
    assert "<blockquote>“has met with INTERPOL Secretary General Ronald K. Noble" in html
    assert "Chinese Ministry of Public Security visit to INTERPOL" in html  # source title
    assert '<time datetime="2013-10-11">11 October 2013</time>' in html  # source date


def test_unknown_event_is_404(client):
    assert client.get("/events/no-such-event/").status_code == 404


def test_timeline_is_get_only(client):
    assert client.post("/").status_code == 405


def test_timeline_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        client.get("/")
    # version, event, 3 prefetches, related: shared people, then nearest by crime type after and before
    with django_assert_max_num_queries(8):
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


@pytest.mark.parametrize("url, headers", [
    ("/", {}), ("/?q=cyber", {"HTTP_HX_REQUEST": "true"}), ("/events/operation-hurricane/", {}),
    ("/people/liao-jinrong/", {}), ("/crimes/cybercrime/", {}), ("/no/such/page/", {}),
])
def test_no_template_syntax_leaks_into_pages(client, url, headers):
    # Django's {# #} comments end at the line's end: a two-line one shows as text.
    html = client.get(url, **headers).content.decode()
    for token in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert token not in html, token

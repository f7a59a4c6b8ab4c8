"""ETags and cached pages, keyed by a data version that every write bumps."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from timeline import importer
from timeline.dates import read
from timeline.models import DataVersion, Event, Person
from timeline.settings import caches_from

pytestmark = pytest.mark.usefixtures("seeded")
URLS = ["/", "/?person=liao-jinrong&q=lyon", "/events.json?crime=terrorism", "/events/operation-hurricane/",
        "/people/meng-hongwei/", "/crimes/fraud/"]


@pytest.mark.parametrize("url", URLS)
def test_repeat_request_gets_304(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("url", URLS)
def test_cached_page_costs_one_query(client, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(1):  # the data version
        second = client.get(url)
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_variants_are_cached_apart(client):
    full = client.get("/?q=lyon")
    fragment = client.get("/?q=lyon", HTTP_HX_REQUEST="true")
    assert full["ETag"] != fragment["ETag"]
    assert b"<html" in client.get("/?q=lyon").content
    assert b"<html" not in client.get("/?q=lyon", HTTP_HX_REQUEST="true").content
    assert client.get("/?q=lyon", HTTP_HX_REQUEST="true")["HX-Push-Url"] == "/?q=lyon"


def test_facets_are_shared_by_pages_and_orders(client, django_assert_num_queries):
    client.get("/?crime=terrorism")
    with django_assert_num_queries(7):  # version, the crime slug, count, page, 3 prefetches: no facets
        client.get("/?crime=terrorism&order=desc")


def etag(client, url="/"):
    return client.get(url)["ETag"]


def test_every_kind_of_write_changes_the_etag(client, admin_client):
    seen = [etag(client)]

    def changed():
        seen.append(etag(client))
        return seen[-1] != seen[-2]

    event = Event.objects.get(slug="operation-first-light-2014")
    event.title = "Operation First Light (edited)"
    event.save()
    assert changed() and "(edited)" in client.get("/").content.decode()
    Person.objects.filter(slug="duan-daqi").first().aliases.create(name="Daqi Duan")
    assert changed()
    event.crime_types.clear()
    assert changed()
    ids = list(Event.objects.filter(slug="operation-first-light-2014").values_list("pk", flat=True))
    admin_client.post("/admin/timeline/event/", {"action": "unpublish", "_selected_action": ids})
    assert changed() and "Operation First Light" not in client.get("/").content.decode()
    importer.import_article(title="Another article", publisher="", published=read("9 October 2015"), url="",
                            text="Last month officials met in Lyon.")
    assert changed()
    call_command("generate_events", "--count", "5", verbosity=0)
    assert changed()
    call_command("generate_events", "--clear", verbosity=0)
    assert changed()


def test_the_version_only_goes_up():
    DataVersion.objects.update_or_create(pk=1, defaults={"value": 10})
    DataVersion.bump()
    assert DataVersion.current() > 1_600_000_000_000_000  # microseconds: after a restore, past every old version
    before = DataVersion.current()
    DataVersion.bump()
    assert DataVersion.current() > before


def test_cache_backend_from_the_environment():
    assert caches_from({})["default"]["BACKEND"].endswith("LocMemCache")
    redis = caches_from({"REDIS_URL": "redis://127.0.0.1:6379/0"})["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_redis_cache_serves_pages(client, settings):
    # Redis runs on these machines (127.0.0.1:6379): a real round trip.
    with override_settings(CACHES=caches_from({"REDIS_URL": "redis://127.0.0.1:6379/15"})):
        redis = caches["default"]
        redis.clear()
        first = client.get("/?kind=visit")
        assert any(key.startswith(b"timeline:1:page:") for key in redis._cache.get_client().keys("*"))
        assert client.get("/?kind=visit").content == first.content
        redis.clear()

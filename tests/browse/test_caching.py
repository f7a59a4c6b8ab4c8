"""ETags and cached pages, keyed by a data version that every write bumps."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from timeline.domain.dates import read
from timeline.editing import importer
from timeline.models import DataVersion, Event, Person
from timeline.settings import caches_from

pytestmark = pytest.mark.usefixtures("seeded")
URLS = [
    "/",
    "/?person=liao-jinrong&q=lyon",
    "/events.json?crime=terrorism",
    "/events/operation-hurricane/",
    "/people/meng-hongwei/",
    "/crimes/fraud/",
]


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
    assert changed() and "(edited)" in client.get("/?q=light").content.decode()
    Person.objects.filter(slug="duan-daqi").first().aliases.create(name="Daqi Duan")
    assert changed()
    event.crime_types.clear()
    assert changed()
    ids = list(Event.objects.filter(slug="operation-first-light-2014").values_list("pk", flat=True))
    admin_client.post("/admin/timeline/event/", {"action": "unpublish", "_selected_action": ids})
    assert changed() and "Operation First Light" not in client.get("/").content.decode()
    importer.import_article(
        title="Another article",
        publisher="",
        published=read("9 October 2015"),
        url="",
        text="Last month officials met in Lyon.",
    )
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


def cache_keys():
    return set(caches["default"]._cache)  # LocMemCache's own store: what is kept, exactly


@pytest.mark.parametrize(
    "variants",
    [
        ["/?zz=1", "/?zz=2", "/?utm_source=x&zz=3", "/"],  # unknown parameters
        [
            "/?kind=visit&kind=assembly",
            "/?kind=assembly&kind=visit",
            "/?kind=visit&kind=assembly&kind=visit",
            "/?kind=%20visit&kind=assembly",
        ],  # one set of values, in any order, repeated, padded
        ["/?q=lyon", "/?q=a&q=lyon", "/?q=lyon&zz=%00"],  # the last value counts, as the page reads it
    ],
)
def test_junk_in_urls_makes_no_new_cache_entries(client, variants, django_assert_num_queries):
    client.get(variants[0])
    keys = cache_keys()
    for url in variants[1:]:
        with django_assert_num_queries(1):  # the data version: served from the cache
            response = client.get(url)
        assert response.status_code == 200
    assert cache_keys() == keys


def test_attacker_chosen_headers_make_no_new_cache_entries(client, django_assert_num_queries):
    client.get("/")
    client.get("/", HTTP_HX_REQUEST="true")
    keys = cache_keys()
    for headers in (
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "junk-1"},
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER_NAME": "junk-2", "HTTP_HX_TARGET": "junk"},
    ):
        with django_assert_num_queries(1):
            assert b"<html" not in client.get("/", **headers).content
    with django_assert_num_queries(1):
        assert b"<html" in client.get("/", HTTP_HX_REQUEST="junk").content  # not htmx: the full page
    assert cache_keys() == keys


def test_missing_pages_are_not_kept(client):
    client.get("/")
    keys = cache_keys()
    for n in range(5):
        assert client.get(f"/events/no-such-event-{n}/").status_code == 404
        assert client.get(f"/?q={'x' * 300}{n}").status_code == 400
    assert cache_keys() == keys


@pytest.mark.parametrize("cookie", ["x", "0" * 32, "forged-session-key-that-is-long-enough"])
def test_a_forged_session_cookie_is_served_from_the_cache(client, cookie):
    first = client.get("/?kind=visit")
    client.cookies["sessionid"] = cookie
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/?kind=visit")
    assert len(queries) <= 2  # the session, if its key is well-formed (there is none); the data version
    assert response.content == first.content and response["Cache-Control"] == "no-cache"


def test_a_session_without_staff_is_served_from_the_cache(client, django_assert_num_queries):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("reader", password="a-long-password-1"))  # not staff
    first = client.get("/?kind=visit")
    assert first["Cache-Control"] == "no-cache" and first["ETag"]


def test_a_staff_session_is_never_cached(admin_client):
    response = admin_client.get("/?kind=visit")
    assert response["Cache-Control"] == "private, no-cache" and not response.has_header("ETag")


def test_local_memory_cache_is_bounded(client, settings):
    with override_settings(CACHES=caches_from({"DJANGO_CACHE_MAX_ENTRIES": "10"})):
        for n in range(30):
            assert client.get(f"/?q=word{n}").status_code == 200
        assert len(caches["default"]._cache) <= 10


def test_an_unbounded_redis_is_reported():
    """This machine's Redis starts with no maxmemory: the deploy check says so, and is quiet once it is bounded."""
    from django.core.checks import run_checks

    with override_settings(CACHES=caches_from({"REDIS_URL": "redis://127.0.0.1:6379/15"})):
        client = caches["default"]._cache.get_client(write=True)
        saved = client.config_get("maxmemory*")
        try:
            client.config_set("maxmemory", 0)
            client.config_set("maxmemory-policy", "noeviction")
            assert [w.id for w in run_checks(include_deployment_checks=True) if w.id.startswith("timeline.")] == [
                "timeline.W001"
            ]
            client.config_set("maxmemory", 256 * 1024 * 1024)
            client.config_set("maxmemory-policy", "allkeys-lru")
            assert not [w for w in run_checks(include_deployment_checks=True) if w.id.startswith("timeline.")]
        finally:
            client.config_set("maxmemory", saved["maxmemory"])
            client.config_set("maxmemory-policy", saved["maxmemory-policy"])


def test_the_fast_path_keeps_every_protective_header(client, monkeypatch):
    """A cached page leaves before sessions, CSRF, auth and routing, with the headers a fresh one has."""
    fresh = client.get("/?kind=visit")

    def no_routing(*args, **kwargs):
        raise AssertionError("a cached page needs no URL routing")

    monkeypatch.setattr("django.urls.resolvers.URLResolver.resolve", no_routing)
    cached = client.get("/?kind=visit")
    assert cached.content == fresh.content
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "ETag",
        "Vary",
        "Content-Type",
    ):
        assert cached[header] == fresh[header], header


def test_a_cold_page_is_made_once_however_many_ask_at_once(monkeypatch):
    """Many requests for one cold page (gevent holds them all in one process): one makes it, the others wait
    and are served what it made; and never more than two pages are made at once."""
    import threading
    import time

    from django.http import HttpResponse
    from django.test import RequestFactory

    from timeline.browse import caching

    monkeypatch.setattr(caching, "_etag", lambda request, *variant: f'"{variant[2]}"')  # no database here
    made, running, most = [], [0], [0]
    lock = threading.Lock()

    @caching.versioned
    def view(request):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        made.append(request.path)
        return HttpResponse(f"page {request.path}")

    def ask(path):
        results.append(view(RequestFactory().get(path)).content)

    results = []
    threads = [threading.Thread(target=ask, args=(path,)) for path in ["/same/"] * 6 + ["/a/", "/b/", "/c/"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made.count("/same/") == 1 and results.count(b"page /same/") == 6
    assert sorted(made) == ["/a/", "/b/", "/c/", "/same/"] and most[0] == 2


def test_pages_not_kept_leave_no_lock_behind(client):
    from timeline.browse import caching

    for n in range(5):
        assert client.get(f"/?q=&zz={n}").status_code == 302  # a form's empty fields: redirected, not kept
        assert client.get(f"/events/no-such-event-{n}/").status_code == 404
    assert caching._pending == {}


def _until(condition, seconds=5):
    """Wait for what another thread does (the listener), polling instead of sleeping a fixed time."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within %s s" % seconds
        time.sleep(0.01)


@pytest.mark.django_db(transaction=True)  # announcements are delivered on commit
def test_a_server_process_hears_each_new_version_instead_of_reading_it(client, django_assert_num_queries):
    """On PostgreSQL a worker keeps the data version as the database announces it: a cached page costs no
    query, an edit is heard at once, and a listener that lost its connection says so (pages read the row
    meanwhile) and comes back by itself.
    Elsewhere nothing listens and the row is read, one query a page."""
    from timeline import data_version

    def row():
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM timeline_dataversion WHERE id = 1")
            return cursor.fetchone()[0]

    DataVersion.bump()
    listening = data_version.listen()
    assert listening == (connection.vendor == "postgresql")
    client.get("/")
    if not listening:
        assert data_version.heard() is None
        with django_assert_num_queries(1):
            assert client.get("/").status_code == 200
        return
    _until(lambda: data_version.heard() == row())
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
    etag = client.get("/")["ETag"]
    event = Event.objects.published().first()
    event.title += " (renamed)"
    event.save()
    _until(lambda: data_version.heard() == row())
    fresh = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and "(renamed)" in fresh.content.decode()
    # The listener's connection dies: pages read the row meanwhile, and the listener comes back by itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [data_version._listener.pid])
    _until(lambda: data_version.heard() is None)
    DataVersion.bump()
    _until(lambda: data_version.heard() == row())

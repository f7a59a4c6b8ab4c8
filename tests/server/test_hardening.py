"""Hostile input, XSS, error pages, login throttling, CSRF, stale edits, backups and migrations."""

import gzip
import json
import logging

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import blank_long_addresses
from timeline.browse import queries
from timeline.models import Alias, Citation, CrimeType, Event, Involvement, Person, Place, Source

pytestmark = pytest.mark.usefixtures("seeded")

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"

# --- hostile input -----------------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=10_000),
    st.sampled_from(
        [
            "\x00",
            "%00",
            "' OR 1=1 --",
            "'; DROP TABLE timeline_event; --",
            PAYLOAD,
            "../../etc/passwd",
            "30 February 2015",
            "9" * 400,
            "-1",
            "1e309",
            "NaN",
            "2013-01-01_2013-01-01_" + "9" * 30,
            "{{ 7*7 }}",
            "${7*7}",
            "%s%s%s",
            "\u202e",
            "😀" * 50,
            "late 99999",
            "before before 2013",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
PARAMS = st.sampled_from(["person", "crime", "kind", "place", "q", "from", "to", "order", "cursor", "page", "x"])
QUERIES = st.lists(st.tuples(PARAMS, HOSTILE), max_size=8)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_HX_REQUEST": st.sampled_from(["true", "false", "", "\x00"]),
        "HTTP_HX_TRIGGER": st.sampled_from(["q", "filters", PAYLOAD]),
        "HTTP_HX_HISTORY_RESTORE_REQUEST": st.just("true"),
        "HTTP_IF_NONE_MATCH": st.sampled_from(['"x"', "*", PAYLOAD]),
        "HTTP_ACCEPT_ENCODING": st.sampled_from(["gzip", "br", ""]),
    },
)
TRIED = {"count": 0}


@pytest.mark.parametrize(
    "path", ["/", "/events.json", "/people/liao-jinrong/", "/crimes/terrorism/", "/events/operation-hurricane/"]
)
@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(query=QUERIES, headers=HEADERS)
def test_hostile_input_never_causes_a_server_error(client, path, query, headers):
    TRIED["count"] += 1
    response = client.get(path, query, **headers)
    if response.status_code == 302:
        # A form sent without JavaScript names its empty fields: the same view without them.
        assert response["Location"].startswith(path) and "=&" not in response["Location"] + "&"
        response = client.get(response["Location"], **headers)
    assert response.status_code in (200, 304, 400), (path, query, headers)
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    if response.status_code == 304:
        return
    if response["Content-Type"].startswith("application/json"):
        data = json.loads(body)
        assert "errors" in data or "events" in data
    else:
        text = body.decode()
        assert (
            text.lstrip().startswith(("<!doctype", "<title>", "<nav", "<section", "<p", "<article")) or not text.strip()
        )
        assert "<script>alert(" not in text


@pytest.mark.parametrize(
    "query",
    [{"q": "x" * 201}, {"q": " ".join(["w"] * 11)}, {"kind": ["visit"] * 21}, {"person": ["liao-jinrong"] * 21}],
)
def test_requests_too_large_to_run_get_a_clear_400(client, query):
    for path in ["/", "/events.json"]:
        response = client.get(path, query)
        assert response.status_code == 400
        assert "at most" in response.content.decode()


# --- XSS ---------------------------------------------------------------------


@pytest.fixture
def hostile_event(db):
    place = Place.objects.create(name=PAYLOAD, country=PAYLOAD, slug="hostile-place")
    person = Person.objects.create(name=PAYLOAD, slug="hostile-person", name_zh="<script>alert('x')</script>")
    Alias.objects.create(person=person, name=PAYLOAD + " alias")
    crime = CrimeType.objects.create(name=PAYLOAD, slug="hostile-crime")
    source = Source.objects.create(title=PAYLOAD, publisher=PAYLOAD, url="https://example.org/?a=<b>")
    event = Event.objects.create(
        title=PAYLOAD,
        slug="hostile",
        kind="visit",
        start="2015-01-01",
        end="2015-01-01",
        precision="day",
        summary=PAYLOAD,
        place=place,
        status="published",
    )
    Involvement.objects.create(event=event, person=person, role=PAYLOAD)
    event.crime_types.add(crime)
    Citation.objects.create(event=event, source=source, excerpt=PAYLOAD)
    return event


@pytest.mark.parametrize(
    "url, headers",
    [
        ("/", {}),
        ("/?q=script", {"HTTP_HX_REQUEST": "true"}),
        ("/?person=hostile-person", {}),
        ("/events/hostile/", {}),
        ("/people/hostile-person/", {}),
        ("/crimes/hostile-crime/", {}),
        ("/admin/timeline/event/", {}),
        ("/admin/timeline/person/", {}),
        ("/admin/timeline/source/?q=script", {}),
        ("/admin/timeline/citation/?q=script", {}),
        ("/admin/timeline/place/", {}),
        ("/admin/timeline/event/?q=script", {}),
    ],
)
def test_html_in_data_shows_as_text_everywhere(admin_client, hostile_event, url, headers):
    html = admin_client.get(url, **headers).content.decode()
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert ESCAPED in html


def test_html_in_data_is_plain_data_in_json(client, hostile_event):
    response = client.get("/events.json?q=script")
    assert response["Content-Type"] == "application/json" and response["X-Content-Type-Options"] == "nosniff"
    event = response.json()["events"][0]
    assert event["title"] == PAYLOAD and event["citations"][0]["excerpt"] == PAYLOAD


# --- errors --------------------------------------------------------------------


def test_our_own_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "There is no page at this address" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_our_own_500_page_and_the_error_is_logged(client, settings, monkeypatch, caplog):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(queries, "page", broken)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/?q=boom")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "database fell over" not in html
    assert any("database fell over" in str(r.exc_info) for r in caplog.records if r.exc_info)


# --- admin ---------------------------------------------------------------------


def test_login_attempts_are_throttled(client):
    User.objects.create_superuser("boss", "boss@example.org", "the-right-long-password")
    for _ in range(4):
        response = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "wrong"})
        assert response.status_code == 200
    fifth = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "wrong"})
    assert fifth.status_code == 429  # the fifth failure locks
    locked = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "the-right-long-password"})
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    other = Client(REMOTE_ADDR="10.9.8.7")  # another address is not locked out
    assert (
        other.post(
            "/admin/login/?next=/admin/", {"username": "boss", "password": "the-right-long-password"}
        ).status_code
        == 302
    )


def sign_in(address, username, password, proxy="127.0.0.1", **headers):
    """A sign-in through our proxy: it connects from its own address and appends the client's to the header."""
    forwarded = ", ".join([*headers.pop("spoofed", []), address])
    client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}).status_code


def test_behind_a_proxy_a_stranger_cannot_lock_an_editor_out(settings):
    settings.TRUSTED_PROXIES = 1
    User.objects.create_superuser("boss", "boss@example.org", "the-right-long-password")
    for _ in range(5):
        sign_in("203.0.113.9", "boss", "wrong")
    assert sign_in("203.0.113.9", "boss", "the-right-long-password") == 429  # the stranger's address is locked
    assert sign_in("198.51.100.7", "boss", "the-right-long-password") == 302  # the editor's is not
    # A client cannot choose its address: what it sends is left of what our proxy appends, and never read.
    assert sign_in("203.0.113.9", "boss", "the-right-long-password", spoofed=["198.51.100.8"]) == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    User.objects.create_superuser("boss", "boss@example.org", "the-right-long-password")
    for n in range(5):
        sign_in(f"203.0.113.{n}", "boss", "wrong", proxy="192.0.2.1")  # a forged header each time
    assert sign_in("198.51.100.7", "boss", "the-right-long-password", proxy="192.0.2.1") == 429


def test_many_usernames_from_one_address_are_throttled(settings):
    settings.TRUSTED_PROXIES = 1
    User.objects.create_superuser("boss", "boss@example.org", "the-right-long-password")
    codes = [sign_in("203.0.113.9", f"guess{n}", "wrong") for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT + 1)]
    assert codes[: settings.SIGNIN_ADDRESS_FAILURE_LIMIT] == [200] * settings.SIGNIN_ADDRESS_FAILURE_LIMIT
    assert codes[-1] == 429 and sign_in("203.0.113.9", "boss", "the-right-long-password") == 429
    assert sign_in("198.51.100.7", "boss", "the-right-long-password") == 302


def test_csrf_is_enforced_in_admin(admin_user):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/admin/login/", {"username": "admin", "password": "password"}).status_code == 403
    strict.force_login(admin_user)
    event = Event.objects.first()
    assert strict.post(f"/admin/timeline/event/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_stale_save_is_refused(admin_client):
    from tests.admin.test_admin import event_post

    event = Event.objects.get(slug="operation-hurricane")
    opened = event.updated.isoformat()  # editor A opens the form
    event.summary = "Editor B's correction."
    event.save()  # editor B saves first
    response = admin_client.post(
        f"/admin/timeline/event/{event.pk}/change/",
        event_post(
            slug="operation-hurricane",
            title="Editor A's title",
            when="before September 2013",
            loaded=opened,
            status="published",
        ),
    )
    assert "Someone else changed this event after you opened it" in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.summary) == (
        "Operation Hurricane against illicit trade in Asia",
        "Editor B's correction.",
    )


# --- data safety -----------------------------------------------------------------


def everything(client):
    """All of /events.json, page by page, and every event page."""
    pages, url = [], "/events.json"
    while url:
        data = client.get(url).json()
        pages.append(data["events"])
        url = data["next"]
    details = [client.get(e["url"]).content for page in pages for e in page]
    return pages, details


@pytest.mark.django_db(transaction=True)
def test_backup_restores_to_an_identical_chronology(client, tmp_path, settings):
    from django.core.cache import cache

    settings.TIMELINE_PAGE_SIZE = 7
    User.objects.create_user("editor", password="an-editor-password", is_staff=True)
    before = everything(client)
    dump = tmp_path / "backup.json.gz"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--exclude",
        "contenttypes",
        "--exclude",
        "auth.permission",
        "--exclude",
        "sessions",
        "--exclude",
        "admin.logentry",
        "--exclude",
        "axes",
        "-o",
        str(dump),
        verbosity=0,
    )
    call_command("flush", "--noinput", verbosity=0)
    assert not Event.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    cache.clear()
    assert everything(client) == before
    assert User.objects.filter(username="editor").exists()


@pytest.mark.django_db(transaction=True)
def test_migrations_reverse_cleanly():
    # Before 0008 a date could not say "by", "after", "?" or "onwards": events dated so cannot go back.
    Event.objects.filter(qualifier__in=["by", "after", "uncertain", "onwards"]).delete()
    blank_long_addresses()
    call_command("migrate", "timeline", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    assert Event.objects.count() == len(
        json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())["events"]
    )


# --- found in review -------------------------------------------------------------


def test_a_source_with_a_broken_date_does_not_break_pages(client):
    source = Source.objects.get(seed_file="000_f18ad25052563e3f.txt")
    Source.objects.filter(pk=source.pk).update(published_end=None)  # half a date, as a raw edit could leave
    for url in ["/", "/events/operation-hurricane/", "/events.json"]:
        assert client.get(url).status_code == 200, url


def test_source_admin_reads_one_published_date(admin_client):
    source = Source.objects.get(seed_file="003_a12253bc96be7271.txt")
    page = admin_client.get(f"/admin/timeline/source/{source.pk}/change/").content.decode()
    assert 'name="published" value="before 26 September 2017"' in page
    data = {
        "title": source.title,
        "publisher": "",
        "published": "c. September 2017",
        "url": "",
        "note": source.note,
        "loaded": source.updated.isoformat(),
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    assert admin_client.post(f"/admin/timeline/source/{source.pk}/change/", data).status_code == 302
    source.refresh_from_db()
    assert source.published.label == "c. September 2017"
    data["loaded"] = source.updated.isoformat()
    refused = admin_client.post(f"/admin/timeline/source/{source.pk}/change/", {**data, "published": "soon"})
    assert "Could not read “soon”" in refused.content.decode()


def test_changes_outside_the_form_make_an_open_form_stale(admin_client):
    from tests.admin.test_admin import event_post

    event = Event.objects.get(slug="operation-first-light-2014")
    opened = event.updated.isoformat()
    Citation.objects.create(event=event, source=Source.objects.first(), excerpt="another short quote")
    response = admin_client.post(
        f"/admin/timeline/event/{event.pk}/change/",
        event_post(slug=event.slug, when="2014", loaded=opened, status="published"),
    )
    assert "Someone else changed this event" in response.content.decode()
    opened = Event.objects.get(pk=event.pk).updated.isoformat()
    admin_client.post("/admin/timeline/event/", {"action": "unpublish", "_selected_action": [event.pk]})
    response = admin_client.post(
        f"/admin/timeline/event/{event.pk}/change/",
        event_post(slug=event.slug, when="2014", loaded=opened, status="published"),
    )
    assert "admin changed this event" in response.content.decode()  # the action is in the history: who did it
    assert "Status: “Published” → “Draft”" in response.content.decode()
    assert Event.objects.get(pk=event.pk).status == "draft"


def test_names_known_only_from_drafts_stay_unknown(client):
    Event.objects.filter(involvements__person__slug="ahmed-naser-al-raisi").update(status="draft")
    html = client.get("/?person=ahmed-naser-al-raisi").content.decode()
    assert "No person called “ahmed-naser-al-raisi”" in html and "Ahmed Naser Al-Raisi" not in html


@pytest.mark.parametrize("year", ["²⁰¹³", "99999", "-1", "2013"])
def test_admin_year_filter_takes_any_value(admin_client, year):
    assert admin_client.get("/admin/timeline/event/", {"year": year}).status_code in (200, 302)


def test_merging_keeps_roles_that_contain_each_other():
    keep = Person.objects.get(slug="guo-shengkun")
    other = Person.objects.create(name="Shengkun Guo", slug="shengkun-guo-2")
    event = Event.objects.get(slug="xi-jinping-opens-86th-general-assembly")
    Involvement.objects.create(event=event, person=keep, role="Vice-Minister of Public Security")
    Involvement.objects.create(event=event, person=other, role="Minister of Public Security")
    keep.absorb(other)
    assert sorted(Involvement.objects.filter(event=event, person=keep).values_list("role", flat=True)) == [
        "Minister of Public Security",
        "Vice-Minister of Public Security",
    ]


def test_words_are_counted_as_searched(client):
    assert client.get("/", {"q": ".".join("abcdefghijk")}).status_code == 400


def test_next_links_and_etags_do_not_depend_on_the_host(client, settings):
    from timeline.browse.caching import BUILD

    settings.TIMELINE_PAGE_SIZE = 5
    data = client.get("/events.json").json()
    assert data["next"].startswith("/events.json?cursor=")
    assert client.get("/")["ETag"].startswith(f'"{BUILD}-')


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/events/operation-hurricane/",
        "/events.csv",
        "/embed/",
        "/admin/login/",
        "/no-such-page/",
        "/static/css/site.css",
    ],
)
def test_every_response_denies_powerful_features(client, path):
    for _ in range(2):  # fresh, then from the page cache
        policy = client.get(path)["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy, (path, feature)


def test_backups_are_readable_by_their_owner_only(tmp_path):
    import os
    import stat
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    folder = tmp_path / "backups"
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "backup", f"BACKUP_DIR={folder}", f"PY={sys.executable}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (dump,) = folder.glob("timeline-*.json.gz")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # it holds the editors' password hashes

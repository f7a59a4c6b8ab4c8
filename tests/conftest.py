import os
import re

import pytest
from django.core.management import call_command

from tests.snapshot import SNAPSHOTS, Snapshot

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls there unless told the thread is safe, which it is in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium is a browser test (`make test-fast` leaves them out).

    Under xdist (`make test`: one worker a core) the tests are dealt out like cards, every other test of each
    file to each worker (`--dist loadgroup`, one group a worker): both workers get their share of each kind of
    test, and each runs its own in one fixed order, so a failure comes back with the same command."""
    workers = getattr(config, "workerinput", {}).get("workercount")
    for number, item in enumerate(items):
        if "page" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        if workers:
            item.add_marker(pytest.mark.xdist_group(f"worker-{number % workers}"))


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Django's advice for test suites: its production hasher takes a third of a second a password by design,
    which every test that makes a user would pay. The subprocess tests (test_serve, the import lock) keep it."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Each test database is migrated, then seeded once for the whole run: every test starts from the seeded
    chronology and rolls back to it (tests that need an empty database ask for `empty`)."""
    with django_db_blocker.unblock():
        SNAPSHOTS["migrated"] = Snapshot()
        call_command("load_seed", verbosity=0)
        SNAPSHOTS["seeded"] = Snapshot()


@pytest.fixture(autouse=True)
def seed_after_flush(request, django_db_blocker):
    """A transactional test (the live-server ones) ends with Django's flush, which empties every table: the next
    test that uses the database gets the seed back from its snapshot. pytest-django runs transactional tests
    after the others, so this is once per transactional test."""
    from django.db import connection

    marker, fixtures = request.node.get_closest_marker("django_db"), set(request.fixturenames)
    if SNAPSHOTS.get("flushed") and (marker or {"db", "transactional_db", "live_server"} & fixtures):
        with django_db_blocker.unblock():
            SNAPSHOTS["seeded"].restore()
            # Restored inside a test's transaction, it is rolled back with it: the next test restores again.
            SNAPSHOTS["flushed"] = connection.in_atomic_block
    yield
    if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & fixtures:
        SNAPSHOTS["flushed"] = True


@pytest.fixture
def seeded(db):
    """The seed chronology (fixtures/seed.json): the database already holds it (django_db_setup). Tests that
    read it say so."""


@pytest.fixture
def empty(db):
    """A database as migrations leave it: the seed's rows taken out (in the test's transaction)."""
    SNAPSHOTS["migrated"].restore(only=SNAPSHOTS["migrated"].differs(SNAPSHOTS["seeded"]))


@pytest.fixture
def site(live_server, transactional_db):
    """The seeded chronology on a live server, for the browser tests."""
    return live_server.url


@pytest.fixture
def errors(page):
    """Console errors, page errors and failed requests: a working page has none, htmx's included."""
    seen = []
    page.on("console", lambda message: message.type == "error" and seen.append(message.text))
    page.on("pageerror", lambda error: seen.append(str(error)))
    # A page cancelling its own request is not a failure (the admin's autocomplete drops a search the editor
    # typed past); an htmx abort would still show, as the console error htmx logs for it.
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED" and seen.append(f"{request.url}: {request.failure}"),
    )
    return seen


def blank_long_addresses():
    """Before migration 0019 a source's address held 200 characters: for a test that migrates back past it, the
    longer ones are blanked (PostgreSQL refuses to shorten the column over them)."""
    from django.db.models.functions import Length

    from timeline.models import Source

    Source.objects.annotate(n=Length("url")).filter(n__gt=200).update(url="")


def editors_group():
    """The Editors group as migrations 0004 and 0009 make it, made again from their own lists: whatever a test
    did to the group before, the editor it signs in has exactly the migrations' permissions."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    made, corrections = (
        import_module(f"timeline.migrations.{name}") for name in ("0004_editors_group", "0009_editors_may_correct")
    )
    codenames = [f"{a}_{m}" for m in made.MODELS for a in ("add", "change", "view")] + corrections.CODENAMES
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label="timeline", codename__in=codenames))
    return group


@pytest.fixture
def editor(client):
    """A client logged in as a member of the Editors group (not a superuser)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright's own browser download does not work here.
    # Without the background-networking flags it keeps calling hosts it cannot reach.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def make_events(db):
    """N published, cited events spread over 1984–2023, with people, crime types and places."""
    import datetime as dt

    from timeline.models import Citation, CrimeType, Event, Involvement, Person, Place, Source, search_text_of

    def make(n):
        source = Source.objects.create(title="Test source", publisher="Test publisher")
        places = [Place.objects.create(name=f"City {i}", country="Testland", slug=f"city-{i}") for i in range(3)]
        people = [Person.objects.create(name=f"Person {i}", slug=f"person-{i}") for i in range(5)]
        crimes = [CrimeType.objects.create(name=f"Crime {i}", slug=f"crime-{i}") for i in range(4)]
        kinds = Event.Kind.values
        events = Event.objects.bulk_create(
            [
                Event(
                    title=f"Event {i}",
                    slug=f"event-{i}",
                    kind=kinds[i % len(kinds)],
                    start=dt.date(1984 + i % 40, 1 + i % 12, 1),
                    end=dt.date(1984 + i % 40, 1 + i % 12, 1),
                    precision="day",
                    summary=f"Summary of event {i}.",
                    status=Event.Status.PUBLISHED,
                    place=places[i % 3] if i % 4 else None,
                )
                for i in range(n)
            ]
        )
        Involvement.objects.bulk_create(
            [Involvement(event=e, person=people[i % 5], role="Role") for i, e in enumerate(events)]
            + [Involvement(event=e, person=people[(i + 2) % 5], role="Other role") for i, e in enumerate(events)]
        )
        Event.crime_types.through.objects.bulk_create(
            [Event.crime_types.through(event=e, crimetype=crimes[i % 4]) for i, e in enumerate(events)]
        )
        Citation.objects.bulk_create(
            [Citation(event=e, source=source, excerpt=f"quoted {i}") for i, e in enumerate(events)]
        )
        # bulk_create skips the signals that keep search text current.
        events = list(Event.objects.select_related("place").prefetch_related("involvements__person__aliases"))
        for event in events:
            event.search_text = search_text_of(event)
        Event.objects.bulk_update(events, ["search_text"], batch_size=500)
        return events

    return make


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache and no event index: data versions restart with each test's
    database (a rolled-back test returns to a version whose data another test may have loaded differently)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from timeline import data_version
    from timeline.browse import index

    cache.clear()
    index.forget()
    # A request leaves its language active in the thread (LocaleMiddleware sets it for each request, as a
    # server's next request would): each test starts as a fresh thread does.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    data_version.stop()
    cache.clear()
    index.forget()


def year_counts(html):
    """Year → events, as the year navigator (the axis without JavaScript) lists them."""
    nav = html.split('<nav class="years"', 1)[1].split("</nav>", 1)[0]
    counts = {int(y): int(n) for y, n in re.findall(r">(\d{4})<span class=\"count\"> \((\d+)", nav)}
    counts.update({int(y): 0 for y in re.findall(r'<span class="none">(\d{4})', nav)})
    return counts

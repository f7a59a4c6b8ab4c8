"""Load the seed chronology from fixtures/seed.json, safely and repeatably.

Each record (source, place, person, crime type, event, citation) is created
once and remembered by key in SeedRecord. Later loads skip it, whatever an
editor has since done to it (changed, renamed, deleted), and never update or
delete. A citation added to the seed later is added to its event, if the event
is still there.

A record already in the database under another slug (an editor's, or one
generate_events made) is found by its natural key and used, never duplicated:
a place by name and country, a person by name or alias, a crime type by name,
a source by its seed file, address or title.

Two exceptions to "never update", neither replacing what an editor wrote:
- Chinese forms (issue 14): a seed record already here gets the seed's Chinese
  where its Chinese field is blank and its English is still the seed's.
- Corrections (CORRECTED): an event the seed corrected since an earlier load
  gets the seed's text, date, place and roles, once, unless an editor changed it.
"""

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from timeline import signals
from timeline.domain import dates
from timeline.editing import history
from timeline.models import Alias, Citation, CrimeType, Event, Involvement, Person, Place, SeedRecord, Source

# Seed events corrected from their sources (issue 26: the 1984 admission, Operations Hurricane and Trigger IX,
# the 2016 election, the pledges of 2017, one role vocabulary a person). Migration 0013 did the same for earlier ones.
CORRECTED = {
    "26": [
        "china-legal-status-restored-1984",
        "64th-general-assembly-1995",
        "soga-operations-2007-2010",
        "operation-hurricane",
        "liao-jinrong-visits-interpol-2013",
        "operation-first-light-2014",
        "jurgen-stock-visits-china-2015",
        "meng-hongwei-elected-president-2016",
        "86th-general-assembly-2017",
        "xi-jinping-opens-86th-general-assembly",
        "guo-shengkun-terrorist-suspects-2017",
        "operation-trigger-ix",
        "china-pledges-communication-systems-crime-labs",
        "china-pledges-law-enforcement-institute-training",
        "86th-general-assembly-closes-2017",
    ]
}


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(settings.SEED_FILE), help="Seed file (default: fixtures/seed.json).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be created; write nothing.")

    def handle(self, *args, path, dry_run, **options):
        try:
            seed = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read seed file {path}: {error}") from error
        self.created, self.translated, self.corrected = {}, 0, 0
        self.seed = {
            kind: {item.get("seed_file") or item["slug"]: item for item in seed.get(kind, [])}
            for kind in ("sources", "places", "crime_types", "people")
        }
        try:
            # One revision: each seeded record starts its history with the version loaded.
            with transaction.atomic(), history.revision(None, f"Loaded from {path}."), signals.batched():
                self.load(seed)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except (dates.DateError, KeyError, ValueError, ObjectDoesNotExist) as error:
            raise CommandError(f"Seed file {path} is invalid: {error}") from error
        made = ", ".join(f"{n} {kind}" for kind, n in self.created.items() if not kind.startswith("matched:"))
        matched = ", ".join(f"{n} {kind[8:]}" for kind, n in self.created.items() if kind.startswith("matched:"))
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {made or 'nothing new'}."
                + (
                    f" {'Would use' if dry_run else 'Used'} what was already here under another slug: {matched}."
                    if matched
                    else ""
                )
                + (
                    f" {'Would add' if dry_run else 'Added'} Chinese to {self.translated} loaded before."
                    if self.translated
                    else ""
                )
                + (
                    f" {'Would correct' if dry_run else 'Corrected'} {self.corrected} event{'s' if self.corrected != 1 else ''}"
                    " loaded before."
                    if self.corrected
                    else ""
                )
            )
        )

    def once(self, kind, key, create):
        """Create a seed record unless it was loaded before or its key is taken."""
        record_key = f"{kind}:{key}"
        if record_key in self.loaded:
            return
        if create() is False:
            kind = f"matched:{kind}"  # already here by its natural key: used, not duplicated
        self.remember(record_key)
        self.created[kind] = self.created.get(kind, 0) + 1

    def remember(self, key):
        SeedRecord.objects.create(key=key)
        self.loaded.add(key)

    def load(self, seed):
        # Every record key loaded before, in one query (a key a record, hundreds of them), and the seed's
        # sources as found, looked up once each: the citations name them again and again.
        self.loaded = set(SeedRecord.objects.values_list("key", flat=True))
        self.found_sources = {}
        self.made_events = set()  # slugs created in this run: already as the seed says
        for item in seed["sources"]:
            self.once("source", item.get("seed_file") or item["slug"], lambda item=item: self.create_source(item))
        for item in seed["places"]:
            self.once(
                "place",
                item["slug"],
                lambda item=item: (
                    self.place(item["slug"]) is None
                    and bool(
                        Place.objects.create(
                            slug=item["slug"],
                            name=item["name"],
                            country=item.get("country", ""),
                            name_zh=item.get("name_zh", ""),
                            country_zh=item.get("country_zh", ""),
                        )
                    )
                ),
            )
        for item in seed["crime_types"]:
            self.once(
                "crime type",
                item["slug"],
                lambda item=item: (
                    self.crime_type(item["slug"]) is None
                    and bool(
                        CrimeType.objects.create(slug=item["slug"], name=item["name"], name_zh=item.get("name_zh", ""))
                    )
                ),
            )
        for item in seed["people"]:
            self.once("person", item["slug"], lambda item=item: self.create_person(item))
        for item in seed["events"]:
            if not item.get("citations"):
                raise ValueError(f"event {item['slug']} has no citation")
            self.once("event", item["slug"], lambda item=item: self.create_event(item))
            for citation in item["citations"]:
                self.once(
                    "citation",
                    citation_key(item["slug"], citation),
                    lambda item=item, citation=citation: self.create_citation(item["slug"], citation),
                )
        self.add_chinese(seed)
        self.correct(seed)

    def correct(self, seed):
        """Bring the seed's corrections to events an earlier load made (see CORRECTED), each once."""
        items = {item["slug"]: item for item in seed["events"]}
        for issue, slugs in CORRECTED.items():
            for slug in slugs:
                key = f"corrected-{issue}:{slug}"
                if key in self.loaded:
                    continue
                event = Event.objects.filter(slug=slug).first()
                loaded_before = slug not in self.made_events and f"event-taken:{slug}" not in self.loaded
                if event is not None and loaded_before and not history.edited(event):
                    self.follow(event, items[slug])
                self.remember(key)

    def follow(self, event, item):
        reference = self.source(item["relative_to"]).published.start if item.get("relative_to") else None
        when = dates.read(item["when"], reference=reference)
        for field in ("title", "title_zh", "summary", "summary_zh", "disagreement", "disagreement_zh"):
            setattr(event, field, item.get(field) or "")
        event.start, event.end, event.precision, event.qualifier = when.start, when.end, when.precision, when.qualifier
        event.stage, event.china = item.get("stage", Event.Stage.HAPPENED), item["china"]
        event.place = self.required(self.place, item["place"]) if item.get("place") else None
        event.save()
        for person in item.get("people", []):
            found = self.required(self.person, person["person"])
            roles = {"role": person["role"], "role_zh": person.get("role_zh", "")}
            mine = event.involvements.filter(person=found).order_by("id").first()
            if mine is None:
                Involvement.objects.create(event=event, person=found, **roles)
            elif (mine.role, mine.role_zh) != (roles["role"], roles["role_zh"]):
                Involvement.objects.filter(pk=mine.pk).update(**roles)
                signals.refresh({event.pk})
        self.corrected += 1

    def add_chinese(self, seed):
        """Fill the blank Chinese fields of seed records loaded before the seed had them (see the docstring)."""

        def fill(found, item, pairs):
            if found is None:
                return
            blanks = {
                chinese: item[chinese]
                for english, chinese in pairs
                if item.get(chinese) and not getattr(found, chinese) and getattr(found, english) == item[english]
            }
            if blanks:
                for field, value in blanks.items():
                    setattr(found, field, value)
                found.save(update_fields=list(blanks))
                self.translated += 1

        for item in seed["sources"]:
            fill(self.source(item.get("seed_file") or item["slug"], required=False), item, [("title", "title_zh")])
        for item in seed["places"]:
            fill(self.place(item["slug"]), item, [("name", "name_zh"), ("country", "country_zh")])
        for item in seed["crime_types"]:
            fill(self.crime_type(item["slug"]), item, [("name", "name_zh")])
        for item in seed["people"]:
            fill(self.person(item["slug"]), item, [("name", "name_zh")])
        for item in seed["events"]:
            if f"event-taken:{item['slug']}" in self.loaded:
                continue  # an editor's event under the seed's slug
            event = Event.objects.filter(slug=item["slug"]).first()
            fill(event, item, [("title", "title_zh"), ("summary", "summary_zh"), ("disagreement", "disagreement_zh")])
            for person in item.get("people", []) if event else []:
                for involvement in event.involvements.filter(person=self.person(person["person"])):
                    fill(involvement, person, [("role", "role_zh")])

    # The seed's records as they are in the database: by slug, else by natural key (None if not there).
    def place(self, slug):
        item = self.seed["places"].get(slug, {})
        return (
            Place.objects.filter(slug=slug).first()
            or Place.objects.filter(name=item.get("name"), country=item.get("country", "")).first()
        )

    def crime_type(self, slug):
        item = self.seed["crime_types"].get(slug, {})
        return CrimeType.objects.filter(slug=slug).first() or CrimeType.objects.filter(name=item.get("name")).first()

    def person(self, slug):
        item = self.seed["people"].get(slug, {})
        names = [item["name"], *item.get("aliases", [])] if item else []
        return (
            Person.objects.filter(slug=slug).first()
            or Person.objects.filter(name__in=names).first()
            or Person.objects.filter(aliases__name__in=names).first()
        )

    def source(self, key, required=True):
        """A seed source by its seed file (the five documents) or its slug, else its address or title."""
        item = self.seed["sources"].get(key, {})
        found = (
            Source.objects.filter(Q(seed_file=key) if key.endswith(".txt") else Q(slug=key)).first()
            or (item.get("url") and Source.objects.filter(url=item["url"]).first())
            or (item and Source.objects.filter(title=item["title"], publisher=item.get("publisher", "")).first())
        )
        if not found and required:
            raise Source.DoesNotExist(f"no source “{key}”")
        return found or None

    def create_source(self, item):
        when = dates.read(item["published"]) if item.get("published") else None
        if self.source(item.get("seed_file") or item["slug"], required=False):
            return False
        Source.objects.create(
            **{
                "title": item["title"],
                "title_zh": item.get("title_zh", ""),
                "slug": item["slug"],
                "seed_file": item.get("seed_file", ""),
                "publisher": item.get("publisher", ""),
                "publisher_inferred": item.get("publisher_inferred", False),
                "date_inferred": item.get("date_inferred", False),
                "published_start": when and when.start,
                "published_end": when and when.end,
                "published_precision": when.precision if when else "",
                "published_qualifier": when.qualifier if when else "",
                "url": item.get("url", ""),
                "note": item.get("note", ""),
                "checked": dt.date.fromisoformat(item["checked"]) if item.get("checked") else None,
            }
        )

    def create_person(self, item):
        if self.person(item["slug"]):
            return False
        person = Person.objects.create(slug=item["slug"], name=item["name"], name_zh=item.get("name_zh", ""))
        for alias in item.get("aliases", []):
            Alias.objects.get_or_create(name=alias, defaults={"person": person})

    def create_event(self, item):
        if Event.objects.filter(slug=item["slug"]).exists():
            # An editor's event already has this slug: theirs stands, and gets none of the seed's citations.
            self.remember(f"event-taken:{item['slug']}")
            return
        reference = None
        if item.get("relative_to"):
            # "Last month" in an article is read against that article's date.
            reference = self.source(item["relative_to"]).published.start
        when = dates.read(item["when"], reference=reference)
        self.made_events.add(item["slug"])
        event = Event.objects.create(
            slug=item["slug"],
            title=item["title"],
            kind=item["kind"],
            summary=item["summary"],
            title_zh=item.get("title_zh", ""),
            summary_zh=item.get("summary_zh", ""),
            disagreement_zh=item.get("disagreement_zh", ""),
            start=when.start,
            end=when.end,
            precision=when.precision,
            qualifier=when.qualifier,
            stage=item.get("stage", Event.Stage.HAPPENED),
            china=item["china"],
            disagreement=item.get("disagreement", ""),
            place=self.required(self.place, item["place"]) if item.get("place") else None,
            status=Event.Status.PUBLISHED,
        )
        for person in item.get("people", []):
            Involvement.objects.create(
                event=event,
                person=self.required(self.person, person["person"]),
                role=person["role"],
                role_zh=person.get("role_zh", ""),
            )
        event.crime_types.set([self.required(self.crime_type, slug) for slug in item.get("crime_types", [])])

    @staticmethod
    def required(find, slug):
        found = find(slug)
        if found is None:
            raise ObjectDoesNotExist(f"no {find.__name__.replace('_', ' ')} “{slug}”")
        return found

    def create_citation(self, event_slug, item):
        # The event was created just now, or by an earlier load; one an editor deleted stays deleted, and so
        # does a source an editor deleted or gave another address.
        event = Event.objects.filter(slug=event_slug).first()
        if item["source"] not in self.found_sources:
            self.found_sources[item["source"]] = self.source(item["source"], required=False)
        cited = self.found_sources[item["source"]]
        if event is None or f"event-taken:{event_slug}" in self.loaded:
            return
        if cited is None:
            self.stderr.write(f"Not added to {event_slug}: a citation of “{item['source']}”, a source no longer here.")
            return
        Citation.objects.get_or_create(event=event, source=cited, excerpt=item["excerpt"])


def citation_key(event_slug, item):
    """A seed citation's record key (migration 0013 writes the same): short whatever the excerpt's length."""
    digest = hashlib.sha256(item["excerpt"].encode()).hexdigest()[:16]
    return f"{event_slug}|{item['source']}|{digest}"

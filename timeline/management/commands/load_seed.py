"""Load the seed chronology from fixtures/seed.json, safely and repeatably.

Each record (source, place, person, crime type, event, citation) is created
once and remembered by key in SeedRecord. Later loads skip it, whatever an
editor has since done to it (changed, renamed, deleted), and never update or
delete. A citation added to the seed later is added to its event, if the event
is still there.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from timeline import dates, history
from timeline.models import Alias, Citation, CrimeType, Event, Involvement, Person, Place, SeedRecord, Source

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "seed.json"


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_PATH), help="Seed file (default: fixtures/seed.json).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be created; write nothing.")

    def handle(self, *args, path, dry_run, **options):
        try:
            seed = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read seed file {path}: {error}") from error
        self.created = {}
        try:
            # One revision: each seeded record starts its history with the version loaded.
            with transaction.atomic(), history.revision(None, f"Loaded from {path}."):
                self.load(seed)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except (dates.DateError, KeyError, ValueError, ObjectDoesNotExist) as error:
            raise CommandError(f"Seed file {path} is invalid: {error}") from error
        summary = ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n) or "nothing new"
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {summary}."))

    def once(self, kind, key, create):
        """Create a seed record unless it was loaded before or its key is taken."""
        record_key = f"{kind}:{key}"
        if SeedRecord.objects.filter(key=record_key).exists():
            return
        create()
        SeedRecord.objects.create(key=record_key)
        self.created[kind] = self.created.get(kind, 0) + 1

    def load(self, seed):
        for item in seed["sources"]:
            self.once("source", item.get("seed_file") or item["slug"], lambda item=item: self.create_source(item))
        for item in seed["places"]:
            self.once("place", item["slug"], lambda item=item: Place.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"], "country": item.get("country", "")}))
        for item in seed["crime_types"]:
            self.once("crime type", item["slug"], lambda item=item: CrimeType.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"]}))
        for item in seed["people"]:
            self.once("person", item["slug"], lambda item=item: self.create_person(item))
        for item in seed["events"]:
            if not item.get("citations"):
                raise ValueError(f"event {item['slug']} has no citation")
            self.once("event", item["slug"], lambda item=item: self.create_event(item))
            for citation in item["citations"]:
                self.once("citation", citation_key(item["slug"], citation),
                          lambda item=item, citation=citation: self.create_citation(item["slug"], citation))
    def create_source(self, item):
        when = dates.read(item["published"]) if item.get("published") else None
        lookup = {"seed_file": item["seed_file"]} if item.get("seed_file") else {"slug": item["slug"]}
        Source.objects.get_or_create(**lookup, defaults={
            "title": item["title"],
            "slug": item["slug"],
            "publisher": item.get("publisher", ""),
            "publisher_inferred": item.get("publisher_inferred", False),
            "date_inferred": item.get("date_inferred", False),
            "published_start": when and when.start,
            "published_end": when and when.end,
            "published_precision": when.precision if when else "",
            "published_qualifier": when.qualifier if when else "",
            "url": item.get("url", ""),
            "note": item.get("note", ""),
        })

    def create_person(self, item):
        person, created = Person.objects.get_or_create(slug=item["slug"], defaults={
            "name": item["name"], "chinese_name": item.get("chinese_name", "")})
        if created:
            for alias in item.get("aliases", []):
                Alias.objects.get_or_create(name=alias, defaults={"person": person})

    def create_event(self, item):
        if Event.objects.filter(slug=item["slug"]).exists():
            # An editor's event already has this slug: theirs stands, and gets none of the seed's citations.
            SeedRecord.objects.create(key=f"event-taken:{item['slug']}")
            return
        reference = None
        if item.get("relative_to"):
            # "Last month" in an article is read against that article's date.
            reference = source(item["relative_to"]).published.start
        when = dates.read(item["when"], reference=reference)
        event = Event.objects.create(
            slug=item["slug"], title=item["title"], kind=item["kind"], summary=item["summary"],
            start=when.start, end=when.end, precision=when.precision, qualifier=when.qualifier,
            stage=item.get("stage", Event.Stage.HAPPENED), disagreement=item.get("disagreement", ""),
            place=Place.objects.get(slug=item["place"]) if item.get("place") else None,
            status=Event.Status.PUBLISHED,
        )
        for person in item.get("people", []):
            Involvement.objects.create(event=event, person=Person.objects.get(slug=person["person"]),
                                       role=person["role"])
        event.crime_types.set([CrimeType.objects.get(slug=slug) for slug in item.get("crime_types", [])])

    def create_citation(self, event_slug, item):
        # The event was created just now, or by an earlier load; one an editor deleted stays deleted, and so
        # does a source an editor deleted or gave another address.
        event = Event.objects.filter(slug=event_slug).first()
        cited = source(item["source"], required=False)
        if event is None or SeedRecord.objects.filter(key=f"event-taken:{event_slug}").exists():
            return
        if cited is None:
            self.stderr.write(f"Not added to {event_slug}: a citation of “{item['source']}”, a source no longer here.")
            return
        Citation.objects.get_or_create(event=event, source=cited, excerpt=item["excerpt"])


def source(key, required=True):
    """A seed source by its seed file (the five documents) or its slug."""
    found = Source.objects.filter(Q(seed_file=key) if key.endswith(".txt") else Q(slug=key)).first()
    if found is None and required:
        raise Source.DoesNotExist(f"no source “{key}”")
    return found


def citation_key(event_slug, item):
    """A seed citation's record key (migration 0013 writes the same): short whatever the excerpt's length."""
    digest = hashlib.sha256(item["excerpt"].encode()).hexdigest()[:16]
    return f"{event_slug}|{item['source']}|{digest}"

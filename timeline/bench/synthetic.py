"""Fill the database with realistic synthetic events, for benchmarks and load tests.

Everything it makes is marked synthetic: `--clear` removes exactly that, and
nothing an editor made (an editor's event citing a synthetic source, or naming a
synthetic person, keeps them).
"""

import datetime as dt
import json
import random
import secrets
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from timeline.domain import dates
from timeline.domain.chronology import FIRST, LAST, YEARS
from timeline.domain.words import search_text
from timeline.models import Citation, CrimeType, DataVersion, Event, Involvement, Person, Place, Source

CITIES = [
    ("Beijing", "China"),
    ("Shanghai", "China"),
    ("Guangzhou", "China"),
    ("Shenzhen", "China"),
    ("Xiamen", "China"),
    ("Hangzhou", "China"),
    ("Kunming", "China"),
    ("Urumqi", "China"),
    ("Hong Kong", "China"),
    ("Macao", "China"),
    ("Lyon", "France"),
    ("Singapore", "Singapore"),
    ("Bangkok", "Thailand"),
    ("Hanoi", "Viet Nam"),
    ("Jakarta", "Indonesia"),
    ("Manila", "Philippines"),
    ("Kuala Lumpur", "Malaysia"),
    ("Phnom Penh", "Cambodia"),
    ("Vientiane", "Laos"),
    ("Yangon", "Myanmar"),
    ("Seoul", "Korea"),
    ("Tokyo", "Japan"),
    ("Canberra", "Australia"),
    ("New Delhi", "India"),
    ("Islamabad", "Pakistan"),
    ("Astana", "Kazakhstan"),
    ("Tashkent", "Uzbekistan"),
    ("Moscow", "Russia"),
    ("Abu Dhabi", "United Arab Emirates"),
    ("Cairo", "Egypt"),
    ("Nairobi", "Kenya"),
    ("Abuja", "Nigeria"),
    ("Pretoria", "South Africa"),
    ("Buenos Aires", "Argentina"),
    ("Brasilia", "Brazil"),
    ("Bogotá", "Colombia"),
    ("Mexico City", "Mexico"),
    ("Washington", "United States"),
    ("Ottawa", "Canada"),
    ("Madrid", "Spain"),
    ("Rome", "Italy"),
    ("Berlin", "Germany"),
    ("Vienna", "Austria"),
    ("The Hague", "Netherlands"),
]
FAMILY = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Luo",
    "Gao",
    "Zheng",
    "Liang",
    "Xie",
    "Song",
    "Tang",
    "Han",
    "Feng",
    "Deng",
]
GIVEN = [
    "Wei",
    "Jun",
    "Lei",
    "Hong",
    "Ming",
    "Jian",
    "Hua",
    "Ping",
    "Yong",
    "Qiang",
    "Jie",
    "Tao",
    "Bin",
    "Hui",
    "Xiaoming",
    "Jianguo",
    "Guoqiang",
    "Zhiwei",
    "Haiyan",
    "Dongmei",
    "Xin",
    "Yan",
    "Bo",
    "Kai",
    "Rui",
    "Lin",
]
OTHERS = [
    "Anna Keller",
    "Marco Rossi",
    "Sophie Martin",
    "David Okafor",
    "Elena Petrova",
    "Carlos Mendes",
    "Amina Diallo",
    "Kenji Sato",
    "Priya Nair",
    "Tomás García",
    "Lars Nilsson",
    "Fatima Al-Sayed",
    "John Whitfield",
    "Maria Lopes",
    "Ahmed Hassan",
    "Ingrid Berg",
    "Pierre Laurent",
    "Nadia Karimova",
]
ROLES = [
    "Minister of Public Security",
    "Vice-Minister of Public Security",
    "Director General, International Cooperation Department",
    "Head of the National Central Bureau Beijing",
    "INTERPOL Secretary General",
    "INTERPOL President",
    "INTERPOL Executive Director of Police Services",
    "Head of delegation",
    "Liaison officer",
    "Regional bureau chief",
    "Chief of police",
    "Operation coordinator",
]
KIND_WORDS = {
    "assembly": "General Assembly session",
    "conference": "Regional conference",
    "election": "Election to the Executive Committee",
    "meeting": "Working group meeting",
    "milestone": "Agreement signed",
    "operation": "Joint operation",
    "speech": "Keynote address",
    "training": "Training course",
    "visit": "Official visit",
}
# Mostly Chinese participation, as in the chronology itself; from the event's number, so the random stream
# (and the bench's data for a given --seed) stays what it was.
CHINA_PARTS = ["participation", "participation", "hosted", "participation", "about", "context"]
BATCH = 5000


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=0, help="How many events to make.")
        parser.add_argument("--clear", action="store_true", help="First remove everything synthetic.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done; write nothing.")

    def handle(self, *args, count, clear, seed, dry_run, verbosity, **options):
        self.verbosity = verbosity
        if count < 0 or count > 5_000_000:
            raise CommandError("--count must be between 0 and 5,000,000.")
        if not count and not clear:
            raise CommandError("Give --count N, --clear, or both.")
        if dry_run:
            existing = Event.objects.filter(synthetic=True).count()
            self.stdout.write(
                self.style.SUCCESS(f"Would remove {existing if clear else 0} and make {count} synthetic events.")
            )
            return
        started = time.monotonic()
        with transaction.atomic():
            removed = self.clear() if clear else 0
            if count:
                self.generate(count, random.Random(seed))
            DataVersion.bump()  # bulk writes skip the signals that would
        if connection.vendor == "postgresql":
            # PostgreSQL plans from statistics autovacuum gathers some time later; until then it guessed a
            # search word's matches from the status index, 2 s a search at 100,000 events instead of 20 ms.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {removed} and made {count} synthetic events in {time.monotonic() - started:.1f} s."
            )
        )

    def clear(self):
        events = Event.objects.filter(synthetic=True)
        removed = events.count()
        # Raw deletes: 100,000 events one signal at a time would take minutes.
        for model in (Citation, Involvement, Event.crime_types.through):
            model.objects.filter(event__synthetic=True)._raw_delete(model.objects.db)
        events._raw_delete(events.db)
        # What an editor's records still point at stays.
        Source.objects.filter(synthetic=True, citations__isnull=True).delete()
        Person.objects.filter(synthetic=True, involvements__isnull=True).delete()
        Place.objects.filter(synthetic=True, events__isnull=True).delete()
        return removed

    def generate(self, count, rng):
        run = secrets.token_hex(3)
        # The seed's taxonomy, so synthetic events share the real crime types.
        taxonomy = json.loads(settings.SEED_FILE.read_text(encoding="utf-8"))["crime_types"]
        crimes = [CrimeType.objects.get_or_create(slug=c["slug"], defaults={"name": c["name"]})[0] for c in taxonomy]
        places = []
        for name, country in CITIES:
            place = Place.objects.filter(name=name, country=country).first()
            places.append(
                place
                or Place.objects.create(
                    name=name, country=country, slug=f"synthetic-{run}-{len(places)}", synthetic=True
                )
            )
        names = [f"{f} {g}" for f in FAMILY for g in GIVEN[:12]] + OTHERS
        # A name already here (an earlier run's, or anyone's) is that person: names are unique.
        people = list(Person.objects.filter(name__in=names))
        taken = {p.name for p in people}
        people += Person.objects.bulk_create(
            [
                Person(name=name, slug=f"synthetic-{run}-p{i}", synthetic=True)
                for i, name in enumerate(n for n in names if n not in taken)
            ]
        )
        sources = Source.objects.bulk_create(
            [
                Source(
                    title=f"Synthetic news release {run}-{i}",
                    slug=f"synthetic-news-release-{run}-{i}",
                    publisher="generate_events",
                    synthetic=True,
                    published_start=dt.date(FIRST + i % len(YEARS), 1 + i % 12, 1 + i % 28),
                    published_end=dt.date(FIRST + i % len(YEARS), 1 + i % 12, 1 + i % 28),
                    published_precision="day",
                )
                for i in range(max(1, count // 50))
            ]
        )
        kinds = list(KIND_WORDS)
        for first in range(0, count, BATCH):
            self.batch(range(first, min(first + BATCH, count)), run, rng, kinds, crimes, places, people, sources)
            if self.verbosity > 1:
                self.stdout.write(f"  {min(first + BATCH, count):,} events")

    def batch(self, numbers, run, rng, kinds, crimes, places, people, sources):
        events, links = [], []
        for n in numbers:
            kind = rng.choice(kinds)
            place = rng.choice(places) if rng.random() < 0.85 else None
            crime_set = rng.sample(crimes, rng.choice((1, 1, 2, 3)))
            cast = [(p, rng.choice(ROLES)) for p in rng.sample(people, rng.choice((1, 2, 2, 3)))]
            when = random_when(rng)
            title = f"{KIND_WORDS[kind]} on {crime_set[0].name.lower()}" + (f" in {place.name}" if place else "")
            summary = (
                f"Police from China and INTERPOL member countries worked on {', '.join(c.name.lower() for c in crime_set)}"
                f"{' in ' + place.name if place else ''}; {cast[0][0].name} took part as {cast[0][1].lower()}."
            )
            events.append(
                Event(
                    title=title,
                    slug=f"synthetic-{run}-{n}",
                    kind=kind,
                    summary=summary,
                    place=place,
                    china=CHINA_PARTS[n % len(CHINA_PARTS)],
                    start=when.start,
                    end=when.end,
                    precision=when.precision,
                    qualifier=when.qualifier,
                    status=Event.Status.PUBLISHED if rng.random() < 0.97 else Event.Status.DRAFT,
                    synthetic=True,
                    search_text=search_text(
                        title, summary, *(p.name for p, _ in cast), *((place.name, place.country) if place else ())
                    ),
                )
            )
            links.append((crime_set, cast, rng.choice(sources)))
        events = Event.objects.bulk_create(events)
        Involvement.objects.bulk_create(
            [Involvement(event=e, person=p, role=role) for e, (_, cast, _) in zip(events, links) for p, role in cast]
        )
        Event.crime_types.through.objects.bulk_create(
            [
                Event.crime_types.through(event=e, crimetype=c)
                for e, (crime_set, _, _) in zip(events, links)
                for c in crime_set
            ]
        )
        Citation.objects.bulk_create(
            [
                Citation(event=e, source=source, excerpt=f"synthetic citation {e.slug}")
                for e, (_, _, source) in zip(events, links)
            ]
        )


def random_when(rng):
    """A date of a realistic precision: mostly days, some months and years, a few ranges and qualifiers."""
    day = dt.date(FIRST, 1, 1) + dt.timedelta(days=rng.randrange(len(YEARS) * 365))
    roll = rng.random()
    if roll < 0.6:
        return dates.When(day, day, dates.DAY, dates.APPROXIMATE if roll < 0.03 else "")
    if roll < 0.85:
        start = day.replace(day=1)
        return dates.When(start, dates.period_end(start, dates.MONTH), dates.MONTH)
    if roll < 0.95:
        start = day.replace(month=1, day=1)
        if roll < 0.88:
            return dates.When(start.replace(month=9), dt.date(start.year, 12, 31), dates.YEAR, dates.LATE)
        return dates.When(start, dt.date(start.year, 12, 31), dates.YEAR)
    start = day.replace(month=1, day=1)
    last = min(start.year + rng.randint(1, 3), LAST)
    return dates.When(start, dt.date(last, 12, 31), dates.YEAR)

import re
import time
import unicodedata

import reversion
from django.db import connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from timeline.domain import dates
from timeline import data_version


# Han characters (with the extensions and compatibility block): Chinese runs without spaces between words.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
WORDS = re.compile(rf"[{HAN}]+|[^\W_{HAN}]+")  # a run of Chinese characters is one word


def search_words(text, query=False):
    """Lowercase words without accents or punctuation: how search text is stored and queried.

    Chinese has no spaces, and both databases' tokenizers keep a run of Han characters as one token,
    so 国际刑警 would never match inside 国际刑警组织. A run becomes its overlapping pairs of
    characters and its last character ("孟宏伟" → 孟宏 宏伟 伟), as search engines' CJK analyzers do:
    every word of a query must match, so 国际刑警 finds the events holding 国际, 际刑 and 刑警. A `query`
    needs no last character: its last pair finds it already, as a prefix.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    words = []
    for word in WORDS.findall(plain.lower()):
        if re.match(f"[{HAN}]", word):
            pairs = [word[i:i + 2] for i in range(len(word) - 1)]
            words += pairs if query and pairs else [*pairs, word[-1]]
        else:
            words.append(word)
    return words


def search_text(*parts):
    """Stored search text: the words, space-separated with a space at each end,
    so that "% word%" (the `word` lookup on SQLite) finds a word's beginning."""
    return " " + " ".join(search_words(" ".join(p for p in parts if p))) + " "


def search_text_of(event):
    """An event's search text, in both languages: title, summary, place, and its people's names and aliases.

    Works on historical models too (migrations 0006, 0017); prefetch involvements__person__aliases.
    """
    # getattr: the Chinese fields came with migration 0017, after 0006 first filled the search text.
    parts = [event.title, getattr(event, "title_zh", ""), event.summary, getattr(event, "summary_zh", "")]
    if event.place_id:
        place = event.place
        parts += [place.name, place.country, getattr(place, "name_zh", ""), getattr(place, "country_zh", "")]
    for involvement in event.involvements.all():
        person = involvement.person
        parts += [person.name, person.chinese_name, *(a.name for a in person.aliases.all())]
    return search_text(*parts)


@models.TextField.register_lookup
class WordPrefix(models.Lookup):
    """`search_text__word="jin"`: some word of the text starts with "jin".

    Each database answers from its own full-text index: PostgreSQL's GIN index
    on a stored tsvector, SQLite's FTS5 table (migration 0015); elsewhere a LIKE on the same
    space-separated words gives the same matches.
    """

    lookup_name = "word"

    def as_sqlite(self, compiler, connection):
        if (self.lhs.target.model._meta.db_table, self.lhs.target.column) != ("timeline_event", "search_text"):
            return self.as_sql(compiler, connection)
        # Quoted, the word is a plain token whatever it spells (AND, NEAR…); the star makes it a prefix.
        alias = compiler.quote_name_unless_alias(self.lhs.alias)
        return (f'{alias}."id" IN (SELECT rowid FROM timeline_event_fts WHERE timeline_event_fts MATCH %s)',
                ['"' + str(self.rhs).replace('"', '""') + '"*'])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} LIKE %s", [*lhs_params, f"% {self.rhs}%"]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if (self.lhs.target.model._meta.db_table, self.lhs.target.column) == ("timeline_event", "search_text"):
            # The stored tsvector (migration 0015), not a model field: Django never writes it.
            lhs = f'{compiler.quote_name_unless_alias(self.lhs.alias)}."search_vector"'
        else:
            lhs = f"to_tsvector('simple', {lhs})"
        return f"{lhs} @@ to_tsquery('simple', %s)", [*lhs_params, f"{self.rhs}:*"]


class Precision(models.TextChoices):
    DAY = dates.DAY, "day"
    MONTH = dates.MONTH, "month"
    YEAR = dates.YEAR, "year"


class Qualifier(models.TextChoices):
    NONE = "", "exact"
    APPROXIMATE = dates.APPROXIMATE, "approximate (c.)"
    EARLY = dates.EARLY, "early part of the year"
    MID = dates.MID, "middle of the year"
    LATE = dates.LATE, "late part of the year"
    BEFORE = dates.BEFORE, "before"
    AFTER = dates.AFTER, "after"
    BY = dates.BY, "by (on or before)"
    UNCERTAIN = dates.UNCERTAIN, "uncertain (?)"
    ONWARDS = dates.ONWARDS, "onwards (open end)"


def date_constraints(prefix, start, end, precision, qualifier, nullable=False):
    """Constraints every honestly dated row holds: known precision and qualifier, end not before start."""
    known = Q(**{f"{precision}__in": Precision.values}) & Q(**{f"{qualifier}__in": Qualifier.values})
    ordered = Q(**{f"{end}__gte": models.F(start)})
    if nullable:
        # Unknown (all empty) is allowed, half-known is not.
        unknown = Q(**{f"{start}__isnull": True, f"{end}__isnull": True, precision: ""})
        known, ordered = known | unknown, ordered | unknown
    return [
        models.CheckConstraint(condition=known, name=f"{prefix}_known_precision"),
        models.CheckConstraint(condition=ordered, name=f"{prefix}_end_not_before_start"),
    ]


@reversion.register()
class Place(models.Model):
    name = models.CharField(max_length=200, help_text="City, or the country or region when no city is known.")
    country = models.CharField(max_length=100, blank=True)
    name_zh = models.CharField("Name in Chinese", max_length=200, blank=True, help_text="e.g. 里昂")
    country_zh = models.CharField("Country in Chinese", max_length=100, blank=True, help_text="e.g. 法国")
    slug = models.SlugField(max_length=200, unique=True)
    synthetic = models.BooleanField(default=False, editable=False, help_text="Made by generate_events.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="place_unique_name_country")]

    def __str__(self):
        return f"{self.name}, {self.country}" if self.country and self.country != self.name else self.name

    @property
    def chinese(self):
        """"法国里昂": country first, as Chinese writes it; blank until the place has its Chinese name."""
        if not self.name_zh:
            return ""
        country = self.country_zh if self.country_zh != self.name_zh else ""
        return country + self.name_zh


@reversion.register(follow=["aliases"])
class Person(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="Canonical name, as we write it.")
    slug = models.SlugField(max_length=200, unique=True)
    chinese_name = models.CharField(max_length=50, blank=True, help_text="The standard Chinese form, e.g. 孟宏伟.")
    synthetic = models.BooleanField(default=False, editable=False, help_text="Made by generate_events.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    @property
    def name_zh(self):
        """The name in Chinese, as the other models' `_zh` fields say it (bilingual.local)."""
        return self.chinese_name

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        # A renamed page keeps its old address working (person_detail redirects).
        old = self.pk and Person.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        self.slug_changed(old)

    def slug_changed(self, old):
        """Keep `old` as a redirect here; the current slug is nobody's former one."""
        if old and old != self.slug:
            FormerSlug.objects.update_or_create(slug=old, defaults={"person": self})
        FormerSlug.objects.filter(slug=self.slug).delete()

    @transaction.atomic
    def absorb(self, other):
        """Merge `other` into this person: events, roles, names and old addresses move over; nothing is lost."""
        for involvement in other.involvements.all():
            mine = self.involvements.filter(event_id=involvement.event_id)
            if mine.filter(role=involvement.role).exists() or (not involvement.role and mine.exists()):
                involvement.delete()  # says nothing this person's own rows do not
                continue
            # A different role stays a role of its own.
            involvement.person = self
            involvement.save(update_fields=["person"])
            if involvement.role:
                mine.filter(role="").exclude(pk=involvement.pk).delete()
        other.aliases.update(person=self)
        other.former_slugs.update(person=self)
        FormerSlug.objects.update_or_create(slug=other.slug, defaults={"person": self})
        names = [other.name]
        if not self.chinese_name:
            self.chinese_name = other.chinese_name
            self.save(update_fields=["chinese_name"])
        elif other.chinese_name and other.chinese_name != self.chinese_name:
            names.append(other.chinese_name)
        other.delete()
        for name in names:
            if name != self.name and not Alias.objects.filter(name=name).exists():
                Alias.objects.create(person=self, name=name)
        refresh_search_text(Event.objects.filter(involvements__person=self))


class FormerSlug(models.Model):
    """A person page's earlier address (renamed, or merged into this person): it redirects here."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(max_length=200, unique=True)

    def __str__(self):
        return self.slug


@reversion.register()
class Alias(models.Model):
    """Another spelling of a person's name ("Jingrong Liao" for Liao Jinrong).

    Unique across everyone, so one spelling cannot name two people.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self):
        return self.name


@reversion.register()
class CrimeType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    name_zh = models.CharField("Name in Chinese", max_length=100, blank=True, help_text="e.g. 网络犯罪")
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("crime_detail", args=[self.slug])


class SourceQuerySet(models.QuerySet):
    def cited(self):
        """Sources a published event cites: the public ones. A source only drafts cite stays unlisted."""
        published = Citation.objects.filter(source=models.OuterRef("pk"), event__status=Status.PUBLISHED)
        return self.filter(models.Exists(published))


@reversion.register()
class Source(models.Model):
    """A document events are cited from; its date is as precise as the document makes it."""

    title = models.CharField(max_length=300, help_text="As the document gives it, in its own language.")
    title_zh = models.CharField("Title in Chinese", max_length=300, blank=True,
                                help_text="Our rendering of an English title; blank when the title is Chinese.")
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(max_length=200, blank=True, help_text="Blank when the document does not say.")
    publisher_inferred = models.BooleanField(
        default=False, help_text="The document does not name its publisher; we inferred it (say how in the note).")
    published_start = models.DateField(null=True, blank=True)
    published_end = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    published_qualifier = models.CharField(max_length=11, choices=Qualifier.choices, blank=True)
    date_inferred = models.BooleanField(
        default=False, help_text="The document shows no date; we inferred it (say how in the note).")
    # Stored copies' addresses run long (percent-encoded Chinese paths): 287 characters in the seed.
    url = models.URLField(blank=True, max_length=500, help_text="Only where known; never guessed.")
    seed_file = models.CharField(max_length=100, blank=True, help_text="The seed document this source is.")
    note = models.TextField("How we know", blank=True,
                            help_text="How the publisher or date was established; shown to readers.")
    checked = models.DateField(
        "Excerpts checked", null=True, blank=True,
        help_text="When its excerpts were last checked, word for word, against a stored copy of the document.")
    synthetic = models.BooleanField(default=False, editable=False, help_text="Made by generate_events.")
    updated = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["published_start", "title"]
        constraints = [
            *date_constraints(
                "source", "published_start", "published_end", "published_precision", "published_qualifier",
                nullable=True,
            ),
            models.UniqueConstraint(fields=["seed_file"], condition=~Q(seed_file=""), name="source_unique_seed_file"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("source_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:  # made in code (the importer, tests): a page address from the title
            self.slug = unique_slug(Source, self.title, exclude=self.pk)
        super().save(*args, **kwargs)

    @property
    def published(self):
        """The publication date, or None when unknown (or not a coherent date)."""
        try:
            return dates.When(self.published_start, self.published_end, self.published_precision,
                              self.published_qualifier)
        except (TypeError, ValueError):
            return None


class Kind(models.TextChoices):
    ASSEMBLY = "assembly", _("General assembly")
    CONFERENCE = "conference", _("Conference")
    ELECTION = "election", _("Election")
    MEETING = "meeting", _("Meeting")
    MILESTONE = "milestone", _("Milestone")
    OPERATION = "operation", _("Operation")
    SPEECH = "speech", _("Speech")
    TRAINING = "training", _("Training")
    VISIT = "visit", _("Visit")


class Stage(models.TextChoices):
    """Whether the sources report an event as having happened, or only as planned or expected."""

    HAPPENED = "happened", _("Happened")
    PLANNED = "planned", _("Planned")


class ChinaPart(models.TextChoices):
    """How China figures in an event, as its sources tell it: the chronology also holds INTERPOL's own context."""

    HOSTED = "hosted", _("Hosted or led by China")
    PARTICIPATION = "participation", _("With Chinese participation")
    ABOUT = "about", _("About China")
    CONTEXT = "context", _("INTERPOL context")


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)


@reversion.register(follow=["involvements", "citations"])
class Event(models.Model):
    Kind = Kind
    Stage = Stage
    ChinaPart = ChinaPart
    Status = Status

    title = models.CharField(max_length=300)
    title_zh = models.CharField("Title in Chinese", max_length=300, blank=True, help_text="Recommended.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start = models.DateField(help_text="First day the period can be.")
    end = models.DateField(help_text="Last day the period can be.")
    precision = models.CharField(max_length=5, choices=Precision.choices)
    qualifier = models.CharField(max_length=11, choices=Qualifier.choices, blank=True)
    when_text = models.CharField("When, as typed", max_length=dates.MAX_LENGTH, blank=True,
                                 help_text="Exactly what the editor typed; start, end, precision and qualifier are its reading.")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.HAPPENED,
                             help_text="“Planned” when the sources only announce or expect it.")
    china = models.CharField(
        "China's part", max_length=13, choices=ChinaPart.choices, default=ChinaPart.PARTICIPATION,
        help_text="How China figures in it as the sources tell it; “INTERPOL context” where they do not tie it to China.")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    summary = models.TextField(blank=True, max_length=3000,
                               help_text="In our own words, at most 3,000 characters; required to publish.")
    summary_zh = models.TextField("Summary in Chinese", blank=True, max_length=3000,
                                  help_text="The same, in Chinese and in our own words; recommended.")
    disagreement = models.TextField(
        "Where the sources disagree", blank=True, max_length=1000,
        help_text="Say plainly which sources differ on which fact; shown above the sources.")
    disagreement_zh = models.TextField("Where the sources disagree, in Chinese", blank=True, max_length=1000)
    people = models.ManyToManyField(Person, through="Involvement", related_name="events", blank=True)
    crime_types = models.ManyToManyField(CrimeType, related_name="events", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    synthetic = models.BooleanField(default=False, editable=False, help_text="Made by generate_events.")
    # Title, summary, place and people's names as search words (search_text_of),
    # kept current by timeline.signals.
    search_text = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "id"]
        constraints = [
            *date_constraints("event", "start", "end", "precision", "qualifier"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="event_known_kind"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="event_known_status"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="event_known_stage"),
            models.CheckConstraint(condition=Q(china__in=ChinaPart.values), name="event_known_china"),
        ]
        indexes = [
            models.Index(fields=["status", "start", "end", "id"], name="event_status_start"),
            # The admin's list: its default order, last pages and date navigation over every status.
            models.Index(fields=["start", "id"], name="event_start_id"),
            models.Index(fields=["status", "kind", "start"], name="event_status_kind"),
            models.Index(fields=["place", "status"], name="event_place_status"),
            models.Index(fields=["synthetic"], name="event_synthetic"),
            # The Atom feed: the latest changes first, without sorting every published event.
            models.Index(fields=["status", "updated", "id"], name="event_status_updated"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("event_detail", args=[self.slug])

    @property
    def when(self):
        return dates.When(self.start, self.end, self.precision, self.qualifier)

    PLANNED_NOTE = "The sources announce or expect it; none says it happened."

    @property
    def planned(self):
        return self.stage == Stage.PLANNED

    @property
    def context(self):
        """INTERPOL context: its sources do not tie it to China (shown quieter, and a reader may leave it out)."""
        return self.china == ChinaPart.CONTEXT

    def told_by(self):
        """Each source with the excerpts this event cites from it, in citation order: how each source tells it.

        Uses the prefetched citations (queries.with_details)."""
        told = {}
        for citation in self.citations.all():
            told.setdefault(citation.source, []).append(citation)
        return list(told.items())

    def publish_problems(self):
        """Why this event cannot be (or stay) published: the one set of publishing rules."""
        problems = []
        if not self.summary.strip():
            problems.append("no summary")
        if not self.citations.exists():
            problems.append("no citation")
        if self.involvements.filter(role="").exists():
            problems.append("a person without a role")
        return problems

    def missing_chinese(self):
        """What has no Chinese yet: recommended, never required (English is the chronology's own language).

        Uses prefetched involvements (queries.with_details, the admin's list)."""
        missing = [label for label, text in (("title", self.title_zh), ("summary", self.summary_zh)) if not text.strip()]
        if self.disagreement.strip() and not self.disagreement_zh.strip():
            missing.append("disagreement")
        if any(not involvement.role_zh.strip() for involvement in self.involvements.all()):
            missing.append("roles")
        return missing


@reversion.register()
class Involvement(models.Model):
    """A person on an event, with their role at that time."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=300, blank=True,
                            help_text="Their role at the time, e.g. “Vice-Minister of Public Security”; required to publish.")
    role_zh = models.CharField("Role in Chinese", max_length=300, blank=True, help_text="e.g. “公安部副部长”.")

    class Meta:
        ordering = ["id"]
        # A person may have two roles on one event (two people merged into one keep both).
        constraints = [models.UniqueConstraint(fields=["event", "person", "role"], name="involvement_unique_role")]

    def __str__(self):
        return f"{self.person}, {self.role}"


@reversion.register()
class Citation(models.Model):
    """Ties an event to a source, with a short quoted excerpt that shows the fact."""

    MAX_WORDS = 25
    MAX_CHARACTERS = 300

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    excerpt = models.TextField(help_text="A short quotation from the source: at most 25 words and 300 characters.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "source", "excerpt"], name="citation_unique"),
            models.CheckConstraint(condition=~Q(excerpt=""), name="citation_has_excerpt"),
        ]

    def __str__(self):
        return f"{self.source}: “{self.excerpt}”"


class SeedRecord(models.Model):
    """A seed record loaded once; never loaded again, so editors' edits and deletions stand."""

    key = models.CharField(max_length=300, unique=True)
    loaded = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


def unique_slug(model, text, exclude=None):
    """A readable slug for `text` unused by other rows of `model`; Chinese is written in pinyin."""
    base = slugify(" ".join(lazy_pinyin(text or "")))[:80].strip("-") or model._meta.model_name
    slug, n = base, 1
    while model.objects.filter(slug=slug).exclude(pk=exclude).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def refresh_search_text(events):
    """Recompute the search text of `events` where it changed."""
    changed = False
    for event in events.select_related("place").prefetch_related("involvements__person__aliases"):
        words = search_text_of(event)
        if words != event.search_text:
            Event.objects.filter(pk=event.pk).update(search_text=words)
            changed = True
    if changed:
        # Outside a transaction the save's own bump is already visible: a page (or the index's search words)
        # made between the two would keep the old words under the new version.
        DataVersion.bump()


class DataVersion(models.Model):
    """One counter, bumped by every write: the ETag and cache keys of public pages derive from it."""

    value = models.BigIntegerField(default=0)

    @classmethod
    def current(cls):
        heard = data_version.heard()  # a gunicorn worker on PostgreSQL is told of every change (timeline/data_version.py)
        if heard is not None:
            return heard
        # Read on every public request: plain SQL costs a fraction of what building the ORM query does.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls):
        # Microseconds since the epoch, and always up: a database restored from
        # a backup never reuses a version that named other data.
        now = int(time.time() * 1_000_000)
        if not cls.objects.filter(pk=1).update(value=Greatest(F("value") + 1, Value(now))):
            cls.objects.get_or_create(pk=1, defaults={"value": now})

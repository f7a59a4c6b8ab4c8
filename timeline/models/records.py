"""The records events are made of: places, people and their names, crime types, sources; and the data version
that every write bumps."""

import time

import reversion
from django.db import connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.text import slugify
from pypinyin import lazy_pinyin

from timeline import data_version
from timeline.domain import dates


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
        """ "法国里昂": country first, as Chinese writes it; blank until the place has its Chinese name."""
        if not self.name_zh:
            return ""
        country = self.country_zh if self.country_zh != self.name_zh else ""
        return country + self.name_zh


@reversion.register(follow=["aliases"])
class Person(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="Canonical name, as we write it.")
    slug = models.SlugField(max_length=200, unique=True)
    name_zh = models.CharField(
        "Chinese name", max_length=50, blank=True, help_text="The standard Chinese form, e.g. 孟宏伟."
    )
    synthetic = models.BooleanField(default=False, editable=False, help_text="Made by generate_events.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

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
        if not self.name_zh:
            self.name_zh = other.name_zh
            self.save(update_fields=["name_zh"])
        elif other.name_zh and other.name_zh != self.name_zh:
            names.append(other.name_zh)
        other.delete()
        for name in names:
            if name != self.name and not Alias.objects.filter(name=name).exists():
                Alias.objects.create(person=self, name=name)
        from timeline.models.events import Event, refresh_search_text  # events name people: imported when used

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
        from timeline.models.events import Citation, Status  # events cite sources: imported when used

        published = Citation.objects.filter(source=models.OuterRef("pk"), event__status=Status.PUBLISHED)
        return self.filter(models.Exists(published))


@reversion.register()
class Source(models.Model):
    """A document events are cited from; its date is as precise as the document makes it."""

    title = models.CharField(max_length=300, help_text="As the document gives it, in its own language.")
    title_zh = models.CharField(
        "Title in Chinese",
        max_length=300,
        blank=True,
        help_text="Our rendering of an English title; blank when the title is Chinese.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(max_length=200, blank=True, help_text="Blank when the document does not say.")
    publisher_inferred = models.BooleanField(
        default=False, help_text="The document does not name its publisher; we inferred it (say how in the note)."
    )
    published_start = models.DateField(null=True, blank=True)
    published_end = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    published_qualifier = models.CharField(max_length=11, choices=Qualifier.choices, blank=True)
    date_inferred = models.BooleanField(
        default=False, help_text="The document shows no date; we inferred it (say how in the note)."
    )
    # Stored copies' addresses run long (percent-encoded Chinese paths): 287 characters in the seed.
    url = models.URLField(blank=True, max_length=500, help_text="Only where known; never guessed.")
    seed_file = models.CharField(max_length=100, blank=True, help_text="The seed document this source is.")
    note = models.TextField(
        "How we know", blank=True, help_text="How the publisher or date was established; shown to readers."
    )
    checked = models.DateField(
        "Excerpts checked",
        null=True,
        blank=True,
        help_text="When its excerpts were last checked, word for word, against a stored copy of the document.",
    )
    synthetic = models.BooleanField(default=False, editable=False, help_text="Made by generate_events.")
    updated = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["published_start", "title"]
        constraints = [
            *date_constraints(
                "source",
                "published_start",
                "published_end",
                "published_precision",
                "published_qualifier",
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
            return dates.When(
                self.published_start, self.published_end, self.published_precision, self.published_qualifier
            )
        except (TypeError, ValueError):
            return None


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


class DataVersion(models.Model):
    """One counter, bumped by every write: the ETag and cache keys of public pages derive from it."""

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.value)

    @classmethod
    def current(cls):
        heard = (
            data_version.heard()
        )  # a gunicorn worker on PostgreSQL is told of every change (timeline/data_version.py)
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

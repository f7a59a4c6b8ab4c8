"""Events: what happened or was planned, when, with whom, and the citations that say so."""

import reversion
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from timeline.domain import dates, publishing
from timeline.domain.words import search_text
from timeline.models.records import (
    CrimeType,
    DataVersion,
    Person,
    Place,
    Precision,
    Qualifier,
    Source,
    date_constraints,
)


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
        name_zh = getattr(person, "name_zh", getattr(person, "chinese_name", ""))  # chinese_name before migration 0020
        parts += [person.name, name_zh, *(a.name for a in person.aliases.all())]
    return search_text(*parts)


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
    PUBLISHED = publishing.PUBLISHED, "Published"


# What an event has to write in Chinese (recommended, never required): (what, its Chinese field, and the English
# field it translates where only an event that has that English needs it). Its people's roles too ("roles").
# Event.missing_chinese says it of one event, missing_chinese_q of the database (the admin list's filter).
CHINESE_FORMS = [
    ("title", "title_zh", None),
    ("summary", "summary_zh", None),
    ("disagreement", "disagreement_zh", "disagreement"),
]


def missing_chinese_q():
    """A Q on Event: something of CHINESE_FORMS, or a person's role, still to write in Chinese."""
    missing = Q(pk__in=Involvement.objects.filter(role_zh="").values("event_id"))
    for _what, chinese, english in CHINESE_FORMS:
        missing |= (Q(**{chinese: ""}) & ~Q(**{english: ""})) if english else Q(**{chinese: ""})
    return missing


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
    when_text = models.CharField(
        "When, as typed",
        max_length=dates.MAX_LENGTH,
        blank=True,
        help_text="Exactly what the editor typed; start, end, precision and qualifier are its reading.",
    )
    stage = models.CharField(
        max_length=10,
        choices=Stage.choices,
        default=Stage.HAPPENED,
        help_text="“Planned” when the sources only announce or expect it.",
    )
    china = models.CharField(
        "China's part",
        max_length=13,
        choices=ChinaPart.choices,
        default=ChinaPart.PARTICIPATION,
        help_text="How China figures in it as the sources tell it; “INTERPOL context” where they do not tie it to China.",
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    summary = models.TextField(
        blank=True, max_length=3000, help_text="In our own words, at most 3,000 characters; required to publish."
    )
    summary_zh = models.TextField(
        "Summary in Chinese",
        blank=True,
        max_length=3000,
        help_text="The same, in Chinese and in our own words; recommended.",
    )
    disagreement = models.TextField(
        "Where the sources disagree",
        blank=True,
        max_length=1000,
        help_text="Say plainly which sources differ on which fact; shown above the sources.",
    )
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
        """Why this event, as saved, cannot be (or stay) published (timeline.domain.publishing)."""
        return publishing.problems(
            summary=self.summary,
            citations=self.citations.count(),
            roles=self.involvements.values_list("role", flat=True),
        )

    def missing_chinese(self):
        """What has no Chinese yet: recommended, never required (English is the chronology's own language).

        Uses prefetched involvements (queries.with_details, the admin's list). The admin's filter asks the same
        of the database (missing_chinese_q): both read CHINESE_FORMS."""
        missing = [
            what
            for what, chinese, english in CHINESE_FORMS
            if not getattr(self, chinese).strip() and (english is None or getattr(self, english).strip())
        ]
        if any(not involvement.role_zh.strip() for involvement in self.involvements.all()):
            missing.append("roles")
        return missing


@reversion.register()
class Involvement(models.Model):
    """A person on an event, with their role at that time."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text="Their role at the time, e.g. “Vice-Minister of Public Security”; required to publish.",
    )
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

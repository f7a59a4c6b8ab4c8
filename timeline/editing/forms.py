import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from timeline.domain import dates, publishing
from timeline.editing import history
from timeline.models import Alias, Citation, Event, Involvement, Person, Source, unique_slug

WHEN_HELP = "As people write it: “9 October 2015”, “September 2015”, “late 2014”, “2007–2010”, “2017年9月26日”."


class WhenInput(forms.TextInput):
    """The When box, with its reading shown beside it and refreshed as the editor types (htmx)."""

    template_name = "admin/timeline/when_input.html"

    def __init__(self, reading_url):
        super().__init__(
            attrs={
                "hx-get": reading_url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "next output",
                "hx-swap": "innerHTML",
                "autocomplete": "off",
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["reading"] = reading(value) if value else ""
        return context


def reading(text):
    """What an event's When field makes of `text`, as one line for the editor: (ok, message)."""
    try:
        when = dates.read(text, scope=settings.CHRONOLOGY_YEARS)
    except dates.DateError as error:
        return (False, str(error))
    return (True, when.describe())


class WhenField(forms.CharField):
    """One free-text date, read by timeline.domain.dates into a `When`; `scope` refuses years outside the chronology."""

    def __init__(self, *, reference=None, scope=False, **kwargs):
        self.reference, self.scope = reference, scope
        kwargs.setdefault("max_length", dates.MAX_LENGTH)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return dates.read(value, reference=self.reference, scope=settings.CHRONOLOGY_YEARS if self.scope else None)
        except dates.DateError as error:
            raise ValidationError(str(error), code="invalid_date") from None


class StaleSaveForm(forms.ModelForm):
    """Refuses a save over someone else's later change, and shows what they changed.

    `loaded` carries the row's `updated` time from when the form was opened.
    The row is locked while it is compared (admin saves run in a transaction),
    so on PostgreSQL two editors posting at the same moment cannot both pass.
    """

    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded"] = self.instance.updated.isoformat()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        rows = type(self.instance).objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        current = rows.values_list("updated", flat=True).first()
        if current and cleaned.get("loaded") != current.isoformat():
            raise ValidationError(self.stale_message(cleaned.get("loaded")), code="stale")
        return cleaned

    def stale_message(self, loaded):
        name = self.instance._meta.verbose_name
        try:
            found = history.changes_since(self.instance, dt.datetime.fromisoformat(loaded))
        except (TypeError, ValueError):
            found = None
        if found is None:
            return (
                f"Someone else changed this {name} after you opened it. Nothing was saved: open it again "
                "to see their changes, then make yours."
            )
        opened, newest, changed = found
        who = newest.revision.user or "someone else"
        meta = self.instance._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_compare", args=[self.instance.pk])
        return format_html(
            "{} changed this {} at {} after you opened it. Nothing was saved. Their changes: {}. "
            '<a href="{}?a={}&amp;b={}">Compare the two versions</a>, then open it again to make yours.',
            who,
            name,
            f"{newest.revision.date_created:%-d %b %Y %H:%M}",
            format_html_join("; ", "{}: “{}” → “{}”", ((label, _cut(old), _cut(new)) for label, old, new in changed))
            or "none shown",
            url,
            opened.pk,
            newest.pk,
        )


def _cut(text, limit=80):
    return text if len(text) <= limit else text[:limit] + "…"


class SlugFromForm(forms.ModelForm):
    """A blank slug is made from `slug_from` (Chinese-only names too, through pinyin)."""

    slug_from = "name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = f"The page's address; left blank, it is made from the {self.slug_from}."

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if not slug:
            slug = unique_slug(
                type(self.instance), self.data.get(self.add_prefix(self.slug_from), ""), exclude=self.instance.pk
            )
        return slug


class EventForm(StaleSaveForm, SlugFromForm):
    """Event with one "When" field in place of start, end, precision and qualifier."""

    slug_from = "title"
    when = WhenField(label="When", help_text=WHEN_HELP, scope=True)

    class Meta:
        model = Event
        fields = [
            "title",
            "title_zh",
            "slug",
            "kind",
            "when",
            "stage",
            "china",
            "place",
            "summary",
            "summary_zh",
            "disagreement",
            "disagreement_zh",
            "crime_types",
            "status",
        ]
        labels = {"title": "Title", "kind": "Kind", "status": "Status"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].widget = WhenInput(reverse("admin:timeline_event_when"))
        if not self.instance.pk and "china" in self.fields:
            # How China figures in a new event is the editor's answer, not a default chosen for them.
            self.fields["china"].choices = [("", "---------"), *Event.ChinaPart.choices]
            self.initial["china"] = ""
        if self.instance.pk:
            # What the editor typed, where we have it; the reading's label otherwise.
            self.initial.setdefault("when", self.instance.when_text or self.instance.when.label)

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("when")
        if when:
            self.instance.start, self.instance.end = when.start, when.end
            self.instance.precision, self.instance.qualifier = when.precision, when.qualifier
            self.instance.when_text = self.data.get(self.add_prefix("when"), "").strip()
        error = publishing.summary_error(status=cleaned.get("status"), summary=cleaned.get("summary"))
        if error:
            self.add_error("summary", error)
        return cleaned


class PersonForm(StaleSaveForm, SlugFromForm):
    class Meta:
        model = Person
        fields = ["name", "slug", "name_zh"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        alias = Alias.objects.filter(name__iexact=name).exclude(person=self.instance.pk or None).first()
        if alias:
            raise ValidationError(
                f"“{name}” is already another spelling of {alias.person}; open {alias.person} "
                "instead, or merge the two people."
            )
        return name


class AliasForm(forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["person", "name"]

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        person = cleaned.get("person") or getattr(self.instance, "person", None)  # the inline gives no person field
        other = name and Person.objects.filter(name__iexact=name).exclude(pk=getattr(person, "pk", None)).first()
        if other:
            self.add_error("name", f"“{name}” is the name of another person, {other}; merge the two people instead.")
        return cleaned


class SourceForm(StaleSaveForm, SlugFromForm):
    """Source with one "Published" date field, read like an event's When."""

    slug_from = "title"
    published = WhenField(
        label="Published", required=False, help_text="As precisely as the document gives it; blank when it gives none."
    )
    url = forms.URLField(
        label="URL", required=False, max_length=500, assume_scheme="https", help_text="Only where known; never guessed."
    )

    class Meta:
        model = Source
        fields = [
            "title",
            "title_zh",
            "slug",
            "publisher",
            "publisher_inferred",
            "published",
            "date_inferred",
            "url",
            "note",
            "checked",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.published:
            self.initial.setdefault("published", self.instance.published.label)

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("published")
        source = self.instance
        source.published_start, source.published_end = (when.start, when.end) if when else (None, None)
        source.published_precision = when.precision if when else ""
        source.published_qualifier = when.qualifier if when else ""
        return cleaned


class CitationFormSet(forms.BaseInlineFormSet):
    """A published event needs at least one citation; a draft may have none."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        error = publishing.citations_error(status=self.instance.status, citations=len(kept))
        if error:
            raise ValidationError(error)


class CitationForm(forms.ModelForm):
    class Meta:
        model = Citation
        fields = ["event", "source", "excerpt"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 2})}

    def clean_excerpt(self):
        excerpt = " ".join(self.cleaned_data["excerpt"].split()).strip('“”"')
        words = len(excerpt.replace("…", " ").split())
        if words > Citation.MAX_WORDS:
            raise ValidationError(f"Quote at most {Citation.MAX_WORDS} words (this has {words}); cut with “…”.")
        if len(excerpt) > Citation.MAX_CHARACTERS:
            raise ValidationError(
                f"Quote at most {Citation.MAX_CHARACTERS} characters (this has {len(excerpt)}); cut with “…”."
            )
        return excerpt

    def clean(self):
        cleaned = super().clean()
        # Moved off its event (the Citation page): that event must keep a source.
        old = self.instance.pk and self.instance.event  # the form has not written to the instance yet
        if old and "event" in cleaned and cleaned["event"] != old:
            others = old.citations.exclude(pk=self.instance.pk).count()
            error = publishing.moved_citation_error(status=old.status, event=old, others=others)
            if error:
                raise ValidationError(error)
        return cleaned


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = Involvement
        fields = ["event", "person", "role", "role_zh"]

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event") if "event" in self.fields else getattr(self.instance, "event", None)
        if event and cleaned.get("person") and not cleaned.get("DELETE"):
            error = publishing.role_error(
                status=event.status, event=event, person=cleaned["person"], role=cleaned.get("role")
            )
            if error:
                self.add_error("role", error)
        return cleaned


class ImportForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    publisher = forms.CharField(
        label="Publisher", max_length=200, required=False, help_text="Leave blank when the article does not say."
    )
    published = WhenField(
        label="Published",
        help_text="The article's date, e.g. “9 October 2015”. Relative dates in the text are read against it.",
    )
    url = forms.URLField(label="URL", required=False, max_length=500, assume_scheme="https", help_text="Only if known.")
    text = forms.CharField(label="Article text", widget=forms.Textarea(attrs={"rows": 16}), max_length=100_000)

from django import forms
from django.core.exceptions import ValidationError

from timeline import dates
from timeline.models import Citation, Event, Source

WHEN_HELP = "As people write it: “9 October 2015”, “September 2015”, “late 2014”, “2007–2010”, “2017年9月26日”."


class WhenField(forms.CharField):
    """One free-text date, read by timeline.dates into a `When`."""

    def __init__(self, *, reference=None, **kwargs):
        self.reference = reference
        kwargs.setdefault("max_length", dates.MAX_LENGTH)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return dates.read(value, reference=self.reference)
        except dates.DateError as error:
            raise ValidationError(str(error), code="invalid_date") from None


class EventForm(forms.ModelForm):
    """Event with one "When" field in place of start, end, precision and qualifier."""

    when = WhenField(label="When", help_text=WHEN_HELP)
    # When this form was loaded: a save over someone else's later change is refused.
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = ["title", "slug", "kind", "when", "place", "summary", "crime_types", "status"]
        labels = {"title": "Title", "kind": "Kind", "status": "Status"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            reading = self.instance.when
            self.initial.setdefault("when", reading.label)
            self.initial["loaded"] = self.instance.updated.isoformat()
            self.fields["when"].help_text = f"Read as: {reading.describe()}. {WHEN_HELP}"

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = Event.objects.filter(pk=self.instance.pk).values_list("updated", flat=True).first()
            if current and cleaned.get("loaded") != current.isoformat():
                raise forms.ValidationError(
                    "Someone else changed this event after you opened it. Nothing was saved: open it again "
                    "to see their changes, then make yours.", code="stale")
        when = cleaned.get("when")
        if when:
            self.instance.start, self.instance.end = when.start, when.end
            self.instance.precision, self.instance.qualifier = when.precision, when.qualifier
        if cleaned.get("status") == Event.Status.PUBLISHED and not (cleaned.get("summary") or "").strip():
            self.add_error("summary", "A published event needs a summary in our own words.")
        return cleaned


class SourceForm(forms.ModelForm):
    """Source with one "Published" date field, read like an event's When."""

    published = WhenField(label="Published", required=False,
                          help_text="As precisely as the document gives it; blank when it gives none.")
    url = forms.URLField(label="URL", required=False, assume_scheme="https", help_text="Only where known; never guessed.")

    class Meta:
        model = Source
        fields = ["title", "publisher", "published", "url", "seed_file", "note"]

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
        if self.instance.status == Event.Status.PUBLISHED and not kept:
            raise ValidationError("A published event needs at least one citation. Add one, or save it as a draft.")


class CitationForm(forms.ModelForm):
    class Meta:
        model = Citation
        fields = ["source", "excerpt"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 2})}

    def clean_excerpt(self):
        excerpt = " ".join(self.cleaned_data["excerpt"].split()).strip("“”\"")
        words = len(excerpt.replace("…", " ").split())
        if words > Citation.MAX_WORDS:
            raise ValidationError(f"Quote at most {Citation.MAX_WORDS} words (this has {words}); cut with “…”.")
        return excerpt


class ImportForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    publisher = forms.CharField(label="Publisher", max_length=200, required=False,
                                help_text="Leave blank when the article does not say.")
    published = WhenField(label="Published", help_text="The article's date, e.g. “9 October 2015”. "
                          "Relative dates in the text are read against it.")
    url = forms.URLField(label="URL", required=False, assume_scheme="https", help_text="Only if known.")
    text = forms.CharField(label="Article text", widget=forms.Textarea(attrs={"rows": 16}),
                           max_length=100_000)

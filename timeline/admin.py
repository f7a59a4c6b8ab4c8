import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from timeline import importer
from timeline.forms import CitationForm, CitationFormSet, EventForm, ImportForm, SourceForm
from timeline.models import (Alias, Citation, CrimeType, DataVersion, Event, Involvement, Person, Place, SeedRecord,
                             Source)


class InvolvementFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Event.Status.PUBLISHED:
            return
        for form in self.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE") and data.get("person") and not data.get("role", "").strip():
                raise ValidationError(f"Give {data['person']}'s role at the time before publishing.")


class InvolvementInline(admin.TabularInline):
    model = Involvement
    formset = InvolvementFormSet
    extra = 1
    autocomplete_fields = ["person"]
    verbose_name = "person involved"
    verbose_name_plural = "people involved, with their role at the time"


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Event.objects.dates("start", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and re.fullmatch(r"[0-9]{4}", self.value()):
            year = int(self.value())
            return queryset.filter(start__year__lte=year, end__year__gte=year)
        return queryset


def publish_blockers(event):
    """Why `event` cannot be published yet, or an empty list."""
    reasons = []
    if not event.citations.exists():
        reasons.append("no citation")
    if not event.summary.strip():
        reasons.append("no summary")
    if event.involvements.filter(role="").exists():
        reasons.append("a person without a role")
    return reasons


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventForm
    list_display = ["title", "when_label", "kind", "status", "citation_count"]
    list_filter = ["kind", "status", "crime_types", ("people", admin.RelatedOnlyFieldListFilter), YearFilter]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["title", "summary", "people__name", "people__aliases__name", "people__chinese_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["place", "crime_types"]
    inlines = [InvolvementInline, CitationInline]
    actions = ["publish", "unpublish"]
    ordering = ["-start", "-id"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "when", "place", "status", "loaded"]}),
        ("What happened", {"fields": ["summary", "crime_types"]}),
    ]

    def get_queryset(self, request):
        # Annotating drops the model's default ordering: keep it explicit.
        return super().get_queryset(request).annotate(n_citations=Count("citations", distinct=True)).order_by(
            "-start", "-id")

    def lookup_allowed(self, lookup, value, request=None):
        # The importer links to the drafts it proposed from one source.
        return lookup == "citations__source__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="When", ordering="start")
    def when_label(self, event):
        return event.when.label

    @admin.display(description="Citations", ordering="n_citations")
    def citation_count(self, event):
        return event.n_citations

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.message_user(request, f"“{obj.title}”: When read as {obj.when.describe()}.")

    @admin.action(description="Publish selected events", permissions=["change"])
    def publish(self, request, queryset):
        done, refused = 0, []
        for event in queryset.filter(status=Event.Status.DRAFT):
            reasons = publish_blockers(event)
            if reasons:
                refused.append(f"“{event.title}” ({', '.join(reasons)})")
            else:
                event.status = Event.Status.PUBLISHED
                event.save(update_fields=["status", "updated"])
                done += 1
        self.message_user(request, f"Published {done} event{'s' if done != 1 else ''}.")
        if refused:
            self.message_user(request, "Not published: " + "; ".join(refused), messages.WARNING)

    @admin.action(description="Unpublish selected events (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        n = queryset.filter(status=Event.Status.PUBLISHED).update(status=Event.Status.DRAFT, updated=timezone.now())
        DataVersion.bump()  # update() sends no signals
        self.message_user(request, f"Unpublished {n} event{'s' if n != 1 else ''}.")

    # --- turning an article into draft events ----------------------------------

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="timeline_event_import"),
                *super().get_urls()]

    def import_view(self, request):
        if not (self.has_add_permission(request) and request.user.has_perm("timeline.add_source")):
            raise PermissionDenied
        form = ImportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            source, created = importer.import_article(
                title=data["title"], publisher=data["publisher"], published=data["published"], url=data["url"],
                text=data["text"])
            if created:
                self.message_user(request, f"Proposed {len(created)} draft event{'s' if len(created) != 1 else ''} "
                                           f"from “{source.title}”: review, complete and publish them.")
            else:
                self.message_user(request, f"Nothing new in “{source.title}”: its dated sentences are already "
                                           "proposed.", messages.WARNING)
            url = reverse("admin:timeline_event_changelist")
            return redirect(f"{url}?status__exact=draft&citations__source__id__exact={source.pk}")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "Import an article"}
        return TemplateResponse(request, "admin/timeline/event/import.html", context)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.RadioSelect, label="Keep",
                                  empty_label=None)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "chinese_name", "alias_list", "event_count"]
    search_fields = ["name", "chinese_name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases").annotate(
            n_events=Count("involvements", distinct=True)).order_by("name")

    @admin.display(description="Also written")
    def alias_list(self, person):
        return ", ".join(a.name for a in person.aliases.all())

    @admin.display(description="Events", ordering="n_events")
    def event_count(self, person):
        return person.n_events

    @admin.action(description="Merge selected people into one", permissions=["change"])
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two people to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "merge" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = list(queryset.exclude(pk=keep.pk))
            for other in others:
                keep.absorb(other)
            names = ", ".join(o.name for o in others)
            self.message_user(request, f"Merged {names} into {keep.name}; their names are now aliases.")
            return None
        context = {**self.admin_site.each_context(request), "form": form, "people": queryset,
                   "opts": self.model._meta, "title": "Merge people",
                   "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/timeline/person/merge.html", context)


@admin.register(CrimeType)
class CrimeTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name", "country"]}


class SourceCitationInline(admin.TabularInline):
    model = Citation
    fields = ["event", "excerpt"]
    readonly_fields = ["event", "excerpt"]
    extra = 0
    can_delete = False
    verbose_name_plural = "citations of this source"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["title", "publisher", "published_label", "citation_count", "seed_file"]
    search_fields = ["title", "publisher"]
    inlines = [SourceCitationInline]
    # Django 6's default now: a URL typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=Count("citations")).order_by("-published_start", "title")

    @admin.display(description="Published", ordering="published_start")
    def published_label(self, source):
        return source.published.label if source.published else "—"

    @admin.display(description="Citations", ordering="n_citations")
    def citation_count(self, source):
        return source.n_citations


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    form = CitationForm
    list_display = ["excerpt", "source", "event"]
    search_fields = ["excerpt", "event__title", "source__title"]
    autocomplete_fields = ["event", "source"]
    fields = ["event", "source", "excerpt"]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["name", "person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "event"]
    search_fields = ["person__name", "role", "event__title"]
    autocomplete_fields = ["person", "event"]


@admin.register(SeedRecord)
class SeedRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "loaded"]
    search_fields = ["key"]

"""The admin of the other records: crime types, places, sources, and citations, aliases and people's roles
on their own pages, and the seed's record of what it loaded."""

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q

from timeline.admin.base import HistoryAdmin
from timeline.domain import publishing
from timeline.editing import history
from timeline.editing.forms import AliasForm, CitationForm, InvolvementForm, SourceForm
from timeline.models import Alias, Citation, CrimeType, Event, Involvement, Place, SeedRecord, Source


@admin.register(CrimeType)
class CrimeTypeAdmin(HistoryAdmin):
    list_display = ["name", "name_zh", "slug"]
    search_fields = ["name", "name_zh"]
    fields = [("name", "name_zh"), "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    list_display = ["name", "country", "name_zh", "country_zh"]
    search_fields = ["name", "country", "name_zh"]
    fields = [("name", "name_zh"), ("country", "country_zh"), "slug"]
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
class SourceAdmin(HistoryAdmin):
    form = SourceForm
    list_display = ["title", "title_zh", "publisher", "published_label", "citation_count", "seed_file"]
    search_fields = ["title", "title_zh", "publisher"]
    fields = [
        ("title", "title_zh"),
        "slug",
        "publisher",
        "publisher_inferred",
        "published",
        "date_inferred",
        "url",
        "note",
        "checked",
        "loaded",
    ]  # loaded: the stale-save check's (StaleSaveForm)
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SourceCitationInline]
    # Django 6's default now: a URL typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(n_citations=Count("citations")).order_by("-published_start", "title")
        )

    @admin.display(description="Published", ordering="published_start")
    def published_label(self, source):
        return source.published.label if source.published else "—"

    @admin.display(description="Citations", ordering="n_citations")
    def citation_count(self, source):
        return source.n_citations


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    form = CitationForm
    list_display = ["excerpt", "source", "event"]
    # Hundreds of citations: an editor finds one by its words, its event or its source.
    search_fields = ["excerpt", "event__title", "source__title"]
    list_select_related = ["event", "source"]
    autocomplete_fields = ["event", "source"]
    fields = ["event", "source", "excerpt"]

    def get_deleted_objects(self, objs, request):
        # The last citation of a published event stays until the event has another, or is unpublished.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        leaving = [c.pk for c in objs]
        cited = Event.objects.filter(pk__in=Citation.objects.filter(pk__in=leaving).values("event_id")).annotate(
            kept=Count("citations", filter=~Q(citations__in=leaving))
        )
        stranded = (
            publishing.deleted_citations_problem(status=event.status, event=event, kept=event.kept) for event in cited
        )
        return deleted, counts, perms_needed, [*protected, *filter(None, stranded)]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        history.add_events(obj)


@admin.register(Alias)
class AliasAdmin(HistoryAdmin):
    form = AliasForm
    list_display = ["name", "person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]


@admin.register(Involvement)
class InvolvementAdmin(HistoryAdmin):
    form = InvolvementForm
    list_display = ["person", "role", "role_zh", "event"]
    search_fields = ["person__name", "role", "role_zh", "event__title"]
    autocomplete_fields = ["person", "event"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        history.add_events(obj)


@admin.register(SeedRecord)
class SeedRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "loaded"]
    search_fields = ["key"]

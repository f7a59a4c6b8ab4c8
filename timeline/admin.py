from django.contrib import admin
from django.db import models

from timeline.models import Alias, Citation, CrimeType, Event, Involvement, Person, Place, SeedRecord, Source


class InvolvementInline(admin.TabularInline):
    model = Involvement
    extra = 1
    autocomplete_fields = ["person"]


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "display_date", "kind", "status"]
    list_filter = ["kind", "status", "crime_types"]
    search_fields = ["title", "summary", "people__name", "people__aliases__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["place", "crime_types"]
    inlines = [InvolvementInline, CitationInline]

    @admin.display(description="When", ordering="start")
    def display_date(self, event):
        return event.when.label


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "chinese_name"]
    search_fields = ["name", "chinese_name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]


@admin.register(CrimeType)
class CrimeTypeAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name", "country"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_label", "seed_file"]
    search_fields = ["title", "publisher"]
    # Django 6's default now: a URL typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Published", ordering="published_start")
    def published_label(self, source):
        return source.published.label if source.published else "—"


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["event", "source", "excerpt"]
    search_fields = ["excerpt", "event__title", "source__title"]
    autocomplete_fields = ["event", "source"]


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

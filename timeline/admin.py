import json
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Count, DateField, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.contrib.admin.utils import unquote
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst, smart_split, unescape_string_literal
from django.utils.timezone import localtime
from django.utils.translation import gettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from timeline.editing import history
from timeline.editing import importer
from timeline.editing.forms import (AliasForm, CitationForm, CitationFormSet, EventForm, ImportForm, InvolvementForm,
                            PersonForm, SourceForm, reading)
from timeline.models import (Alias, Citation, CrimeType, Event, EventQuerySet, Involvement, Person, Place,
                             SeedRecord, Source, search_words)


class HistoryAdmin(VersionAdmin):
    """django-reversion's history and restore, plus what changed in each version and a comparison of two."""

    object_history_template = "admin/timeline/object_history.html"

    def get_urls(self):
        meta = self.model._meta
        return [path("<path:object_id>/history/compare/", self.admin_site.admin_view(self.compare_view),
                     name=f"{meta.app_label}_{meta.model_name}_compare"),
                *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        # Our own page, from reversion's versions only (not the admin log): the newest 50, each with what
        # it changed.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(history.versions_of(obj)[:51])
        snapshots = [history.snapshot(v) for v in versions]
        rows = [{"version": version, "changes": history.changes(snapshots[i + 1] if i + 1 < len(versions) else {},
                                                                snapshots[i]),
                 "previous": versions[i + 1] if i + 1 < len(versions) else None}
                for i, version in enumerate(versions[:50])]
        context = {**self.admin_site.each_context(request), "title": f"Change history: {obj}", "subtitle": None,
                   "object": obj, "opts": obj._meta, "rows": rows, "module_name": capfirst(obj._meta.verbose_name_plural),
                   "preserved_filters": self.get_preserved_filters(request), **(extra_context or {})}
        return TemplateResponse(request, self.object_history_template, context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # Restore this object with its own people and citations, not all its revision saved (a bulk
        # action's revision holds many events); history.restore refuses what would break another event.
        version.revision.revert = lambda delete=False: history.restore(version)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = history.versions_of(obj)
        try:
            a, b = (versions.get(pk=int(request.GET.get(k, ""))) for k in "ab")
        except (ValueError, Version.DoesNotExist):
            messages.warning(request, "Choose two versions of this record to compare.")
            return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk]))
        if a.revision.date_created > b.revision.date_created:
            a, b = b, a
        old, new = history.snapshot(a), history.snapshot(b)
        rows = [(label, old.get(label, ""), value, old.get(label, "") != value) for label, value in new.items()]
        context = {**self.admin_site.each_context(request), "opts": obj._meta, "object": obj, "a": a, "b": b,
                   "rows": rows, "title": f"Compare two versions of “{obj}”"}
        return TemplateResponse(request, "admin/timeline/compare.html", context)


class InvolvementInline(admin.TabularInline):
    model = Involvement
    form = InvolvementForm
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


def parse_id(value):
    """A primary key from the query string; anything else is a wrong filter (the admin then shows the
    whole list with a note) rather than a server error."""
    if not re.fullmatch(r"[0-9]{1,18}", value or ""):
        raise IncorrectLookupParameters(f"Not an id: {value!r}")
    return int(value)


class SearchListFilter(admin.ListFilter):
    """A filter that searches instead of listing every choice, for hundreds of people or sources.

    It shows what is chosen and a small GET form with a text box (no JavaScript). The text filters the
    list to the events of everything it matches, and lists the first few matches as links that narrow it
    to one. The form carries every other active filter and the search as hidden fields. Subclasses say
    what is searched (`match`) and how events relate to it (`events`); both are subqueries, so the list
    never has duplicates to remove.
    """

    template = "admin/timeline/search_filter.html"
    shown = 10  # matches listed as links; more than this asks for more of the name
    max_length = 100
    label = "Name contains"
    text_parameter = id_parameter = related_model = None

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.expected_parameters():
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.text = self.used_parameters.get(self.text_parameter, "").replace("\x00", "").strip()[:self.max_length]
        self.chosen = self.chosen_id = None
        if self.id_parameter in self.used_parameters:
            self.chosen_id = parse_id(self.used_parameters[self.id_parameter])
            self.chosen = self.related_model._default_manager.filter(pk=self.chosen_id).first()
        self.matches, self.more = [], False
        if self.text and self.chosen_id is None:
            found = list(self.related_model._default_manager.filter(self.match(self.text))[:self.shown + 1])
            self.matches, self.more = found[:self.shown], len(found) > self.shown
        own = {*self.expected_parameters(), PAGE_VAR, ERROR_FLAG}
        self.hidden_fields = [(name, value) for name, values in request.GET.lists() if name not in own
                              for value in values]

    def match(self, text):
        """A Q on the related model: what the text typed finds."""
        raise NotImplementedError

    def events(self, related):
        """A Q on Event: the events of `related`, a list of ids or a values("pk") subquery."""
        raise NotImplementedError

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.text_parameter, self.id_parameter]

    def queryset(self, request, queryset):
        if self.chosen_id is not None:
            return queryset.filter(self.events([self.chosen_id]))
        if self.text:
            related = self.related_model._default_manager.filter(self.match(self.text)).values("pk")
            return queryset.filter(self.events(related))
        return queryset

    def choices(self, changelist):
        active = self.chosen_id is not None or bool(self.text)
        yield {"selected": not active, "display": "All",
               "query_string": changelist.get_query_string(remove=self.expected_parameters())}
        if self.chosen_id is not None:
            yield {"selected": True, "display": str(self.chosen or f"#{self.chosen_id} (not found)"),
                   "query_string": changelist.get_query_string()}
        elif self.text:
            yield {"selected": True, "display": f"All matching “{self.text}”" if self.matches
                   else f"None matches “{self.text}”", "query_string": changelist.get_query_string()}
            for item in self.matches:
                yield {"selected": False, "display": str(item), "query_string": changelist.get_query_string(
                    {self.id_parameter: item.pk}, remove=[self.text_parameter])}
            if self.more:
                yield {"selected": False, "display": f"More than {self.shown} match: type more of it.",
                       "query_string": None}


class PersonFilter(SearchListFilter):
    title = "person"
    text_parameter, id_parameter, related_model = "person_q", "people__id__exact", Person
    label = "Name or alias contains"

    def match(self, text):
        aliases = Alias.objects.filter(name__icontains=text).values("person_id")
        return Q(name__icontains=text) | Q(chinese_name__icontains=text) | Q(pk__in=aliases)

    def events(self, related):
        return Q(pk__in=Involvement.objects.filter(person__in=related).values("event_id"))


class PlaceFilter(SearchListFilter):
    title = "place"
    text_parameter, id_parameter, related_model = "place_q", "place__id__exact", Place
    label = "Place or country contains"

    def match(self, text):
        return Q(name__icontains=text) | Q(country__icontains=text)

    def events(self, related):
        return Q(place__in=related)


class SourceFilter(SearchListFilter):
    title = "source"
    # The importer links to the drafts it proposed from one source with this parameter.
    text_parameter, id_parameter, related_model = "source_q", "citations__source__id__exact", Source
    label = "Title or publisher contains"

    def match(self, text):
        return Q(title__icontains=text) | Q(publisher__icontains=text)

    def events(self, related):
        return Q(pk__in=Citation.objects.filter(source__in=related).values("event_id"))


class CrimeTypeFilter(admin.SimpleListFilter):
    """The dozen crime types, as links; filtering by a subquery, not a join, needs no DISTINCT."""

    title = "crime type"
    parameter_name = "crime_types__id__exact"

    def lookups(self, request, model_admin):
        return [*((str(pk), name) for pk, name in CrimeType.objects.values_list("pk", "name")), ("none", "None")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        links = Event.crime_types.through.objects
        if self.value() == "none":
            return queryset.exclude(pk__in=links.values("event_id"))
        return queryset.filter(pk__in=links.filter(crimetype_id=parse_id(self.value())).values("event_id"))


class ChineseFilter(admin.SimpleListFilter):
    """Events whose Chinese is complete, or still missing something (Event.missing_chinese)."""

    title = "Chinese"
    parameter_name = "chinese"

    def lookups(self, request, model_admin):
        return [("missing", "Missing something"), ("complete", "Complete")]

    def queryset(self, request, queryset):
        roles = Involvement.objects.filter(role_zh="").values("event_id")
        missing = (Q(title_zh="") | Q(summary_zh="") | (~Q(disagreement="") & Q(disagreement_zh=""))
                   | Q(pk__in=roles))
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "complete":
            return queryset.exclude(missing)
        return queryset


class EventListQuerySet(EventQuerySet):
    """The admin list's events. On SQLite the date hierarchy's years, months and days are cut from the
    stored text ("2014-09-01") in SQL, not by Django's Python date function called once per event.

    A search's results know how many they are (`found`, set by EventAdmin.get_search_results); any further
    filter makes a new queryset, which counts again.
    """

    CUTS = {"year": (4, "-01-01"), "month": (7, "-01"), "day": (10, "")}
    found = None

    def count(self):
        return super().count() if self.found is None else self.found

    def dates(self, field_name, kind, order="ASC"):
        if connections[self.db].vendor != "sqlite" or kind not in self.CUTS:
            return super().dates(field_name, kind, order)
        length, suffix = self.CUTS[kind]
        cut = Concat(Substr(field_name, 1, length), Value(suffix), output_field=DateField())
        return (self.annotate(datefield=cut).values_list("datefield", flat=True).distinct()
                .filter(**{f"{field_name}__isnull": False}).order_by(("-" if order == "DESC" else "") + "datefield"))


def search_terms(text):
    """The admin's search terms: words, or "quoted phrases", as Django's own admin search splits them."""
    for term in smart_split(text.replace("\x00", "")):
        if term[:1] in "\"'" and len(term) > 1 and term[0] == term[-1]:
            term = unescape_string_literal(term)
        if term.strip():
            yield term


class PageIdsFirstPaginator(Paginator):
    """Finds a page's ids first, then reads those rows from `rows`, in the same order.

    The sort behind a page then handles ids and the sorted column only, not whole rows with their columns'
    subqueries, and the filters (a search especially) are not run again to read the rows.
    """

    def __init__(self, object_list, *args, rows=None, **kwargs):
        super().__init__(object_list, *args, **kwargs)
        self.rows = object_list if rows is None else rows

    def _get_page(self, object_list, number, paginator):
        ids = list(object_list.values_list("pk", flat=True))
        rows = self.rows.filter(pk__in=ids).order_by(*object_list.query.order_by)
        return super()._get_page(rows, number, paginator)


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    form = EventForm
    change_list_template = "admin/timeline/event/change_list.html"  # adds "Import an article"
    list_display = ["title", "when_label", "kind", "place", "people_list", "status", "chinese", "citation_count",
                    "last_edited", "last_editor"]
    list_select_related = ["place"]
    list_filter = ["kind", "stage", "china", "status", ChineseFilter, CrimeTypeFilter, PersonFilter, PlaceFilter, SourceFilter]
    date_hierarchy = "start"
    show_facets = admin.ShowFacets.ALLOW  # counts beside each filter cost a query each: on request only
    # Any field turns the search box (and the events' autocomplete) on; get_search_results does the search.
    search_fields = ["search_text"]
    search_help_text = ("Finds events with every word in the title, summary, place or people’s names (any spelling), "
                        "or in a cited excerpt or a source’s title or publisher. Words in quotes are one phrase there.")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["place", "crime_types"]
    inlines = [InvolvementInline, CitationInline]
    actions = ["publish", "unpublish"]
    ordering = ["-start", "-id"]
    # English and Chinese side by side. The publishing rules (Event.publish_problems) ask for the English;
    # the Chinese is recommended, and the list's Chinese column shows what is missing.
    fieldsets = [
        (None, {"fields": [("title", "title_zh"), "slug", "kind", "when", "stage", "china", "place", "status",
                           "loaded"]}),
        ("What happened", {
            "description": "In our own words, in English (required to publish) and in Chinese (recommended: "
                           "until it is written, Chinese pages show the English, marked “EN”).",
            "fields": [("summary", "summary_zh"), "crime_types", ("disagreement", "disagreement_zh")]}),
    ]

    def get_queryset(self, request):
        # The extra columns are subqueries, not joins, so no GROUP BY or DISTINCT over every event; the
        # paginator reads a page's rows by id, so they run for those rows only. The page's people come in
        # one more query.
        citations = Citation.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(
            n=Count("pk")).values("n")
        editor = (Version.objects.get_for_model(Event).filter(object_id=Cast(OuterRef("pk"), models.CharField()))
                  .order_by("-revision_id").values("revision__user__username")[:1])
        return EventListQuerySet(self.model, query=super().get_queryset(request).query).annotate(
            n_citations=Coalesce(Subquery(citations, output_field=IntegerField()), 0),
            editor_name=Subquery(editor),
        ).prefetch_related(Prefetch("involvements", queryset=Involvement.objects.select_related("person")))

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if queryset.model is not self.model:  # the history page's log entries
            return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        rows = self.get_queryset(request).select_related(*self.list_select_related)
        return PageIdsFirstPaginator(queryset, per_page, orphans, allow_empty_first_page, rows=rows)

    def get_search_results(self, request, queryset, search_term):
        """Events with every term of the search in their search text (title, summary, place, people's
        names and aliases), or in a citation's excerpt or its source's title or publisher.

        Subqueries rather than joins: nothing is duplicated, so the list needs no DISTINCT (False).
        """
        found = queryset
        for term in search_terms(search_term):
            sources = Source.objects.filter(Q(title__icontains=term) | Q(publisher__icontains=term))
            cited = Citation.objects.filter(Q(excerpt__icontains=term) | Q(source__in=sources))
            matches = Q(pk__in=cited.values("event_id"))
            words = search_words(term, query=True)
            if words:
                matches |= Q(*(Q(search_text__word=word) for word in words))
            found = found.filter(matches)
        if found is queryset or connections[queryset.db].vendor != "sqlite":
            return found, False
        # SQLite has no index for words inside text, and every query of the list page (its count, its rows,
        # the date hierarchy's range and years) would read all events again to find them. Read them once;
        # those queries read the ids found, as one JSON parameter (SQLite allows only so many parameters).
        ids = list(found.order_by().values_list("pk", flat=True))
        results = queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
        results.found = len(ids)
        return results, False

    def lookup_allowed(self, lookup, value, request=None):
        field, _, part = lookup.partition("__")
        low, high = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}.get(part, (None, None))
        if field == self.date_hierarchy and low and not (re.fullmatch(r"[0-9]{1,4}", value) and low <= int(value) <= high):
            # Django's date hierarchy fails on a year 9999 or a month too big for Python: a wrong filter (the
            # whole list, with a note), not a server error.
            raise IncorrectLookupParameters(f"No such {part}: {value!r}")
        # The importer links to the drafts it proposed from one source (SourceFilter).
        return lookup == "citations__source__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="When", ordering="start")
    def when_label(self, event):
        return event.when.label

    @admin.display(description="People")
    def people_list(self, event):
        names = [involvement.person.name for involvement in event.involvements.all()]
        return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")

    @admin.display(description="Chinese")
    def chinese(self, event):
        """"✓", or what has no Chinese yet: recommended, never required to publish."""
        missing = event.missing_chinese()
        return format_html('<span class="chinese-missing">Missing: {}</span>', ", ".join(missing)) if missing else "✓"

    @admin.display(description="Citations", ordering="n_citations")
    def citation_count(self, event):
        return event.n_citations

    @admin.display(description="Last edited", ordering="updated")
    def last_edited(self, event):
        return date_format(localtime(event.updated), "j M Y")

    @admin.display(description="Edited by")
    def last_editor(self, event):
        """Who saved the latest version (django-reversion); empty where no one has through the admin."""
        return event.editor_name

    def action_checkbox(self, event):
        # Django's own renders a form widget through the template engine for each row: a quarter of the
        # list's time at 100 rows. The same markup, directly.
        label = format_html(gettext("Select this object for an action - {}"), str(event))
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           ACTION_CHECKBOX_NAME, event.pk, label)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.message_user(request, f"“{obj.title}”: When read as {obj.when.describe()}.")

    def when_view(self, request):
        """The When field's reading of what the editor is typing (htmx, as they type)."""
        if not self.has_view_or_change_permission(request) and not self.has_add_permission(request):
            raise PermissionDenied
        text = request.GET.get("when", "")
        context = {"widget": {"reading": reading(text) if text.strip() else ""}}
        return TemplateResponse(request, "admin/timeline/when_reading.html", context)

    def has_delete_permission(self, request, obj=None):
        # Editors discard drafts; taking a published event down is unpublishing it.
        if obj is not None and obj.status == Event.Status.PUBLISHED and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        published = [f"published event “{e}” (unpublish it instead)" for e in objs
                     if e.status == Event.Status.PUBLISHED and not self.has_delete_permission(request, e)]
        if published:
            # Say why, rather than Django's "no permission to delete: event".
            perms_needed = perms_needed - {str(Event._meta.verbose_name)}
            protected = [*protected, *published]
        return deleted, counts, perms_needed, protected

    @admin.action(description="Publish selected events", permissions=["change"])
    def publish(self, request, queryset):
        done, refused = 0, []
        with history.revision(request.user, "Published with the “Publish selected events” action."):
            for event in queryset.filter(status=Event.Status.DRAFT):
                problems = event.publish_problems()
                if problems:
                    refused.append(f"“{event.title}” ({', '.join(problems)})")
                else:
                    event.status = Event.Status.PUBLISHED
                    event.save(update_fields=["status", "updated"])
                    done += 1
        if done:
            self.message_user(request, f"Published {done} event{'s' if done != 1 else ''}.")
        elif not refused:
            self.message_user(request, "No event published: the selected events were already published.",
                              messages.WARNING)
        if refused:
            self.message_user(request, "Not published: " + "; ".join(refused), messages.WARNING)

    @admin.action(description="Unpublish selected events (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        n = 0
        with history.revision(request.user, "Unpublished with the “Unpublish selected events” action."):
            for event in queryset.filter(status=Event.Status.PUBLISHED):
                event.status = Event.Status.DRAFT
                event.save(update_fields=["status", "updated"])
                n += 1
        if n:
            self.message_user(request, f"Unpublished {n} event{'s' if n != 1 else ''}.")
        else:
            self.message_user(request, "No event unpublished: the selected events were already drafts.",
                              messages.WARNING)

    # --- turning an article into draft events ----------------------------------

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="timeline_event_import"),
                path("when/", self.admin_site.admin_view(self.when_view), name="timeline_event_when"),
                *super().get_urls()]

    def import_view(self, request):
        if not (self.has_add_permission(request) and request.user.has_perm("timeline.add_source")):
            raise PermissionDenied
        # Step 1 pastes the article; step 2 ("preview") shows what it would make, writing nothing, with the
        # article in hidden fields; "create" makes the ticked drafts; "edit" goes back to step 1, filled in.
        step = request.POST.get("step", "preview") if request.method == "POST" else ""
        form = ImportForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta}
        if step in ("preview", "create") and form.is_valid():
            found = importer.preview(**{name: form.cleaned_data[name] for name in importer.ARTICLE_FIELDS})
            if step == "create":
                return self.import_create(request, form.cleaned_data, found)
            context.update(preview=found, title="Review the proposed events", years=settings.CHRONOLOGY_YEARS)
            return TemplateResponse(request, "admin/timeline/event/import_preview.html", context)
        context["title"] = "Import an article"
        return TemplateResponse(request, "admin/timeline/event/import.html", context)

    def import_create(self, request, data, found):
        """Create the drafts ticked in the preview, as one revision, and show them."""
        ticked = {int(n) for n in request.POST.getlist("create") if n.isdigit()}
        rows = [row for row in found.new_rows if row.number in ticked]
        title = found.source.title if found.source else data["title"]
        fields = {name: data[name] for name in importer.ARTICLE_FIELDS if name != "text"}
        source, created = importer.create(found, rows, **fields, user=request.user)
        if created:
            plural = "s" if len(created) != 1 else ""
            done = f"Created {len(created)} draft event{plural} from “{title}”: review, complete and publish them."
            self.message_user(request, done, messages.SUCCESS)
        else:
            why = "its dated sentences were already imported"
            if not found.rows:
                why = "no dated sentence was found"
            elif found.new_rows:
                why = "no event was ticked"
            self.message_user(request, f"Nothing was created from “{title}”: {why}.", messages.WARNING)
        url = reverse("admin:timeline_event_changelist") + "?status__exact=draft"
        return redirect(f"{url}&citations__source__id__exact={source.pk}" if source else url)


class AliasInline(admin.TabularInline):
    model = Alias
    form = AliasForm
    extra = 1


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.RadioSelect, label="Keep",
                                  empty_label=None)


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    form = PersonForm
    list_display = ["name", "chinese_name", "alias_list", "event_count"]
    search_fields = ["name", "chinese_name", "aliases__name"]
    fields = [("name", "chinese_name"), "slug", "loaded"]  # loaded: the stale-save check's (StaleSaveForm)
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
            names = ", ".join(o.name for o in others)
            with history.revision(request.user, f"Merged {names} into {keep.name}."):
                for other in others:
                    keep.absorb(other)
                keep.save()  # a version of the person kept; an editor's open form of it is now stale
            self.message_user(request, f"Merged {names} into {keep.name}; their names are now aliases.")
            return None
        context = {**self.admin_site.each_context(request), "form": form, "people": queryset,
                   "opts": self.model._meta, "title": "Merge people",
                   "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/timeline/person/merge.html", context)


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
    fields = [("title", "title_zh"), "slug", "publisher", "publisher_inferred", "published", "date_inferred", "url",
              "note", "checked", "loaded"]  # loaded: the stale-save check's (StaleSaveForm)
    prepopulated_fields = {"slug": ["title"]}
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
class CitationAdmin(HistoryAdmin):
    form = CitationForm
    # Hundreds of citations: an editor finds one by its words, its event or its source.
    search_fields = ["excerpt", "event__title", "source__title"]
    list_select_related = ["event", "source"]

    def get_deleted_objects(self, objs, request):
        # The last citation of a published event stays until the event has another, or is unpublished.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        leaving = [c.pk for c in objs]
        stranded = Event.objects.published().filter(citations__in=leaving).exclude(
            citations__in=Citation.objects.exclude(pk__in=leaving)).distinct()
        protected = [*protected, *(f"the only citation of the published event “{event}” (add another citation, "
                                   "or unpublish the event, first)" for event in stranded)]
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        history.add_events(obj)
    list_display = ["excerpt", "source", "event"]
    search_fields = ["excerpt", "event__title", "source__title"]
    autocomplete_fields = ["event", "source"]
    fields = ["event", "source", "excerpt"]


@admin.register(Alias)
class AliasAdmin(HistoryAdmin):
    form = AliasForm
    list_display = ["name", "person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]


@admin.register(Involvement)
class InvolvementAdmin(HistoryAdmin):
    form = InvolvementForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        history.add_events(obj)
    list_display = ["person", "role", "role_zh", "event"]
    search_fields = ["person__name", "role", "role_zh", "event__title"]
    autocomplete_fields = ["person", "event"]


@admin.register(SeedRecord)
class SeedRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "loaded"]
    search_fields = ["key"]

"""The events' admin: its list (columns, search, filters, a paginator that reads a page by its ids), the
event form with its people and citations, and the publish and unpublish actions."""

import json
import re

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Count, DateField, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.timezone import localtime
from django.utils.translation import gettext
from reversion.models import Version

from timeline.admin.article_import import ArticleImport
from timeline.admin.base import HistoryAdmin
from timeline.admin.list_filters import ChineseFilter, CrimeTypeFilter, PersonFilter, PlaceFilter, SourceFilter
from timeline.domain.words import search_words
from timeline.editing import history
from timeline.editing.forms import CitationForm, CitationFormSet, EventForm, InvolvementForm, reading
from timeline.models import Citation, Event, EventQuerySet, Involvement, Source


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
        return (
            self.annotate(datefield=cut)
            .values_list("datefield", flat=True)
            .distinct()
            .filter(**{f"{field_name}__isnull": False})
            .order_by(("-" if order == "DESC" else "") + "datefield")
        )


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
class EventAdmin(ArticleImport, HistoryAdmin):
    form = EventForm
    change_list_template = "admin/timeline/event/change_list.html"  # adds "Import an article" (ArticleImport)
    list_display = [
        "title",
        "when_label",
        "kind",
        "place",
        "people_list",
        "status",
        "chinese",
        "citation_count",
        "last_edited",
        "last_editor",
    ]
    list_select_related = ["place"]
    list_filter = [
        "kind",
        "stage",
        "china",
        "status",
        ChineseFilter,
        CrimeTypeFilter,
        PersonFilter,
        PlaceFilter,
        SourceFilter,
    ]
    date_hierarchy = "start"
    show_facets = admin.ShowFacets.ALLOW  # counts beside each filter cost a query each: on request only
    # Any field turns the search box (and the events' autocomplete) on; get_search_results does the search.
    search_fields = ["search_text"]
    search_help_text = (
        "Finds events with every word in the title, summary, place or people’s names (any spelling), "
        "or in a cited excerpt or a source’s title or publisher. Words in quotes are one phrase there."
    )
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["place", "crime_types"]
    inlines = [InvolvementInline, CitationInline]
    actions = ["publish", "unpublish"]
    ordering = ["-start", "-id"]
    # English and Chinese side by side. The publishing rule (timeline.domain.publishing) asks for the English;
    # the Chinese is recommended, and the list's Chinese column shows what is missing.
    fieldsets = [
        (
            None,
            {"fields": [("title", "title_zh"), "slug", "kind", "when", "stage", "china", "place", "status", "loaded"]},
        ),
        (
            "What happened",
            {
                "description": "In our own words, in English (required to publish) and in Chinese (recommended: "
                "until it is written, Chinese pages show the English, marked “EN”).",
                "fields": [("summary", "summary_zh"), "crime_types", ("disagreement", "disagreement_zh")],
            },
        ),
    ]

    def get_queryset(self, request):
        # The extra columns are subqueries, not joins, so no GROUP BY or DISTINCT over every event; the
        # paginator reads a page's rows by id, so they run for those rows only. The page's people come in
        # one more query.
        citations = (
            Citation.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk")).values("n")
        )
        editor = (
            Version.objects.get_for_model(Event)
            .filter(object_id=Cast(OuterRef("pk"), models.CharField()))
            .order_by("-revision_id")
            .values("revision__user__username")[:1]
        )
        return (
            EventListQuerySet(self.model, query=super().get_queryset(request).query)
            .annotate(
                n_citations=Coalesce(Subquery(citations, output_field=IntegerField()), 0),
                editor_name=Subquery(editor),
            )
            .prefetch_related(Prefetch("involvements", queryset=Involvement.objects.select_related("person")))
        )

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
        if (
            field == self.date_hierarchy
            and low
            and not (re.fullmatch(r"[0-9]{1,4}", value) and low <= int(value) <= high)
        ):
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
        """ "✓", or what has no Chinese yet: recommended, never required to publish."""
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
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            event.pk,
            label,
        )

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
        published = [
            f"published event “{e}” (unpublish it instead)"
            for e in objs
            if e.status == Event.Status.PUBLISHED and not self.has_delete_permission(request, e)
        ]
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
            self.message_user(
                request, "No event published: the selected events were already published.", messages.WARNING
            )
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
            self.message_user(
                request, "No event unpublished: the selected events were already drafts.", messages.WARNING
            )

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="timeline_event_import"),
            path("when/", self.admin_site.admin_view(self.when_view), name="timeline_event_when"),
            *super().get_urls(),
        ]

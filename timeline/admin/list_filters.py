"""The event list's filters: searching ones for the hundreds of people, places and sources, and links for
crime types and for what still has no Chinese."""

import re

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.db.models import Q

from timeline.models import Alias, Citation, CrimeType, Event, Involvement, Person, Place, Source, missing_chinese_q


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
        self.text = self.used_parameters.get(self.text_parameter, "").replace("\x00", "").strip()[: self.max_length]
        self.chosen = self.chosen_id = None
        if self.id_parameter in self.used_parameters:
            self.chosen_id = parse_id(self.used_parameters[self.id_parameter])
            self.chosen = self.related_model._default_manager.filter(pk=self.chosen_id).first()
        self.matches, self.more = [], False
        if self.text and self.chosen_id is None:
            found = list(self.related_model._default_manager.filter(self.match(self.text))[: self.shown + 1])
            self.matches, self.more = found[: self.shown], len(found) > self.shown
        own = {*self.expected_parameters(), PAGE_VAR, ERROR_FLAG}
        self.hidden_fields = [
            (name, value) for name, values in request.GET.lists() if name not in own for value in values
        ]

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
        yield {
            "selected": not active,
            "display": "All",
            "query_string": changelist.get_query_string(remove=self.expected_parameters()),
        }
        if self.chosen_id is not None:
            yield {
                "selected": True,
                "display": str(self.chosen or f"#{self.chosen_id} (not found)"),
                "query_string": changelist.get_query_string(),
            }
        elif self.text:
            yield {
                "selected": True,
                "display": f"All matching “{self.text}”" if self.matches else f"None matches “{self.text}”",
                "query_string": changelist.get_query_string(),
            }
            for item in self.matches:
                yield {
                    "selected": False,
                    "display": str(item),
                    "query_string": changelist.get_query_string(
                        {self.id_parameter: item.pk}, remove=[self.text_parameter]
                    ),
                }
            if self.more:
                yield {
                    "selected": False,
                    "display": f"More than {self.shown} match: type more of it.",
                    "query_string": None,
                }


class PersonFilter(SearchListFilter):
    title = "person"
    text_parameter, id_parameter, related_model = "person_q", "people__id__exact", Person
    label = "Name or alias contains"

    def match(self, text):
        aliases = Alias.objects.filter(name__icontains=text).values("person_id")
        return Q(name__icontains=text) | Q(name_zh__icontains=text) | Q(pk__in=aliases)

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
    """Events whose Chinese is complete, or still missing something: what Event.missing_chinese tells of one
    event, asked of the database (missing_chinese_q, from the same list of fields)."""

    title = "Chinese"
    parameter_name = "chinese"

    def lookups(self, request, model_admin):
        return [("missing", "Missing something"), ("complete", "Complete")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(missing_chinese_q())
        if self.value() == "complete":
            return queryset.exclude(missing_chinese_q())
        return queryset

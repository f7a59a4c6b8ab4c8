"""The one vocabulary of a reader's query: every parameter the pages read, once.

The filters parse and write back these, the cache key keeps only these, the event index keys its masks on
the ones that narrow, and the facet panel labels them. A new filter is one `Param` here, its column in the
event index (and `queries.matching`), and its list in the facet panel (`_browse.html`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from timeline.models import Event


@dataclass(frozen=True)
class Param:
    name: str  # in the query string
    label: str = ""  # in chips, facet headings and messages
    repeated: bool = False  # a set of values (?kind=a&kind=b); else one value
    one_at_a_time: str = ""  # one value: more are refused with this message (not the last one taken)
    named: bool = False  # slugs of people, crime types or places, checked against the event index
    choices: type | None = None  # an Event field's TextChoices: the values allowed
    unknown: str = ""  # what is said of a value that names nothing
    narrows: bool = True  # it chooses events; else it orders or pages them
    field: str = ""  # the Filters attribute holding its reading, when not its name

    @property
    def attribute(self):
        return self.field or self.name


PARAMS = (
    Param(
        "person",
        gettext_lazy("Person"),
        repeated=True,
        named=True,
        unknown=gettext_lazy("No person called %(names)s; left out."),
    ),
    Param(
        "crime",
        gettext_lazy("Crime type"),
        repeated=True,
        named=True,
        unknown=gettext_lazy("No crime type called %(names)s; left out."),
    ),
    Param(
        "kind",
        gettext_lazy("Kind"),
        repeated=True,
        choices=Event.Kind,
        unknown=gettext_lazy("No kind called “%(value)s”; left out."),
    ),
    Param(
        "stage",
        gettext_lazy("Happened or planned"),
        repeated=True,
        choices=Event.Stage,
        unknown=gettext_lazy("“%(value)s” is neither “happened” nor “planned”; left out."),
    ),
    Param(
        "china",
        gettext_lazy("China's part"),
        repeated=True,
        choices=Event.ChinaPart,
        unknown=gettext_lazy("“%(value)s” is not one of hosted, participation, about or context; left out."),
    ),
    Param(
        "place",
        gettext_lazy("Place"),
        one_at_a_time=gettext_lazy("Choose one place at a time."),
        named=True,
        unknown=gettext_lazy("No place called %(names)s; left out."),
    ),
    Param("q", gettext_lazy("Search")),
    Param("from", gettext_lazy("From"), field="date_from"),
    Param("to", gettext_lazy("To"), field="date_to"),
    Param("order", narrows=False),
    Param("cursor", narrows=False),
)
BY_NAME = {param.name: param for param in PARAMS}
REPEATED = tuple(param.name for param in PARAMS if param.repeated)  # each read as a set
NAMED = tuple(param.name for param in PARAMS if param.named)
CHOSEN = tuple(param for param in PARAMS if param.choices)  # values from a fixed list
NARROWING = tuple(param.attribute for param in PARAMS if param.narrows)
LABELS = {param.name: param.label for param in PARAMS if param.label}
# Read by other public views than the timeline: an event page's `via`, the sources list's `page`, a sitemap's
# `p`, /events.json's `lang`.
OTHERS = ("via", "page", "p", "lang")

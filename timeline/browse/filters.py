"""What a reader asked for: parsed once from request.GET, validated, and written back.

`Filters.parse(request.GET)` never raises: what it cannot use it leaves out and
explains in `errors` (parameter → message), so the rest of the query still
applies. `querystring()` writes the canonical query back for links and for the
URL bar.
"""

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from timeline.domain import dates
from timeline.browse import index
from timeline.domain.bilingual import text
from timeline.models import HAN, WORDS, Event

MULTI = ("person", "crime", "kind", "stage", "china")
MAX_VALUES = 20  # of one parameter
MAX_Q = 200  # characters
MAX_WORDS = 10
MAX_HAN = 30  # Chinese characters, which have no spaces between words
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})_(\d{1,18})$")
LABELS = {"person": gettext_lazy("Person"), "crime": gettext_lazy("Crime type"), "kind": gettext_lazy("Kind"),
          "stage": gettext_lazy("Happened or planned"), "china": gettext_lazy("China's part"), "place": gettext_lazy("Place"), "q": gettext_lazy("Search"),
          "from": gettext_lazy("From"), "to": gettext_lazy("To")}
# "No person called …": each its own sentence, since other languages do not make them from the label.
UNKNOWN = {"person": gettext_lazy("No person called %(names)s; left out."),
           "crime": gettext_lazy("No crime type called %(names)s; left out."),
           "place": gettext_lazy("No place called %(names)s; left out."),
           "kind": gettext_lazy("No kind called “%(value)s”; left out."),
           "stage": gettext_lazy("“%(value)s” is neither “happened” nor “planned”; left out."),
           "china": gettext_lazy("“%(value)s” is not one of hosted, participation, about or context; left out.")}


@dataclass(frozen=True)
class Cursor:
    """The last event of a page: the next page starts after it (keyset, not OFFSET)."""

    start: dt.date
    end: dt.date
    id: int

    def __str__(self):
        return f"{self.start}_{self.end}_{self.id}"

    @classmethod
    def of(cls, event):
        return cls(event.start, event.end, event.id)


@dataclass(frozen=True)
class Filters:
    person: tuple = ()
    crime: tuple = ()
    kind: tuple = ()
    stage: tuple = ()
    china: tuple = ()
    place: str = ""
    q: str = ""
    from_text: str = ""
    to_text: str = ""
    date_from: dates.When | None = None
    date_to: dates.When | None = None
    order: str = "asc"
    cursor: Cursor | None = None
    errors: dict = field(default_factory=dict, compare=False)
    over_limit: bool = field(default=False, compare=False)  # a request too large to run: answered 400
    names: dict = field(default_factory=dict, compare=False)  # (param, slug) → display name
    pks: dict = field(default_factory=dict, compare=False)  # (param, slug) → primary key, for timeline.index

    @classmethod
    def parse(cls, query):
        errors, values = {}, {}
        for param in MULTI:
            raw = [v.strip() for v in query.getlist(param) if v.strip()]
            if len(raw) > MAX_VALUES:
                errors[param] = _("Choose at most %(n)d values for %(label)s.") % {"n": MAX_VALUES, "label": LABELS[param]}
                raw = raw[:MAX_VALUES]
            values[param] = tuple(sorted(set(raw)))  # a set: in one order, so one page (and cache key) for it
        places = [v.strip() for v in query.getlist("place") if v.strip()]
        if len(places) > 1:
            errors["place"] = _("Choose one place at a time.")
        values["place"] = places[0] if places else ""

        # Control characters are no search words, and XML (the feed's title) cannot carry them.
        q = " ".join(_CONTROL.sub(" ", query.get("q", "")).split())
        if len(q) > MAX_Q:
            errors["q"] = _("Search for at most %(n)d characters.") % {"n": MAX_Q}
            q = ""
        elif len(WORDS.findall(q)) > MAX_WORDS:
            errors["q"] = _("Search for at most %(n)d words.") % {"n": MAX_WORDS}
            q = ""
        elif len(re.findall(f"[{HAN}]", q)) > MAX_HAN:
            # Each character is one more pair to look up (models.search_words): bounded like the words.
            errors["q"] = _("Search for at most %(n)d Chinese characters.") % {"n": MAX_HAN}
            q = ""

        when = {}
        for param in ("from", "to"):
            text = query.get(param, "").strip()
            when[param] = None
            if text:
                try:
                    when[param] = dates.read(text)
                except dates.DateError as error:
                    errors[param] = str(error)
        if when["from"] and when["to"] and when["to"].end < when["from"].start:
            errors["to"] = _("“%(to)s” is before “%(from)s”.") % {"to": query["to"].strip(), "from": query["from"].strip()}
            when["to"] = None

        order = query.get("order", "asc") or "asc"
        if order not in ("asc", "desc"):
            errors["order"] = _("Order is “asc” (oldest first) or “desc” (newest first).")
            order = "asc"

        cursor = None
        if query.get("cursor"):
            match = _CURSOR.match(query["cursor"])
            try:
                cursor = Cursor(dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2]), int(match[3]))
            except (TypeError, ValueError):
                errors["cursor"] = _("That page link is broken; showing the first page.")

        # So far q and the repeatable parameters have only size errors: such a request is refused.
        over_limit = any(p in errors for p in ("q", *MULTI))
        filters = cls(
            over_limit=over_limit, person=values["person"], crime=values["crime"], kind=values["kind"],
            stage=values["stage"], china=values["china"], place=values["place"], q=q,
            from_text=query.get("from", "").strip()[:100], to_text=query.get("to", "").strip()[:100],
            date_from=when["from"], date_to=when["to"], order=order, cursor=cursor, errors=errors,
        )
        return filters._checked()

    def _checked(self):
        """Drop slugs that name nothing and learn the names of the rest, from the event index."""
        errors, names, pks, kept = dict(self.errors), {}, {}, {}
        chosen = {"person": self.person, "crime": self.crime, "place": (self.place,) if self.place else ()}
        # Only what a published event names (the index's options): a name known only from drafts stays unknown.
        slugs = index.current().slugs if any(chosen.values()) else {}
        for param in ("person", "crime", "place"):
            known = {slug: slugs[param][slug] for slug in chosen[param] if slug in slugs[param]}
            unknown = [slug for slug in chosen[param] if slug not in known]
            if unknown:
                shown = pgettext("list", ", ").join(f"“{slug[:40]}”" for slug in unknown[:3])
                errors[param] = UNKNOWN[param] % {"names": shown}
            kept[param] = tuple(slug for slug in chosen[param] if slug in known)
            names.update({(param, slug): text(*both) for slug, (_, both) in known.items()})
            pks.update({(param, slug): pk for slug, (pk, _) in known.items()})
        for param, choices in (("kind", Event.Kind.choices), ("stage", Event.Stage.choices),
                               ("china", Event.ChinaPart.choices)):
            labels = {value: str(label) for value, label in choices}  # in the language of the request
            unknown = [value for value in getattr(self, param) if value not in labels]
            if unknown:
                errors[param] = UNKNOWN[param] % {"value": unknown[0][:40]}
            kept[param] = tuple(value for value in getattr(self, param) if value in labels)
            names.update({(param, value): labels[value] for value in kept[param]})
        return replace(self, person=kept["person"], crime=kept["crime"], kind=kept["kind"], stage=kept["stage"],
                       china=kept["china"], place=kept["place"][0] if kept["place"] else "", errors=errors,
                       names=names, pks=pks)

    # --- writing back --------------------------------------------------------

    def params(self, **changes):
        """The canonical query as (name, value) pairs; `changes` replaces parameters."""
        values = {
            "person": self.person, "crime": self.crime, "kind": self.kind, "stage": self.stage, "china": self.china,
            "place": self.place, "q": self.q,
            "from": self.from_text if self.date_from else "", "to": self.to_text if self.date_to else "",
            "order": "" if self.order == "asc" else self.order, "cursor": "",
        }
        values.update(changes)
        pairs = []
        for name, value in values.items():
            for item in value if isinstance(value, tuple | list) else (value,):
                if item:
                    pairs.append((name, str(item)))
        return pairs

    def querystring(self, **changes):
        pairs = self.params(**changes)
        return "?" + urlencode(pairs) if pairs else ""

    def without(self, param, value=None):
        """The query with one value (or the whole parameter) taken out."""
        current = getattr(self, param) if param in MULTI else None
        if current is not None and value is not None:
            return self.querystring(**{param: tuple(v for v in current if v != value)})
        return self.querystring(**{param: ""})

    def is_empty(self):
        return not self.params(order="")

    def summary(self):
        """The active filters in a few words, for the page title: "Guo Shengkun, Terrorism, 2013 to 2016"."""
        words = [value for _, value, _, param, _ in self.chips() if param not in ("from", "to")]
        if self.date_from and self.date_to:
            words.append(_("%(first)s to %(last)s") % {"first": self.date_from.label, "last": self.date_to.label})
        elif self.date_from:
            words.append(_("from %(date)s") % {"date": self.date_from.label})
        elif self.date_to:
            words.append(_("to %(date)s") % {"date": self.date_to.label})
        return pgettext("summary", ", ").join(words)

    def chips(self):
        """Active filters as (label, value shown, link that removes it, parameter, raw value)."""
        chips = []
        for param in MULTI:
            for slug in getattr(self, param):
                chips.append((LABELS[param], self.names.get((param, slug), slug), self.without(param, slug), param, slug))
        if self.place:
            chips.append((LABELS["place"], self.names.get(("place", self.place), self.place), self.without("place"), "place",
                          self.place))
        if self.q:
            chips.append((LABELS["q"], f"“{self.q}”", self.without("q"), "q", self.q))
        if self.date_from:
            chips.append((LABELS["from"], self.date_from.label, self.without("from"), "from", self.from_text))
        if self.date_to:
            chips.append((LABELS["to"], self.date_to.label, self.without("to"), "to", self.to_text))
        return chips

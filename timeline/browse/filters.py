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
from django.utils.translation import pgettext

from timeline.browse import index
from timeline.browse.params import BY_NAME, CHOSEN, LABELS, NAMED, PARAMS, REPEATED
from timeline.domain import dates
from timeline.domain.bilingual import text
from timeline.domain.words import HAN, WORDS

MAX_VALUES = 20  # of one parameter
MAX_Q = 200  # characters
MAX_WORDS = 10
MAX_HAN = 30  # Chinese characters, which have no spaces between words
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})_(\d{1,18})$")


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
    pks: dict = field(default_factory=dict, compare=False)  # (param, slug) → primary key, for the event index

    @classmethod
    def parse(cls, query):
        errors, values = {}, {}
        for param in REPEATED:
            raw = [v.strip() for v in query.getlist(param) if v.strip()]
            if len(raw) > MAX_VALUES:
                errors[param] = _("Choose at most %(n)d values for %(label)s.") % {
                    "n": MAX_VALUES,
                    "label": LABELS[param],
                }
                raw = raw[:MAX_VALUES]
            values[param] = tuple(sorted(set(raw)))  # a set: in one order, so one page (and cache key) for it
        for param in (p for p in PARAMS if p.one_at_a_time):
            raw = [v.strip() for v in query.getlist(param.name) if v.strip()]
            if len(raw) > 1:
                errors[param.name] = str(param.one_at_a_time)
            values[param.name] = raw[0] if raw else ""

        # Control characters are no search words, and XML (the feed's title) cannot carry them.
        q = " ".join(_CONTROL.sub(" ", query.get("q", "")).split())
        if len(q) > MAX_Q:
            errors["q"] = _("Search for at most %(n)d characters.") % {"n": MAX_Q}
            q = ""
        elif len(WORDS.findall(q)) > MAX_WORDS:
            errors["q"] = _("Search for at most %(n)d words.") % {"n": MAX_WORDS}
            q = ""
        elif len(re.findall(f"[{HAN}]", q)) > MAX_HAN:
            # Each character is one more pair to look up (domain/words.py): bounded like the words.
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
            errors["to"] = _("“%(to)s” is before “%(from)s”.") % {
                "to": query["to"].strip(),
                "from": query["from"].strip(),
            }
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
        over_limit = any(p in errors for p in ("q", *REPEATED))
        filters = cls(
            over_limit=over_limit,
            **values,
            q=q,
            from_text=query.get("from", "").strip()[:100],
            to_text=query.get("to", "").strip()[:100],
            date_from=when["from"],
            date_to=when["to"],
            order=order,
            cursor=cursor,
            errors=errors,
        )
        return filters._checked()

    def _checked(self):
        """Drop slugs that name nothing and learn the names of the rest, from the event index."""
        errors, names, pks, kept = dict(self.errors), {}, {}, {}
        chosen = {param: self.values_of(param) for param in NAMED}
        # Only what a published event names (the index's options): a name known only from drafts stays unknown.
        slugs = index.current().slugs if any(chosen.values()) else {}
        for param in NAMED:
            known = {slug: slugs[param][slug] for slug in chosen[param] if slug in slugs[param]}
            unknown = [slug for slug in chosen[param] if slug not in known]
            if unknown:
                shown = pgettext("list", ", ").join(f"“{slug[:40]}”" for slug in unknown[:3])
                errors[param] = BY_NAME[param].unknown % {"names": shown}
            kept[param] = tuple(slug for slug in chosen[param] if slug in known)
            names.update({(param, slug): text(*both) for slug, (_, both) in known.items()})
            pks.update({(param, slug): pk for slug, (pk, _) in known.items()})
        for param in CHOSEN:
            labels = {value: str(label) for value, label in param.choices.choices}  # in the request's language
            unknown = [value for value in getattr(self, param.name) if value not in labels]
            if unknown:
                errors[param.name] = param.unknown % {"value": unknown[0][:40]}
            kept[param.name] = tuple(value for value in getattr(self, param.name) if value in labels)
            names.update({(param.name, value): labels[value] for value in kept[param.name]})
        for param in NAMED:
            if not BY_NAME[param].repeated:
                kept[param] = kept[param][0] if kept[param] else ""
        return replace(self, **kept, errors=errors, names=names, pks=pks)

    def values_of(self, param):
        """A parameter's values as a tuple, whether it takes several or one."""
        value = getattr(self, BY_NAME[param].attribute)
        return value if isinstance(value, tuple) else (value,) if value else ()

    # --- writing back --------------------------------------------------------

    def params(self, **changes):
        """The canonical query as (name, value) pairs; `changes` replaces parameters."""
        values = {param.name: getattr(self, param.attribute) for param in PARAMS}
        values.update(
            {
                "from": self.from_text if self.date_from else "",
                "to": self.to_text if self.date_to else "",
                "order": "" if self.order == "asc" else self.order,
                "cursor": "",
            }
        )
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
        current = getattr(self, param) if param in REPEATED else None
        if current is not None and value is not None:
            return self.querystring(**{param: tuple(v for v in current if v != value)})
        return self.querystring(**{param: ""})

    def is_empty(self):
        return not self.params(order="")

    def summary(self):
        """The active filters in a few words, for the page title: "Guo Shengkun, Terrorism, 2013 to 2016"."""
        words = [value for _, value, _, param, _ in self.chips() if param not in ("from", "to")]
        if self.date_from and self.date_to and self.date_from.label == self.date_to.label:
            words.append(self.date_from.label)  # one year clicked on the axis: "2015", not "2015 to 2015"
        elif self.date_from and self.date_to:
            words.append(_("%(first)s to %(last)s") % {"first": self.date_from.label, "last": self.date_to.label})
        elif self.date_from:
            words.append(_("from %(date)s") % {"date": self.date_from.label})
        elif self.date_to:
            words.append(_("to %(date)s") % {"date": self.date_to.label})
        return pgettext("summary", ", ").join(words)

    def chips(self):
        """Active filters as (label, value shown, link that removes it, parameter, raw value)."""
        chips = []
        for param in (*REPEATED, *(p.name for p in PARAMS if p.one_at_a_time)):
            for slug in self.values_of(param):
                link = self.without(param, slug) if param in REPEATED else self.without(param)
                chips.append((LABELS[param], self.names.get((param, slug), slug), link, param, slug))
        if self.q:
            chips.append((LABELS["q"], f"“{self.q}”", self.without("q"), "q", self.q))
        if self.date_from:
            chips.append((LABELS["from"], self.date_from.label, self.without("from"), "from", self.from_text))
        if self.date_to:
            chips.append((LABELS["to"], self.date_to.label, self.without("to"), "to", self.to_text))
        return chips

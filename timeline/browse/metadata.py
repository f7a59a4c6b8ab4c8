"""What pages say about themselves to machines: schema.org JSON-LD for an event, and the short
descriptions of Open Graph and Twitter cards.

Structured data has no room for the hedges the pages write ("by", "before", "2015?", "(inferred)"),
so it states only what holds without them and leaves the rest to the page itself.
"""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from timeline.domain import dates
from timeline.domain.bilingual import chinese, local, text
from timeline.domain.chronology import FIRST, LAST

SITE_NAME = gettext_lazy("China–INTERPOL cooperation")
_DEFAULT_DESCRIPTION = gettext_lazy(
    "A sourced chronology of cooperation between China and INTERPOL, %(first_year)s–%(last_year)s."
)
YEARS = {"first_year": FIRST, "last_year": LAST}  # the chronology's span, in the messages that name it


def default_description():
    return _DEFAULT_DESCRIPTION % YEARS


DESCRIPTION_LENGTH = 200  # characters: what card previews show before they cut

# Qualifiers under which the stored period is where the event is, so that its start (and a range's end)
# at its precision is a true statement: exact, "c." (the sources' own estimate, already no finer than they
# give it), a part of a year ("late 2014" is in "2014") and an open end ("1984 onwards" starts in 1984).
# Bounds ("by", "before", "after") say only when it happened at the latest or the earliest, and "2015?" may be
# wrong altogether: schema.org has no way to say either, so those events carry no date at all.
STATED = ("", dates.APPROXIMATE, dates.EARLY, dates.MID, dates.LATE, dates.ONWARDS)
# The one status schema.org has for an event announced and not called off; it has none for "took place".
SCHEDULED = "https://schema.org/EventScheduled"

# As Django's json_script: inside <script> these would let text end the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def shorten(text, limit=DESCRIPTION_LENGTH):
    """`text` on one line, cut on a word to at most `limit` characters, an ellipsis where it was cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # not in the middle of a word
    return cut.rstrip(" ,;:–—-") + "…"


def schema_dates(when):
    """startDate, and endDate for a range, as ISO 8601 cut to the known precision ("2014", "2013-10",
    "2017-09-26"); nothing where the record only bounds or doubts the date (see STATED).

    A single period (a day, a month, a year) gives no endDate: its startDate already names the period.
    """
    if when is None or when.qualifier not in STATED:
        return {}
    found = {"startDate": when.datetime_start}
    if when.is_range:
        found["endDate"] = when.datetime_end
    return found


def to_script(data):
    """JSON for a <script type="application/ld+json"> element: nothing in it can end the element."""
    # A value a line: closing braces never meet as "}}", which reads as leaked template syntax
    # (test_views.test_no_template_syntax_leaks_into_pages).
    return json.dumps(data, ensure_ascii=False, indent=0).translate(_SCRIPT_ESCAPES)


def event_data(event, absolute):
    """The event page as schema.org JSON-LD: the Event, and the page that tells it citing its sources.

    `absolute` turns a path into an absolute URL (request.build_absolute_uri). schema.org has `citation` on
    creative works only, not on events: the citations belong to our page (an ItemPage whose main entity is
    the event), which is also what they are, our account's sources. Uses the details queries.with_details
    prefetches; no query of its own.
    """
    url = absolute(event.get_absolute_url())
    title = str(local(event, "title"))
    node = {"@type": "Event", "@id": f"{url}#event", "name": title, "url": url, **schema_dates(event.when)}
    if event.summary:
        node["description"] = str(local(event, "summary"))
    if event.planned:
        # The sources announce or expect it. Past events get no status: "scheduled" would say less than
        # that it happened, and schema.org has no status for that.
        node["eventStatus"] = SCHEDULED
    if event.place:
        node["location"] = _place(event.place)
    if people := _people(event, absolute):
        # The people who act in it (speak, meet, visit, are elected): schema.org's Event has no plainer
        # "participant"; `about` would say the event is about them.
        node["performer"] = people
    if crimes := event.crime_types.all():
        node["about"] = [
            {"@type": "Thing", "name": str(local(c, "name")), "url": absolute(c.get_absolute_url())} for c in crimes
        ]
    page = {
        "@type": "ItemPage",
        "@id": url,
        "url": url,
        "name": title,
        "mainEntity": {"@id": node["@id"]},
        "isPartOf": {"@type": "WebSite", "name": str(SITE_NAME), "url": absolute("/")},
    }
    if works := [_work(source) for source, _ in event.told_by()]:
        page["citation"] = works
    return {"@context": "https://schema.org", "@graph": [node, page]}


def _place(place):
    found = {"@type": "Place", "name": str(text(place.name, place.name_zh))}
    if place.country:
        found["address"] = {
            "@type": "PostalAddress",
            "addressCountry": place.country_zh if chinese() and place.country_zh else place.country,
        }
    return found


def _people(event, absolute):
    """One Person per person, with the role(s) they held at the time of this event as jobTitle."""
    roles = {}
    for involvement in event.involvements.all():
        roles.setdefault(involvement.person, []).extend([str(local(involvement, "role"))] if involvement.role else [])
    people = []
    for person, held in roles.items():
        name = str(local(person, "name"))
        found = {"@type": "Person", "name": name, "url": absolute(person.get_absolute_url())}
        if other := {person.name, person.name_zh} - {name, ""}:
            found["alternateName"] = other.pop()
        if held:
            found["jobTitle"] = held[0] if len(held) == 1 else held
        people.append(found)
    return people


def _work(source):
    """A cited source as a CreativeWork: the original's address, publisher and date where the document
    states them. What we inferred is marked "(inferred)" on the pages; here it could not be, so it is left out.
    """
    work = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        work["url"] = source.url
    if source.publisher and not source.publisher_inferred:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    published = source.published
    if published and not source.date_inferred and not published.is_range:
        if date := schema_dates(published).get("startDate"):
            work["datePublished"] = date
    return work


# --- descriptions for cards ---------------------------------------------------------------------------------


def browse_description(count, filters, person=None, crime=None):
    """The timeline, a person's or a crime type's page, under the reader's filters."""
    narrowed = filters.summary()
    values = {"n": f"{count:,}", **YEARS}
    if person:
        first, second = (person.name_zh, person.name) if chinese() else (person.name, person.name_zh)
        values["name"] = (
            (_("%(name)s (%(other)s)") % {"name": first, "other": second}) if first and second else person.name
        )
        text = (
            ngettext(
                "%(n)s event naming %(name)s in a sourced chronology of cooperation between China and "
                "INTERPOL, %(first_year)s–%(last_year)s",
                "%(n)s events naming %(name)s in a sourced chronology of cooperation "
                "between China and INTERPOL, %(first_year)s–%(last_year)s",
                count,
            )
            % values
        )
    elif crime:
        values["name"] = local(crime, "name") if chinese() else crime.name.lower()
        text = (
            ngettext(
                "%(n)s event concerning %(name)s in a sourced chronology of cooperation between China and "
                "INTERPOL, %(first_year)s–%(last_year)s",
                "%(n)s events concerning %(name)s in a sourced chronology of "
                "cooperation between China and INTERPOL, %(first_year)s–%(last_year)s",
                count,
            )
            % values
        )
    else:
        text = (
            ngettext(
                "%(n)s event in a sourced chronology of cooperation between China and INTERPOL, %(first_year)s–%(last_year)s",
                "%(n)s events in a sourced chronology of cooperation between China and INTERPOL, %(first_year)s–%(last_year)s",
                count,
            )
            % values
        )
    # Sentence endings of their own: the first sentence reads on after a comma in English.
    text += (
        _(". Filters: %(filters)s.") % {"filters": narrowed}
        if narrowed
        else _(", each with the sources that report it.")
    )
    return shorten(text)


def source_description(source, n_events):
    """What the source page says: the document, and how many events cite it. In words, so hedged as the page."""
    parts = [source.title_zh if chinese() and source.title_zh else source.title]
    if source.publisher:
        parts.append(source.publisher + (" " + _("(inferred)") if source.publisher_inferred else ""))
    if source.published:
        parts.append(source.published.label + (" " + _("(date inferred)") if source.date_inferred else ""))
    return shorten(
        ngettext(
            "%(source)s: cited by %(n)s event of the China–INTERPOL chronology.",
            "%(source)s: cited by %(n)s events of the China–INTERPOL chronology.",
            n_events,
        )
        % {"source": ", ".join(parts), "n": f"{n_events:,}"}
    )


def sources_description(n_sources):
    return shorten(
        ngettext(
            "The %(n)s document cited by a sourced chronology of cooperation between China and INTERPOL, %(first_year)s–%(last_year)s: "
            "who published it, when, where the original is, and how many events cite it.",
            "The %(n)s documents cited by a sourced chronology of cooperation between China and INTERPOL, %(first_year)s–%(last_year)s: "
            "who published each, when, where the original is, and how many events cite it.",
            n_sources,
        )
        % {"n": f"{n_sources:,}", **YEARS}
    )

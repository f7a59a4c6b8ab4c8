"""The reader's view leaving the page: CSV for spreadsheets, iCalendar for calendars, TimelineJS's JSON.

Each serves the same filtered view as the page (Filters.parse: same
parameters, same 400s, same order), every matching event rather than one page,
streamed a keyset batch at a time (queries.every), so 100,000 events never sit
in memory and the first bytes leave at once.
"""

import csv
import datetime as dt
import html
import json
from functools import partial, wraps
from itertools import chain

import icalendar
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

from timeline.browse import queries
from timeline.browse.caching import conditional
from timeline.browse.filters import Filters
from timeline.browse.metadata import SITE_NAME
from timeline.domain.chronology import FIRST, LAST
from timeline.domain.dates import AFTER, BEFORE, BY, ONWARDS, PARTS_OF_YEAR, UNCERTAIN

CSV_COLUMNS = (
    "slug",
    "title",
    "kind",
    "stage",
    "china",
    "start",
    "end",
    "precision",
    "display_date",
    "edtf",
    "place",
    "country",
    "people",
    "crime_types",
    "summary",
    "url",
    "sources",
    "source_urls",
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def refused(filters, reason):
    """A view the page would refuse or correct, refused with the reasons, as plain text."""
    lines = "".join(f"- {param}: {message}\n" for param, message in filters.errors.items())
    return HttpResponse(f"{reason}:\n{lines}", status=400, content_type="text/plain; charset=utf-8")


def _exported(view, cross_origin=False):
    """Parse the filters once and refuse what the page would refuse; HEAD gets the headers without the work.

    `cross_origin`: JSON for other sites' scripts (TimelineJS fetches it from the reader's browser): public data,
    no credentials, so any origin may read it, its refusals too, so that the other site sees why.
    """

    @require_safe
    @conditional
    @wraps(view)
    def wrapper(request):
        filters = Filters.parse(request.GET)
        if not filters.errors:
            response = view(request, filters)
            if request.method == "HEAD":
                response.streaming_content = ()  # the servers would otherwise make and drop every row
        elif cross_origin:
            response = JsonResponse({"errors": filters.errors}, status=400, json_dumps_params={"ensure_ascii": False})
        else:
            response = refused(filters, "This view cannot be exported")
        # The pages are what search engines should list; an export repeats one, at length.
        response["X-Robots-Tag"] = "noindex"
        if cross_origin:
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def view_title(filters):
    """The view's name, for a calendar, a feed or a TimelineJS title slide."""
    summary = filters.summary()
    return f"{SITE_NAME}: {summary}" if summary else f"{SITE_NAME}, {FIRST}–{LAST}"


def _filename(filters, extension):
    return f"china-interpol{'-filtered' if not filters.is_empty() else ''}.{extension}"


# CSV


def _safe(value):
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_row(event, url):
    place = event.place
    sources = [source for source, _ in event.told_by()]  # each once, in citation order
    row = (
        event.slug,
        event.title,
        event.kind,
        event.stage,
        event.china,
        event.start.isoformat(),
        event.end.isoformat(),
        event.precision,
        event.when.label,
        event.when.edtf,
        place.name if place else "",
        place.country if place else "",
        "; ".join(f"{i.person.name} ({i.role})" if i.role else i.person.name for i in event.involvements.all()),
        "; ".join(c.name for c in event.crime_types.all()),
        event.summary,
        url(event.get_absolute_url()),
        "; ".join(s.title for s in sources),
        " ".join(s.url for s in sources if s.url),
    )
    return [_safe(value) for value in row]


class _Line:
    """csv.writer writes to this and gets the line back, for streaming."""

    def write(self, value):
        return value


@_exported
def events_csv(request, filters):
    writer = csv.writer(_Line())
    rows = (writer.writerow(_csv_row(e, request.build_absolute_uri)) for e in queries.every(filters))
    # A byte-order mark: spreadsheets then read the file as UTF-8 (王小洪, “quotes”) without asking.
    head = ["\ufeff" + writer.writerow(CSV_COLUMNS)]
    response = StreamingHttpResponse(chain(head, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(filters, "csv")}"'
    return response


# iCalendar

ONE_DAY = dt.timedelta(days=1)


def _calendar_note(event):
    """What the calendar's all-day dates mean where they are not simply the days it happened."""
    when = event.when
    note = f"Date: {when.label}."
    if when.qualifier in (BEFORE, BY):
        return note + " The sources give only this bound: the calendar shows the latest day it allows."
    if when.qualifier == AFTER:
        return note + " The sources give only this bound: the calendar shows the earliest day it allows."
    if when.qualifier in PARTS_OF_YEAR:
        return (
            note + f" The sources give only a part of the year: the calendar spans {event.start:%B}–{event.end:%B %Y}."
        )
    if when.precision != "day":
        whole = f"{when.precision}s" if when.is_range else when.precision
        note += f" Known only to the {when.precision}: the calendar spans the whole {whole}, not exact days."
    if when.qualifier == ONWARDS:
        note += " It went on after that; the sources give no end."
    elif when.qualifier == UNCERTAIN:
        note += " The sources are unsure of this date."
    elif when.is_approximate:
        note += " The date is approximate."
    return note


def _vevent(event, request):
    url = request.build_absolute_uri(event.get_absolute_url())
    item = icalendar.Event()
    # Stable: the event's key never changes, whatever its title, its slug or the site's host name becomes.
    item.add("uid", f"event-{event.pk}@china-interpol-chronology")
    item.add("dtstamp", event.updated)
    item.add("last-modified", event.updated)
    item.add("summary", event.title)
    item.add("dtstart", event.start)
    item.add("dtend", event.end + ONE_DAY)  # all-day events end the day after (RFC 5545)
    item.add("status", "TENTATIVE" if event.planned else "CONFIRMED")
    item.add("transp", "TRANSPARENT")
    item.add("url", url, parameters={"VALUE": "URI"})
    if event.place:
        item.add("location", str(event.place))
    item.add("categories", [event.get_kind_display()])
    sources = "; ".join(source.title for source, _ in event.told_by())
    planned = f"Planned: {event.PLANNED_NOTE}\n\n" if event.planned else ""
    item.add("description", f"{planned}{event.summary}\n\n{_calendar_note(event)}\nSources: {sources}.\n{url}")
    return item.to_ical().decode()


@_exported
def events_ics(request, filters):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//China-INTERPOL chronology//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # As text values: icalendar writes an X- property raw unless told, and a title's commas need escaping.
    calendar.add("x-wr-calname", icalendar.vText(view_title(filters)))
    calendar.add("x-wr-caldesc", icalendar.vText("A sourced chronology of cooperation between China and INTERPOL."))
    # The calendar's opening and closing lines around its events, made one by one.
    opening, closing = calendar.to_ical().decode().rsplit("END:VCALENDAR", 1)
    events = (_vevent(e, request) for e in queries.every(filters))
    response = StreamingHttpResponse(
        chain([opening], events, ["END:VCALENDAR" + closing]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(filters, "ics")}"'
    return response


# TimelineJS (Knight Lab's TimelineJS3 JSON: https://timeline.knightlab.com/docs/json-format.html)


def _tl_date(day, precision):
    date = {"year": day.year}
    if precision in ("month", "day"):
        date["month"] = day.month
    if precision == "day":
        date["day"] = day.day
    return date


def _headline(text):
    # HTML, but quotes left as they are: TimelineJS also puts the raw headline in its buttons' aria-labels.
    return html.escape(text, quote=False)


def _slide(event, request):
    when = event.when
    url = request.build_absolute_uri(event.get_absolute_url())
    sources = format_html_join(", ", "{}", ((source.title,) for source, _ in event.told_by()))
    text = format_html(
        '<p>{}</p><p>Sources: {}. <a href="{}">The event, its sources and quotations</a></p>',
        event.summary,
        sources,
        url,
    )
    if event.planned:
        text = format_html("<p><strong>Planned</strong>: {}</p>{}", event.PLANNED_NOTE, text)
    # "late 2014" starts in September, not on 1 January; a range's bar runs to its last day.
    precision = "month" if when.qualifier in PARTS_OF_YEAR else event.precision
    slide = {
        "unique_id": event.slug,
        "start_date": _tl_date(event.start, precision),
        "display_date": when.label,
        "text": {"headline": _headline(event.title), "text": text},
        "group": event.get_kind_display(),
    }
    if when.is_range:
        slide["end_date"] = _tl_date(event.end, "day")
    return slide


@partial(_exported, cross_origin=True)
def timelinejs(request, filters):
    title = {
        "text": {
            "headline": _headline(view_title(filters)),
            "text": format_html(
                '<p>A sourced chronology: every event cites its sources. <a href="{}">See this view on the site</a>.</p>',
                request.build_absolute_uri(reverse("timeline") + filters.querystring()),
            ),
        }
    }
    slides = (json.dumps(_slide(e, request), ensure_ascii=False) for e in queries.every(filters))
    parts = chain([f'{{"title": {json.dumps(title, ensure_ascii=False)}, "events": ['], _separated(slides), ["]}"])
    return StreamingHttpResponse(parts, content_type="application/json")


def _separated(items):
    for i, item in enumerate(items):
        yield ("," if i else "") + item

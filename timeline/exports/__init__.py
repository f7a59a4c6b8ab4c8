"""The ways a reader's view leaves the page, registered once (as Datasette registers its renderers).

`urls.py` routes each format; the timeline's download links and each page's <link rel="alternate"> list
them (browse.views._downloads); robots.txt keeps crawlers off those that repeat the pages at length; and
`make bench-exports` times each (its row counter: bench/streams.py). A new format is a view in this package
and one `Format` here. Declarations only: nothing here imports the views, so the pages may read the list.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Format:
    key: str  # short name, as the export benchmark reports it
    label: str  # the download link's text (a format's own name, the same in every language)
    path: str  # its address, without the language prefix
    url_name: str
    view: str  # dotted path of the view, imported by urls.py
    streamed: bool  # every matching event, a batch at a time; else one page or the newest entries
    crawled: bool  # search engines may fetch it: a page of JSON or the feed, not a whole export
    query: str = "export"  # the link's query: "export" (in English) or "json" (the page's language)
    media_type: str = ""  # announced in each page's head (<link rel="alternate">) when given
    alternate_title: str = ""


FORMATS = (
    Format(
        "csv",
        "CSV",
        "events.csv",
        "events_csv",
        "timeline.exports.formats.events_csv",
        True,
        False,
        media_type="text/csv",
        alternate_title=gettext_lazy("This view as CSV"),
    ),
    Format(
        "ics",
        "iCalendar",
        "events.ics",
        "events_ics",
        "timeline.exports.formats.events_ics",
        True,
        False,
        media_type="text/calendar",
        alternate_title=gettext_lazy("This view as iCalendar"),
    ),
    Format(
        "json",
        "JSON",
        "events.json",
        "events_json",
        "timeline.exports.json.events_json",
        False,
        True,
        "json",
        media_type="application/json",
        alternate_title=gettext_lazy("This view as JSON"),
    ),
    Format(
        "timelinejs", "TimelineJS", "timelinejs.json", "timelinejs", "timeline.exports.formats.timelinejs", True, False
    ),
    Format(
        "feed",
        "Feed",
        "feed/",
        "feed",
        "timeline.exports.feed.feed",
        False,
        True,
        media_type="application/atom+xml",
        alternate_title=gettext_lazy("This view as an Atom feed"),
    ),
)

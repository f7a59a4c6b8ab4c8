"""The ways a reader's view leaves the page, registered once (as Datasette registers its renderers).

`urls.py` routes each format, the timeline's download links list them (context_processors), robots.txt
keeps crawlers off those that repeat the pages at length, and `make bench-exports` times each. A new
format is a view in this package and one `Format` here. Declarations only: nothing here imports the views,
so the pages may read the list.
"""

from dataclasses import dataclass


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


FORMATS = (
    Format("csv", "CSV", "events.csv", "events_csv", "timeline.exports.formats.events_csv", True, False),
    Format("ics", "iCalendar", "events.ics", "events_ics", "timeline.exports.formats.events_ics", True, False),
    Format("json", "JSON", "events.json", "events_json", "timeline.exports.json.events_json", False, True, "json"),
    Format(
        "timelinejs", "TimelineJS", "timelinejs.json", "timelinejs", "timeline.exports.formats.timelinejs", True, False
    ),
    Format("feed", "Feed", "feed/", "feed", "timeline.exports.feed.feed", False, True),
)

"""An Atom feed of the reader's view: the newest additions and corrections first.

The same filters as the page (`/feed/?person=meng-hongwei` follows one
person); a feed reader polls it, so it holds the latest entries, not the
whole view (the CSV and iCalendar exports have that).
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from timeline.browse import queries
from timeline.browse.caching import versioned
from timeline.browse.filters import Filters
from timeline.browse.metadata import SITE_NAME
from timeline.domain.chronology import FIRST, LAST
from timeline.exports.formats import refused, view_title

ENTRIES = 50


class EventsFeed(Feed):
    feed_type = Atom1Feed
    author_name = SITE_NAME
    subtitle = (
        f"A sourced chronology of cooperation between China and INTERPOL, {FIRST}–{LAST}: events as they are "
        "added or corrected."
    )

    def get_object(self, request):
        return request.filters  # parsed and checked by feed()

    def title(self, filters):
        return view_title(filters)

    def link(self, filters):
        return reverse("timeline") + filters.querystring()

    def feed_url(self, filters):
        return reverse("feed") + filters.querystring()

    def items(self, filters):
        # Newest change first; the id breaks ties so the order is stable.
        events = queries.matching(filters).order_by("-updated", "-id")
        return queries.with_details(events)[:ENTRIES]

    def item_title(self, event):
        return f"{event.when.label}: {event.title}"

    def item_description(self, event):
        planned = f"Planned: {event.PLANNED_NOTE} " if event.planned else ""
        sources = "; ".join(source.title for source, _ in event.told_by())
        # Atom1Feed declares the summary HTML: our plain text, escaped.
        return escape(f"{planned}{event.summary} Sources: {sources}.")

    def item_pubdate(self, event):
        return event.created

    def item_updateddate(self, event):
        return event.updated

    def item_categories(self, event):
        return [event.get_kind_display(), *(c.name for c in event.crime_types.all())]

    def item_guid(self, event):
        # The entry's id stays the same when the event is corrected or its slug changes.
        return f"tag:china-interpol-chronology,2024:event-{event.pk}"

    item_guid_is_permalink = False


_feed = EventsFeed()


@require_safe
@versioned
def feed(request):
    request.filters = Filters.parse(request.GET)
    if request.filters.errors:
        return refused(request.filters, "This view has no feed")
    return _feed(request)

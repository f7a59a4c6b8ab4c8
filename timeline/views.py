from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from timeline.models import Citation, Event, Involvement


def _with_details(events):
    """Everything an event card shows, in a fixed number of queries."""
    return events.select_related("place").prefetch_related(
        Prefetch("involvements", queryset=Involvement.objects.select_related("person")),
        "crime_types",
        Prefetch("citations", queryset=Citation.objects.select_related("source")),
    )


@require_GET
def timeline(request):
    events = _with_details(Event.objects.published())
    return render(request, "timeline/index.html", {"events": events})


@require_GET
def event_detail(request, slug):
    event = get_object_or_404(_with_details(Event.objects.published()), slug=slug)
    return render(request, "timeline/event_detail.html", {"event": event})

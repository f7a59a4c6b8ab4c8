from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from timeline import queries
from timeline.caching import cached, versioned
from timeline.filters import Filters
from timeline.models import CrimeType, Event, Involvement, Person


def _browse(request, template, context, base=None, carry=None):
    """The timeline under the request's filters: the whole page, or for htmx only what changed.

    `carry` adds the page's own subject (a person, a crime type) to the query
    that event links carry, so the event page can lead back to this view.
    """
    htmx = request.htmx and not request.htmx.history_restore_request
    pairs = [(key, value) for key, values in request.GET.lists() for value in values]
    kept = [(key, value) for key, value in pairs if value.strip() and (key, value) != ("order", "asc")]
    if not htmx and len(kept) < len(pairs):
        # A form sent without JavaScript names every field, empty or not: "?q=&from=&to=&order=asc".
        return HttpResponseRedirect(request.path + ("?" + urlencode(kept) if kept else ""))
    filters = Filters.parse(request.GET)
    # Facets do not depend on the page or the order: one computation serves them all.
    listed = cached("options", request, "", queries.options)
    facets = cached("facets", request, request.path + filters.querystring(order=""),
                    lambda: queries.facets(filters, base, listed))
    carried = filters.querystring(**(carry or {}))
    context = {**context, "filters": filters, "page": queries.page(filters, base), "facets": facets,
               "carry": carried, "appending": htmx and filters.cursor is not None}
    status = 400 if filters.over_limit else 200
    if not htmx:
        return render(request, template, context, status=status)
    if filters.cursor:
        # Infinite scroll: the next page only, appended where the "More" link was.
        return render(request, "timeline/_browse.html#page", context, status=status)
    response = render(request, "timeline/_browse.html#update", context, status=status)
    response["HX-Push-Url"] = request.path + filters.querystring()
    return response


@require_safe
@versioned
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def timeline(request):
    return _browse(request, "timeline/index.html", {})


@require_safe
@versioned
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def person_detail(request, slug):
    person = get_object_or_404(Person.objects.prefetch_related("aliases"), slug=slug)
    base = Event.objects.published().filter(pk__in=Involvement.objects.filter(person=person).values("event_id"))
    if not base.exists():
        raise Http404("No published event names this person.")
    return _browse(request, "timeline/person.html", {"person": person, "subject": person.name}, base, {"person": (person.slug,)})


@require_safe
@versioned
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def crime_detail(request, slug):
    crime = get_object_or_404(CrimeType, slug=slug)
    return _browse(request, "timeline/crime.html", {"crime": crime, "subject": crime.name},
                   Event.objects.published().filter(crime_types=crime),
                   {"crime": (crime.slug,)})


@require_safe
@versioned
def events_json(request):
    filters = Filters.parse(request.GET)
    if filters.errors:
        return JsonResponse({"errors": filters.errors}, status=400)
    page = queries.page(filters)
    next_url = None
    if page.next_cursor:
        # Relative: the cached response is the same whatever host or scheme asked.
        next_url = reverse("events_json") + filters.querystring(cursor=page.next_cursor)
    return JsonResponse({"count": page.count, "events": [_event_json(e) for e in page.events], "next": next_url},
                        json_dumps_params={"ensure_ascii": False})


def _event_json(event):
    when = event.when
    return {
        "slug": event.slug, "title": event.title, "kind": event.kind,
        "start": event.start.isoformat(), "end": event.end.isoformat(), "precision": event.precision,
        "display_date": when.label, "edtf": when.edtf,
        "place": {"name": event.place.name, "country": event.place.country} if event.place else None,
        "people": [{"name": i.person.name, "slug": i.person.slug, "role": i.role} for i in event.involvements.all()],
        "crime_types": [{"name": c.name, "slug": c.slug} for c in event.crime_types.all()],
        "summary": event.summary,
        "url": event.get_absolute_url(),
        "citations": [
            {"source": c.source.title, "publisher": c.source.publisher or None,
             "published": c.source.published.edtf if c.source.published else None,
             "url": c.source.url or None, "excerpt": c.excerpt}
            for c in event.citations.all()
        ],
    }


@require_safe
@versioned
def event_detail(request, slug):
    # Staff may preview drafts ("View on site" in admin); readers never see them.
    events = Event.objects.all() if request.user.is_staff else Event.objects.published()
    event = get_object_or_404(queries.with_details(events), slug=slug)
    # The reader's view comes along in the query: the way back, and previous and next in it.
    filters = Filters.parse(request.GET)
    previous, following = queries.neighbours(event, filters)
    return render(request, "timeline/event_detail.html", {
        "event": event, "related": queries.related(event), "filters": filters, "carry": filters.querystring(),
        "previous": previous, "next": following,
    })

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from timeline.browse import connections, queries
from timeline.browse.caching import cached, versioned
from timeline.browse.filters import Cursor, Filters
from timeline.browse.params import PARAMS
from timeline.domain.bilingual import chinese, local
from timeline.domain.source_texts import position, text_of
from timeline.exports import FORMATS
from timeline.models import Citation, CrimeType, Event, FormerSlug, Involvement, Person, Source

# The last value counts, as Filters reads them; the others keep every value (a set, or "one at a time").
LAST_COUNTS = tuple(param.name for param in PARAMS if not (param.repeated or param.one_at_a_time))


def _browse(request, template, context, subject=None):
    """The timeline under the request's filters: the whole page, or for htmx only what changed.

    `subject` narrows it to a person's or a crime type's events (their pages).
    """
    htmx = request.htmx and not request.htmx.history_restore_request
    pairs = [
        (key, value) for key, values in request.GET.lists() for value in (values[-1:] if key in LAST_COUNTS else values)
    ]
    kept = [(key, value) for key, value in pairs if value.strip() and (key, value) != ("order", "asc")]
    if not htmx and len(kept) < sum(len(values) for _, values in request.GET.lists()):
        # A form sent without JavaScript names every field, empty or not: "?q=&from=&to=&order=asc".
        return HttpResponseRedirect(request.path + ("?" + urlencode(kept) if kept else ""))
    filters = Filters.parse(request.GET)
    within = (subject.param, subject.pk) if subject else None
    # Facets do not depend on the page or the order: one computation serves them all.
    facets = cached(
        "facets", request, request.path + filters.querystring(order=""), lambda: queries.facets(filters, within)
    )
    page = queries.page(filters, within)
    export_query = json_query = _export_query(filters, subject)
    if export_query is not None and chinese():  # the JSON in the page's language; the other exports are English
        json_query = f"{export_query}&lang=zh-hans" if export_query else "?lang=zh-hans"
    context = {
        **context,
        "filters": filters,
        "page": page,
        "facets": facets,
        "subject": subject,
        "sections": queries.sections(page.events, filters, facets["axis"].years),
        # Event links carry the view, so the event page can lead back to it.
        "carry": filters.querystring(via=subject.via if subject else ""),
        "export_query": export_query,
        "json_query": json_query,
        "downloads": _downloads(export_query, json_query),
        "appending": htmx and filters.cursor is not None,
    }
    if not htmx:
        return render(request, template, context, status=400 if filters.over_limit else 200)
    # htmx swaps only 2xx responses: a request too large to run shows its reason as an update.
    if filters.cursor:
        # Infinite scroll: the next page only, appended where the "More" link was.
        return render(request, "timeline/_browse.html#page", context)
    response = render(request, "timeline/_browse.html#update", context)
    response["HX-Push-Url"] = request.path + filters.querystring()
    return response


@dataclass(frozen=True)
class Download:
    label: str
    href: str
    nofollow: bool  # an export robots.txt closes: crawlers are not led to it
    media_type: str  # announced in the page's head when given
    title: str


def _downloads(export_query, json_query):
    """The view's link in every registered format (timeline/exports): JSON in the page's language."""
    if export_query is None:
        return []
    return [
        Download(
            f.label,
            reverse(f.url_name) + (json_query if f.query == "json" else export_query),
            not f.crawled,
            f.media_type,
            f.alternate_title,
        )
        for f in FORMATS
    ]


def _export_query(filters, subject):
    """The query of /events.json and the exports for the same view, or None where they cannot say it.

    On a person's page a person filter narrows to events naming both; in
    /events.json and the exports several people mean any of them.
    """
    if subject is None:
        return filters.querystring()
    if getattr(filters, subject.param):
        return None
    return filters.querystring(**{subject.param: (subject.slug,)})


@dataclass(frozen=True)
class Subject:
    """A person or crime type whose page is the reader's view."""

    param: str
    pk: int
    slug: str
    name: str
    url: str
    events: QuerySet

    @property
    def via(self):
        return f"{self.param}:{self.slug}"


def _person(person):
    events = Event.objects.published().filter(pk__in=Involvement.objects.filter(person=person).values("event_id"))
    return Subject("person", person.pk, person.slug, local(person, "name"), person.get_absolute_url(), events)


def _crime(crime):
    return Subject(
        "crime",
        crime.pk,
        crime.slug,
        local(crime, "name"),
        crime.get_absolute_url(),
        Event.objects.published().filter(crime_types=crime),
    )


def _via(value):
    """The subject an event link came from ("person:meng-hongwei"), or None."""
    kind, _, slug = value.partition(":")
    if kind == "person" and (person := Person.objects.filter(slug=slug[:200]).first()):
        return _person(person)
    if kind == "crime" and (crime := CrimeType.objects.filter(slug=slug[:200]).first()):
        return _crime(crime)
    return None


@require_safe
@versioned
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def timeline(request):
    return _browse(request, "timeline/index.html", {})


@require_safe
@versioned
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def person_detail(request, slug):
    person = Person.objects.prefetch_related("aliases").filter(slug=slug).first()
    if person is None:
        former = get_object_or_404(FormerSlug.objects.select_related("person"), slug=slug)
        url = former.person.get_absolute_url()
        return HttpResponsePermanentRedirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    subject = _person(person)
    if not subject.events.exists():
        raise Http404("No published event names this person.")
    return _browse(request, "timeline/person.html", {"person": person, "roles": connections.roles(person)}, subject)


@require_safe
@versioned
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def crime_detail(request, slug):
    crime = get_object_or_404(CrimeType, slug=slug)
    subject = _crime(crime)
    if not subject.events.exists():
        raise Http404("No published event concerns this crime type.")
    return _browse(request, "timeline/crime.html", {"crime": crime}, subject)


@require_safe
@versioned
def event_detail(request, slug):
    # Staff may preview drafts ("View on site" in admin); readers never see them.
    events = Event.objects.all() if request.user.is_staff else Event.objects.published()
    event = get_object_or_404(queries.with_details(events), slug=slug)
    # The reader's view comes along in the query: its filters, and the page it was on.
    filters = Filters.parse(request.GET)
    subject = _via(request.GET.get("via", ""))
    base = subject.events if subject else None
    previous, following = queries.neighbours(event, filters, base)
    # Back to the page of the list that shows this event: after the one before it, unless that is the first page.
    cursor = ""
    if previous and queries.listed_before(event, filters, base) >= settings.TIMELINE_PAGE_SIZE:
        cursor = Cursor.of(previous)
    back = (
        (subject.url if subject else reverse("timeline")) + filters.querystring(cursor=cursor) + f"#event-{event.slug}"
    )
    return render(
        request,
        "timeline/event_detail.html",
        {
            "event": event,
            "related": connections.related(event),
            "filters": filters,
            "subject": subject,
            "back": back,
            "carry": filters.querystring(via=subject.via if subject else ""),
            "previous": previous,
            "next": following,
        },
    )


@require_safe
@versioned
def source_list(request):
    undated_last = F("published_start").asc(nulls_last=True)
    # How many published events cite each: a subquery per listed source, on the citations' source index.
    n_events = (
        Citation.objects.filter(source=OuterRef("pk"), event__status=Event.Status.PUBLISHED)
        .order_by()
        .values("source")
        .annotate(n=Count("event", distinct=True))
        .values("n")
    )
    sources = Source.objects.cited().annotate(n_events=Subquery(n_events)).order_by(undated_last, "title", "pk")
    page = Paginator(sources, settings.SOURCES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "timeline/source_list.html", {"page": page, "sources": page.object_list})


@require_safe
@versioned
def source_detail(request, slug):
    source = get_object_or_404(Source.objects.cited(), slug=slug)
    citations = Citation.objects.filter(source=source, event__status=Event.Status.PUBLISHED).order_by("id")
    events = Event.objects.filter(pk__in=citations.values("event_id")).prefetch_related(
        Prefetch("citations", queryset=citations, to_attr="from_source")
    )
    # Where we hold the document, its excerpts in the order they come in it, and events by their first excerpt.
    text = text_of(source.seed_file)

    def place(citation):
        at = position(citation.excerpt, text) if text else None
        return (at is None, at or 0, citation.pk)

    listed = []
    for event in events:
        event.from_source.sort(key=place)
        listed.append(event)
    listed.sort(key=lambda e: (place(e.from_source[0]), e.start, e.pk) if text else (e.start, e.end, e.pk))
    return render(
        request, "timeline/source_detail.html", {"source": source, "events": listed, "in_document_order": bool(text)}
    )


@csrf_exempt  # public pages are cached and carry no token; choosing a language changes nothing but that choice
def set_language(request):
    """Django's set_language, reading `next` in the language of its own address: Django reads it in the
    language of this URL, which is the default one, and so could not find a Chinese page's English twin."""
    try:
        next_path = urlsplit(request.POST.get("next", request.GET.get("next", ""))).path
    except ValueError:  # not an address at all ("http://["): Django's own check refuses it
        next_path = ""
    with translation.override(translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE):
        return i18n.set_language(request)


@require_safe
@versioned
def about(request):
    """How the chronology is made: what it covers, how events are chosen and cited, and its counts."""
    return render(request, "timeline/about.html", {"coverage": connections.coverage()})

"""/events.json: one page of the reader's view as data (the shape README's JSON section describes), in
English or, with `lang=zh-hans`, in Chinese with each English form beside it."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from timeline.browse import queries
from timeline.browse.caching import versioned
from timeline.browse.filters import Filters
from timeline.domain.bilingual import JSON_LANGUAGES


@require_safe
@versioned
def events_json(request):
    """The view as JSON. `lang=zh-hans` gives the Chinese forms, each English one beside
    it (`title_en`…), and names the fields still in English for want of their Chinese (`untranslated`)."""
    language = request.GET.get("lang", "en").strip()  # as the cache keys it (caching.canonical_query)
    if language not in JSON_LANGUAGES:
        return JsonResponse({"errors": {"lang": "Language is “en” (the default) or “zh-hans”."}}, status=400)
    with translation.override(JSON_LANGUAGES[language]):
        filters = Filters.parse(request.GET)
        if filters.errors:
            return JsonResponse({"errors": filters.errors}, status=400)
        page = queries.page(filters)
        next_url = None
        if page.next_cursor:
            # Relative: the cached response is the same whatever host or scheme asked.
            next_url = (
                reverse("events_json")
                + filters.querystring(cursor=page.next_cursor)
                + (f"&lang={language}" if language != "en" else "")
            )
        events = [_event_json(e, language) for e in page.events]
    return JsonResponse(
        {"count": page.count, "lang": language, "events": events, "next": next_url},
        json_dumps_params={"ensure_ascii": False},
    )


def _event_json(event, language="en"):
    when = event.when
    found = {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "precision": event.precision,
        "display_date": when.label,
        "edtf": when.edtf,
        "place": {"name": event.place.name, "country": event.place.country} if event.place else None,
        "people": [{"name": i.person.name, "slug": i.person.slug, "role": i.role} for i in event.involvements.all()],
        "crime_types": [{"name": c.name, "slug": c.slug} for c in event.crime_types.all()],
        "summary": event.summary,
        "url": event.get_absolute_url(),
        "stage": event.stage,
        "china": event.china,
        "sources_disagree": event.disagreement or None,
        # Citations stay in the language of their source.
        "citations": [
            {
                "source": c.source.title,
                "publisher": c.source.publisher or None,
                "published": c.source.published.edtf if c.source.published else None,
                "published_label": c.source.published.label if c.source.published else None,
                "inferred": [
                    f
                    for f, inferred in (
                        ("publisher", c.source.publisher_inferred),
                        ("published", c.source.date_inferred),
                    )
                    if inferred
                ],
                "url": c.source.url or None,
                "source_url": c.source.get_absolute_url(),
                "excerpt": c.excerpt,
            }
            for c in event.citations.all()
        ],
    }
    if language == "en":
        return found
    untranslated = set()

    def put(owner, name, english, chinese, where=""):
        """The Chinese form in the field's place (the English where there is none yet), the English beside it."""
        if english:
            owner[f"{name}_en"], owner[name] = english, chinese or english
            if not chinese:
                untranslated.add(where + name)

    with translation.override("en-gb"):
        found["display_date_en"], found["url_en"] = when.label, event.get_absolute_url()
    put(found, "title", event.title, event.title_zh)
    put(found, "summary", event.summary, event.summary_zh)
    put(found, "sources_disagree", event.disagreement, event.disagreement_zh)
    if event.place:
        put(found["place"], "name", event.place.name, event.place.name_zh, "place.")
        put(found["place"], "country", event.place.country, event.place.country_zh, "place.")
    for person, involvement in zip(found["people"], event.involvements.all()):
        put(person, "name", involvement.person.name, involvement.person.name_zh, "people.")
        put(person, "role", involvement.role, involvement.role_zh, "people.")
    for crime, crime_type in zip(found["crime_types"], event.crime_types.all()):
        put(crime, "name", crime_type.name, crime_type.name_zh, "crime_types.")
    for citation, cited in zip(found["citations"], event.citations.all()):
        citation["source_title_zh"] = cited.source.title_zh or None  # our rendering of the title, if any
    found["lang"] = language
    found["untranslated"] = sorted(untranslated)
    return found

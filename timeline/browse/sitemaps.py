"""What search engines may index: the timeline, sources, and every published event, person, crime type and source page,
in each language, each address naming its twins (hreflang, as the pages' own links do); and robots.txt, which keeps
them off what repeats the pages."""

from functools import wraps

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from timeline.browse.caching import versioned
from timeline.exports import FORMATS
from timeline.models import CrimeType, Event, Involvement, Person, Source


class Sitemap(DjangoSitemap):
    i18n, alternates, x_default = True, True, True

    def _items(self):
        # Django lists every (item, language) pair before taking a page of them: every event for each page
        # of the sitemap. Read a page of a queryset's rows instead.
        items = self.items()
        if isinstance(items, QuerySet):
            return Pairs(items, [code for code, _ in settings.LANGUAGES])
        return super()._items()


class Pairs:
    """(row, language) for each row of `rows` and each of `languages`, in that order; sliced in the database."""

    def __init__(self, rows, languages):
        self.rows, self.languages = rows, languages

    def count(self):
        return self.rows.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        start, stop, _ = index.indices(self.count())
        n = len(self.languages)
        rows = self.rows[start // n : -(-stop // n)]
        pairs = [(row, language) for row in rows for language in self.languages]
        return pairs[start % n : start % n + stop - start]


class Pages(Sitemap):
    def items(self):
        return ["timeline", "source_list", "about"]

    def location(self, name):
        return reverse(name)


class Events(Sitemap):
    def items(self):
        return Event.objects.published().only("slug", "updated").order_by("start", "end", "id")

    def lastmod(self, event):
        return event.updated


class People(Sitemap):
    def items(self):
        on_published = Involvement.objects.filter(person=OuterRef("pk"), event__status=Event.Status.PUBLISHED)
        return Person.objects.filter(Exists(on_published)).only("slug", "updated").order_by("name")

    def lastmod(self, person):
        return person.updated


class Crimes(Sitemap):
    def items(self):
        used = Event.crime_types.through.objects.filter(crimetype=OuterRef("pk"), event__status=Event.Status.PUBLISHED)
        return CrimeType.objects.filter(Exists(used)).order_by("name")


class Sources(Sitemap):
    def items(self):
        return Source.objects.cited().only("slug", "updated").order_by("pk")

    def lastmod(self, source):
        return source.updated


SITEMAPS = {"pages": Pages, "events": Events, "people": People, "crimes": Crimes, "sources": Sources}


def cached_sitemap(view):
    """A sitemap view through the page cache: rendered once per data version (it answers a TemplateResponse,
    which the cache can only keep rendered)."""

    @require_safe
    @versioned
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return response.render() if hasattr(response, "render") else response

    return wrapper


@require_safe
def robots(request):
    """Every page may be indexed; not the admin, nor the exports and the embed, which repeat the pages (a whole
    export streams for seconds, one per filter combination). The sitemap lists the pages."""
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    embeds = []
    for code, _name in settings.LANGUAGES:  # /embed/ and /zh-hans/embed/
        with translation.override(code):
            embeds.append(reverse("embed"))
    closed = ["/admin/", *(reverse(format.url_name) for format in FORMATS if not format.crawled), *embeds]
    rules = "".join(f"Disallow: {path}\n" for path in closed)
    return HttpResponse(f"User-agent: *\n{rules}\nSitemap: {sitemap}\n", content_type="text/plain")

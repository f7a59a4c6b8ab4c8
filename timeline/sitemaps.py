"""What search engines may index: the timeline, sources, and every published event, person, crime type and source page."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from timeline.models import CrimeType, Event, Involvement, Person, Source


class Pages(Sitemap):
    def items(self):
        return ["timeline", "source_list"]

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

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.utils.module_loading import import_string
from django.views.generic import RedirectView

from timeline.browse import embed, views
from timeline.browse.sitemaps import SITEMAPS, cached_sitemap, robots
from timeline.exports import FORMATS

# Pages people read, in each language: English unprefixed, Chinese under /zh-hans/ (settings.LANGUAGES).
urlpatterns = i18n_patterns(
    path("", views.timeline, name="timeline"),
    path("embed/", embed.embed, name="embed"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("crimes/<slug:slug>/", views.crime_detail, name="crime_detail"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("about/", views.about, name="about"),
    prefix_default_language=False,
)
urlpatterns += [
    # The language switch: a plain form on every page (base.html), no script needed.
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The exports, each declared once in timeline/exports/__init__.py.
    *(path(format.path, import_string(format.view), name=format.url_name) for format in FORMATS),
    # An index, then a file per section: each stays under the 50,000 addresses a sitemap may hold.
    # Kept in the page cache until the data changes: at 100,000 events a section takes seconds to make.
    path("sitemap.xml", cached_sitemap(sitemaps.index), {"sitemaps": SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        cached_sitemap(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots, name="robots"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
]

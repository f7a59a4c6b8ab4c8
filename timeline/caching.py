"""Public pages keyed by the data version: an ETag for conditional requests, and
the rendered response kept in the cache until the data changes.

The version is one indexed row read per request (DataVersion); every save and
delete bumps it (timeline.signals), so nothing cached is ever stale.
"""

import gzip
import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.views.decorators.gzip import gzip_page

from timeline.models import DataVersion


def _build_id():
    """A digest of the code, templates and static files: a deploy starts fresh ETags and cache keys."""
    digest = hashlib.sha256()
    # fixtures/sources: the texts that order a source page's excerpts.
    for folder in ("timeline", "templates", "static", "fixtures/sources"):
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".svg", ".txt"):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


BUILD = _build_id()
# Request headers that change what a page returns: one cached copy per combination.
VARIANT_HEADERS = ("HX-Request", "HX-History-Restore-Request", "HX-Trigger")
KEPT_HEADERS = ("Content-Type", "HX-Push-Url", "Vary", "X-Robots-Tag")


def _etag(request, *variant):
    """The response's ETag: this build, the current data version (kept on the request) and what varies."""
    version = request.data_version = DataVersion.current()
    return quote_etag(f"{BUILD}-{version}-{hashlib.sha256('|'.join(variant).encode()).hexdigest()[:20]}")


def versioned(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Signed-in editors may see previews of drafts: never shared, never cached.
            request.data_version = DataVersion.current()
            response = gzip_page(view)(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-cache"
            return response
        # Pages name their own absolute address (og:url, the embed snippet): the host is part of the variant.
        etag = _etag(request, request.scheme, request.get_host(), request.get_full_path(),
                     *(request.headers.get(h, "") for h in VARIANT_HEADERS))
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        key = f"page:{etag}"
        cached = cache.get(key)
        if cached is None:
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303, 307, 308):
                return response  # a redirect to a cleaner URL: cheap to make again, nothing to keep
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            # Compressed once, when made: serving it again costs no compression.
            cached = (response.status_code, gzip.compress(response.content, 6), headers)
            if response.status_code in (200, 400, 404):
                cache.set(key, cached, settings.TIMELINE_CACHE_SECONDS)
        status, compressed, headers = cached
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            # Public pages carry no secret (no CSRF token, no session), so compressing
            # what they reflect gives BREACH nothing to recover.
            response = HttpResponse(compressed, status=status, headers={"Content-Encoding": "gzip"})
        else:
            response = HttpResponse(gzip.decompress(compressed), status=status)
        for name, value in headers.items():
            response[name] = value
        patch_vary_headers(response, ["Accept-Encoding"])
        if status == 200:
            response["ETag"] = etag
        response["Cache-Control"] = "no-cache"  # always revalidate: cheap with the ETag
        return response

    return wrapper


def cached(kind, request, key, compute):
    """A value computed once per data version (facet options, facet counts for one query)."""
    version = request.data_version  # set by @versioned
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return cache.get_or_set(f"{kind}:{BUILD}:{version}:{digest}", compute, settings.TIMELINE_CACHE_SECONDS)


def conditional(view):
    """An ETag by data version for responses too large to keep (the streamed exports): a client that
    has the current version gets 304 and nothing is made; otherwise the view streams afresh."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        etag = _etag(request, request.get_full_path())
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response

    return wrapper

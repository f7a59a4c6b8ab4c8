"""Public pages keyed by the data version: an ETag for conditional requests, and
the rendered response kept in the cache until the data changes.

The version is one indexed row (DataVersion), read once a request, or kept in memory by a gunicorn worker on
PostgreSQL, which announces every change (timeline.data_version); every save and delete bumps it
(timeline.signals), so nothing cached is ever stale.
"""

import gzip
import hashlib
import threading
from functools import cache as remembered
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.views.decorators.gzip import gzip_page

from timeline.browse.params import OTHERS, PARAMS, REPEATED
from timeline.domain.bilingual import JSON_LANGUAGES
from timeline.models import DataVersion


def _build_id():
    """A digest of the code, templates and static files: a deploy starts fresh ETags and cache keys."""
    digest = hashlib.sha256()
    # fixtures/sources: the texts that order a source page's excerpts.
    for folder in ("timeline", "templates", "static", "fixtures/sources"):
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".svg", ".txt", ".po"):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


BUILD = _build_id()
KEPT_HEADERS = ("Content-Type", "HX-Push-Url", "Vary", "X-Robots-Tag")
# Every query parameter a cached page reads (params.py): what else a URL carries changes nothing on the page,
# so it is no part of the key.
ONE_AT_A_TIME = tuple(param.name for param in PARAMS if param.one_at_a_time)
KNOWN = tuple(sorted((*(param.name for param in PARAMS), *OTHERS)))


def canonical_query(query, json=False):
    """`query` (a QueryDict) as the page reads it: known parameters only, in one order, values trimmed, sets
    sorted. `/?zz=1`, `/?zz=2`, `/?kind=b&kind=a` and `/?kind=a&kind=b&kind=a` are then one cached page."""
    parts = []
    for name in KNOWN:
        values = [value.strip() for value in query.getlist(name)]
        if name in REPEATED:
            values = sorted(set(values))  # read as a set (Filters.parse)
        elif name == "lang":  # /events.json's (`json`), where any other value is one refusal, never cached
            values = [value if value in JSON_LANGUAGES else "?" for value in values[-1:]] if json else []
        elif name in ONE_AT_A_TIME:
            values = values[:2]  # one, or "one at a time" for more; which others is no matter
        else:
            values = values[-1:]
        parts += [f"{name}={value}" for value in values]
    return "&".join(parts)


@remembered  # one address for the process
def _json_path():
    return reverse("events_json")


def _variant(request):
    """What a page depends on besides the data: its address (pages name their own absolute URL: og:url, the
    embed snippet) and whether htmx asked for it. Only header values that change the response count; a
    header an attacker varies (HX-Trigger, HX-Request: junk) makes no new copy."""
    headers = request.headers  # read as django-htmx reads them; the fast path runs before its middleware
    json = request.path == _json_path()
    return (
        request.scheme,
        request.get_host(),
        request.path,
        canonical_query(request.GET, json),
        str(headers.get("HX-Request") == "true"),
        str(headers.get("HX-History-Restore-Request") == "true"),
    )


def _staff(request):
    """A real, signed-in staff session: a forged or stale session cookie is no reason to skip the cache."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff


def _etag(request, *variant):
    """The response's ETag: this build, the current data version (read once a request, kept on it) and what
    varies."""
    version = getattr(request, "data_version", None)
    if version is None:
        version = request.data_version = DataVersion.current()
    return quote_etag(f"{BUILD}-{version}-{hashlib.sha256('|'.join(variant).encode()).hexdigest()[:20]}")


# Pages made at once in this process. A gevent worker (make serve) holds many connections and switches while
# one waits on the database: on a cold cache every one of them would start the same heavy facet queries at
# once, and PostgreSQL, its pool and the CPU would drown (0 requests/s at 100,000 events, measured). Two at a
# time keeps the database busy while Python renders; and one page is made once, however many ask for it
# meanwhile (_pending: a lock per page being made), the others then served what it made.
_making = threading.BoundedSemaphore(2)
_pending, _pending_lock = {}, threading.Lock()


def versioned(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _staff(request):
            # Signed-in editors may see previews of drafts: never shared, never cached.
            request.data_version = DataVersion.current()
            response = gzip_page(view)(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-cache"
            return response
        etag = getattr(request, "page_etag", None) or _etag(request, *_variant(request))  # the fast path's
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        key = f"page:{etag}"
        cached = cache.get(key)
        if cached is None:
            with _pending_lock:
                making_this = _pending.setdefault(key, threading.Lock())
            try:
                with making_this, _making:
                    cached = cache.get(key)  # made meanwhile by the request this one waited for
                    if cached is None:
                        response = view(request, *args, **kwargs)
                        if response.status_code in (301, 302, 303, 307, 308):
                            return response  # a redirect to a cleaner URL: cheap to make again, nothing to keep
                        cached = _stored(request, response, key)
            finally:
                with _pending_lock:
                    _pending.pop(key, None)  # whatever happened: a redirect or an error leaves nothing behind
        return _respond(request, cached, etag)

    return wrapper


def _stored(request, response, key):
    """What the cache holds of a response, kept if it is a page."""
    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
    # Compressed once, when made: serving it again costs no compression. A framable page (the embed) is marked
    # by its view's wrapper, so the fast path leaves it to the view.
    cached = (response.status_code, gzip.compress(response.content, 6), headers, getattr(request, "framable", False))
    # Only pages: a 404 or 400 is cheap to make again, and keeping one per unknown address would let anyone
    # fill the cache.
    if response.status_code == 200:
        cache.set(key, cached, settings.TIMELINE_CACHE_SECONDS)
    return cached


def _respond(request, cached, etag):
    status, compressed, headers, _ = cached
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


def fast_path(get_response):
    """Middleware: a cached public page, served before sessions, CSRF, authentication, messages and URL
    routing, none of which it needs (it has no form, no token, no user). Everything else goes the whole way:
    a miss (then @versioned reuses the ETag computed here), HEAD, a request with a session cookie (an editor
    may preview drafts; @versioned tells a real staff session from a forged one), the framable embed."""

    def middleware(request):
        if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return get_response(request)
        try:
            etag = request.page_etag = _etag(request, *_variant(request))
        except DisallowedHost:
            return get_response(request)  # Django's own answer to an unknown host
        cached = cache.get(f"page:{etag}")
        if cached is None or cached[3]:
            return get_response(request)
        response = get_conditional_response(request, etag=etag) or _respond(request, cached, etag)
        response["X-Frame-Options"] = settings.X_FRAME_OPTIONS  # XFrameOptionsMiddleware is further in
        return response

    return middleware


def cached(kind, request, key, compute):
    """A value computed once per data version (facet options, facet counts for one query)."""
    version = request.data_version  # set by @versioned
    key = f"{kind}:{BUILD}:{version}:{hashlib.sha256(key.encode()).hexdigest()[:24]}"
    # Not get_or_set: it reads back what it stored, unpickling the whole value again (2 ms of a cold page).
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.TIMELINE_CACHE_SECONDS)
    return value


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

"""/embed/: a compact timeline of one view, for other sites to show in an iframe.

The same query as the main page, its first page of events, and links that open
the full site in a new tab. It is the one page others may frame: its own
frame-ancestors (settings.EMBED_FRAME_ANCESTORS) and no X-Frame-Options.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from timeline.browse import queries
from timeline.browse.caching import versioned
from timeline.browse.filters import Filters
from timeline.browse.params import LABELS


def framable(view):
    """Lets the sites in EMBED_FRAME_ANCESTORS frame the view, read at each request (so a settings change
    applies at once).

    django-csp and XFrameOptionsMiddleware read marks on the response object, which @versioned rebuilds
    from its cache: so this wraps @versioned, and a cached answer is marked like a fresh one.
    """

    @xframe_options_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.framable = True  # kept with the cached page: caching.fast_path leaves it to this wrapper
        replace = csp_replace({"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)})
        return replace(view)(request, *args, **kwargs)

    return wrapper


@require_safe
@framable
@versioned
def embed(request):
    query = request.GET.copy()
    query.pop("cursor", None)  # always the first page: "See all" leads to the rest
    filters = Filters.parse(query)
    page = queries.page(filters)
    # Years only as headings: the gaps between them need the axis' counts, more than an embed should cost.
    return render(
        request,
        "timeline/embed.html",
        {
            "filters": filters,
            "page": page,
            "sections": queries.sections(page.events, filters, []),
            "carry": filters.querystring(),
            # Without the form's fields beside them, a date's message says which date it is about.
            "problems": [
                f"{LABELS[param]}: {message}" if param in ("from", "to") else message
                for param, message in filters.errors.items()
            ],
        },
        status=400 if filters.over_limit else 200,
    )

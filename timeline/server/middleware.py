"""A response header Django does not set itself, and the language a first visit lands in."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

# No page here uses the camera, the microphone, the reader's location, sensors or payments: saying so means
# nothing framed or injected into a page could ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def permissions_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def first_language(get_response):
    """A reader who opens an English page (unprefixed) but whose browser prefers Chinese, or who chose Chinese
    before (the language cookie), is sent to the same page in Chinese. Choosing English with the switch sets
    the cookie, which then wins over the browser; a Chinese address is never moved (links shared and crawled
    stay what they say), nor are htmx requests, exports, feeds and the admin (addresses with one language).
    Before the page cache, which keys pages by address: a cached English page is never served in place of the
    redirect."""

    def middleware(request):
        asked = translation.get_language_from_path(request.path_info)  # None: an unprefixed, English address
        moved = None if asked else _in_reader_language(request)
        response = HttpResponseRedirect(moved) if moved else get_response(request)
        html = response.get("Content-Type", "").startswith("text/html")
        if not asked and (moved or html or response.status_code == 304):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))  # what the redirect depends on
        if html:  # a cached page left before LocaleMiddleware could say it
            response.headers.setdefault("Content-Language", asked or settings.LANGUAGE_CODE)
        return response

    return middleware


def _in_reader_language(request):
    """The address of this English page in the reader's language, if that is another one."""
    if request.method not in ("GET", "HEAD") or "HX-Request" in request.headers:
        return None
    language = translation.get_language_from_request(request)  # the cookie, then Accept-Language
    if language == settings.LANGUAGE_CODE:
        return None
    url = translated(request.get_full_path(), language)
    return url if url != request.get_full_path() else None  # an address in no other language (/events.json)


def translated(url, language):
    """`url` (a path and query) in `language`, read in the language of its own path: the thread may still hold
    another request's language, and a path resolves only in its own."""
    with translation.override(translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE):
        return translate_url(url, language)

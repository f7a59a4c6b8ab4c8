import html
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from timeline.domain import bilingual

register = template.Library()


@register.filter
def local(obj, field=None):
    """`{{ event|local:"title" }}`: the text in the page's language, or the English marked as such (bilingual)."""
    return bilingual.local(obj, field) if obj is not None else ""


@register.filter
def plain(value):
    """Text without its language mark, for `<title>` and attributes, which hold no markup."""
    return str(value)


@register.simple_tag
def when(value):
    """A date label in <time> elements: one for a period, one for each end of a range."""
    prefix, first, separator, last = value.parts()
    first_datetime, last_datetime = value.datetimes()
    if not last:
        return format_html('{}<time datetime="{}">{}</time>', prefix, first_datetime, first)
    return format_html(
        '{}<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        prefix,
        first_datetime,
        first,
        separator,
        last_datetime,
        last,
    )


@register.simple_tag
def adding(filters, param, value):
    """The query with one more value of a repeatable filter (a new filter drops the page cursor)."""
    current = getattr(filters, param)
    return filters.querystring(**{param: current if value in current else (*current, value)})


@register.simple_tag
def year_query(filters, year):
    return filters.querystring(**{"from": str(year), "to": str(year)})


@register.simple_tag
def next_page(filters, cursor):
    return filters.querystring(cursor=str(cursor))


@register.filter
def domain(url):
    """The host of an address, for a short link text: "www.interpol.int"."""
    return urlsplit(url).hostname or url


OPTION = (
    '<li><label class="option{}"><input type="checkbox" name="{}" value="{}" id="{}-{}"{}> '
    '<span {}>{}</span> <span class="count">{}<span class="vh">{}</span></span></label></li>'
)
LABEL, UNTRANSLATED = 'class="label"', 'class="label untranslated" lang="en"'


@register.simple_tag
def facet_options(options, name):
    """A facet's checkboxes: hundreds of people a page, which the template language took most of a cold
    page's time to loop over. Escaped with the function Django's escape wraps, minus its lazy-string check.
    A label from the data without its Chinese form is marked English, as `bilingual.Text` marks itself."""
    name = html.escape(name)
    one, many = ngettext(" event", " events", 1), ngettext(" event", " events", 2)  # once, not per option
    return mark_safe(
        "\n".join(
            OPTION.format(
                "" if o.count else " muted",
                name,
                html.escape(o.value),
                name,
                html.escape(o.value),
                " checked" if o.selected else "",
                UNTRANSLATED if getattr(o.label, "lang", "") else LABEL,
                html.escape(o.label),
                o.count,
                one if o.count == 1 else many,
            )
            for o in options
        )
    )


@register.simple_tag(takes_context=True)
def in_languages(context):
    """This page in each language, as (code, name, address): for the hreflang links and the language switch.
    Empty for a page that has one language only (an export, the admin)."""
    from timeline.browse.caching import canonical_query
    from timeline.server.middleware import translated

    request = context["request"]
    # The query as the page cache keys it: a junk parameter of the first visitor is no part of a cached page.
    query = canonical_query(request.GET)
    path = request.path + (f"?{query}" if query else "")
    found = [(code, name, translated(path, code)) for code, name in settings.LANGUAGES]
    return found if len({url for _, _, url in found}) == len(found) else []

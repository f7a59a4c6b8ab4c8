from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def when(value):
    """A date label in <time> elements: one for a period, one for each end of a range."""
    prefix, first, separator, last = value.parts()
    first_datetime, last_datetime = value.datetimes()
    if not last:
        return format_html('{}<time datetime="{}">{}</time>', prefix, first_datetime, first)
    return format_html(
        '{}<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        prefix, first_datetime, first, separator, last_datetime, last,
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

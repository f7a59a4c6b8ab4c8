from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def when(value):
    """A date label in <time> elements: one for a period, one for each end of a range."""
    prefix, first, separator, last = value.parts()
    if not last:
        return format_html('{}<time datetime="{}">{}</time>', prefix, value.datetime_start, first)
    return format_html(
        '{}<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        prefix, value.datetime_start, first, separator, value.datetime_end, last,
    )

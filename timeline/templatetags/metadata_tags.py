"""What a page says about itself in <head>: its card (Open Graph, Twitter), canonical address and JSON-LD.

The absolute addresses come from the request: the page cache (caching.versioned) keeps one copy per
scheme and host, so a cached page never names another host.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from timeline.browse import metadata

register = template.Library()

register.simple_tag(metadata.browse_description)
register.simple_tag(metadata.source_description)
register.simple_tag(metadata.sources_description)


def _absolute(context):
    request = context.get("request")
    return request.build_absolute_uri if request is not None else str


@register.inclusion_tag("timeline/_meta.html", takes_context=True)
def page_meta(context, title, description, canonical, kind="website"):
    """Description, canonical link and card of a page; `canonical` is its path (and canonical query).

    The canonical link and og:url are the same absolute address (a relative canonical link fails search
    engines' audits, issue 28), on the host the request was validated for (ALLOWED_HOSTS, the proxy's scheme).
    Text from the data goes into attributes unmarked (str: a bilingual.Text would mark itself with a span).
    """
    address = _absolute(context)(canonical)
    return {
        "title": str(title),
        "description": metadata.shorten(str(description)) or metadata.default_description(),
        "canonical": address,
        "url": address,
        "kind": kind,
        "site_name": metadata.SITE_NAME,
    }


@register.simple_tag(takes_context=True)
def view_path(context, filters):
    """The canonical address of a timeline view: the path and the view's query, without the page cursor."""
    return context["request"].path + filters.querystring()


@register.simple_tag(takes_context=True)
def event_json_ld(context, event):
    """The event as schema.org JSON-LD (metadata.event_data) in a data block.

    A browser runs no script of type application/ld+json, so the Content-Security-Policy (script-src
    'self') has nothing to refuse; and metadata.to_script escapes <, > and &, so no title can end the element.
    """
    data = metadata.to_script(metadata.event_data(event, _absolute(context)))
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Already rendered, escaped where it had to be: safe as it is.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}…{% endcapture %}`: what the block renders, as a variable (a title, for a card)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(f"Use “{{% {bits[0]} as name %}}…{{% end{bits[0]} %}}”.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])

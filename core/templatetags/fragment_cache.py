"""``{% fragment_cache "name" vary... %}…{% endfragment_cache %}``: a rendered piece of a public page, cached
for the current content version, language and audience (public or campus) and the values given.

Unlike ``{% cache %}`` the key follows the content version that the services move on every change, so a
fragment never outlives what it shows. What is inside is not evaluated on a hit: a list inside does not query.
"""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from core.cache import audience_key, content_version

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        request = context.get("request")
        if request is None or not settings.FRAGMENT_CACHE_ENABLED:
            return self.nodelist.render(context)
        values = "|".join(str(value.resolve(context)) for value in self.vary)
        digest = hashlib.sha256(values.encode()).hexdigest()
        key = (
            f"fragment:{content_version(request)}:{translation.get_language()}:{audience_key(request)}:"
            f"{self.name.resolve(context)}:{digest}"
        )
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, str(html), settings.PAGE_CACHE_SECONDS)
        return mark_safe(html)  # what the template rendered, already escaped by it


@register.tag("fragment_cache")
def do_fragment_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment_cache needs a name")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])


class LanguageCacheNode(template.Node):
    """A piece that depends on nothing but the language (site navigation, footer links): rendered once per
    process and language. Reversing a dozen URLs and translating their labels on every page costs more
    than the rest of a cached page."""

    rendered: dict[tuple[str, str], str] = {}

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        key = (self.name, translation.get_language() or "")
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = str(self.nodelist.render(context))
        return mark_safe(html)  # what the template rendered, already escaped by it


@register.tag("language_cache")
def do_language_cache(parser, token):
    """``{% language_cache "name" %}…{% endlanguage_cache %}``: nothing inside may depend on the request."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("language_cache needs exactly a name")
    nodelist = parser.parse(("endlanguage_cache",))
    parser.delete_first_token()
    return LanguageCacheNode(nodelist, bits[1].strip("\"'"))

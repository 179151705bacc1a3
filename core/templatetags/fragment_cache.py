"""``{% fragment_cache "name" vary... %}…{% endfragment_cache %}``: a rendered piece of a public page, cached
for the current content version, language, audience (public or campus), URL prefix and the values given.

Unlike ``{% cache %}`` the key follows the content version that the services move on every change, so a
fragment never outlives what it shows. What is inside is not evaluated on a hit: a list inside does not query.
The URL prefix (the sub-path the site is served under, ``SCRIPT_NAME``) is part of the key because the links
inside are reversed with it: a site served under two prefixes never shows one prefix's links under the other.
"""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

from core.cache import variant_key

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
        key = f"fragment:{variant_key(request)}:{self.name.resolve(context)}:{digest}"
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

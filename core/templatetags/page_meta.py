"""``{% plaintext as name [limit] %}…{% endplaintext %}``: what the inside renders to, as plain text.

The base template wraps its ``title`` and ``description`` blocks in it, so that a page states its title and
description once and the head uses them for ``<title>``, ``<meta name="description">`` and the Open Graph tags:
tags are stripped, entities read, runs of white space made one space, and the text cut at ``limit`` characters
(with an ellipsis). The value is plain text, escaped again where it is printed. Blocks inside stay overridable by
templates that extend the one using the tag.
"""

from __future__ import annotations

import html
import re

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

register = template.Library()


def plain_text(rendered: str, limit: int | None = None) -> str:
    text = re.sub(r"\s+", " ", html.unescape(strip_tags(rendered))).strip()
    return Truncator(text).chars(limit) if limit else text


class PlainTextNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name, limit):
        self.nodelist = nodelist
        self.name = name
        self.limit = limit

    def render(self, context):
        context[self.name] = plain_text(self.nodelist.render(context), self.limit)
        return ""


@register.tag
def plaintext(parser, token):
    bits = token.split_contents()
    if len(bits) not in (3, 4) or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% plaintext as name [limit] %}…{% endplaintext %}")
    limit = int(bits[3]) if len(bits) == 4 else None
    nodelist = parser.parse(("endplaintext",))
    parser.delete_first_token()
    return PlainTextNode(nodelist, bits[2], limit)

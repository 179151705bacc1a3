"""Rich text: what HTML we keep, and the model field that never stores anything else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.urls import Resolver404, resolve
from django_ckeditor_5.fields import CKEditor5Field

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "mark",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "colgroup",
    "col",
    "figure",
    "figcaption",
    "a",
    "img",
    "span",
    "div",
    "hr",
    "pre",
    "code",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "figure": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


IMG_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def stored_image_path(src: str) -> str | None:
    """The site's own address of an image it stores (the view RICHTEXT_IMAGE_VIEW serves), as a path; None for
    anything else. An image from elsewhere would reach every reader of the page, the API and the feeds, and tell
    its owner who read what and when (a tracking pixel): only the site's own images are kept."""
    url = urlsplit(src.strip())
    if url.scheme or url.netloc:
        site = urlsplit(settings.PORTAL_BASE_URL)
        if (url.scheme, url.netloc) != (site.scheme, site.netloc):
            return None
    if url.query or url.fragment or not url.path.startswith("/"):
        return None
    try:
        match = resolve(url.path)
    except Resolver404:
        return None
    return url.path if match.view_name == settings.RICHTEXT_IMAGE_VIEW else None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return stored_image_path(value)
    return value


def sanitize_html(html: str) -> str:
    """Keep structure, tables, links and the site's own images; drop scripts, styles, event handlers, unsafe
    URLs and images from elsewhere."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_attribute_filter,
    )
    return IMG_WITHOUT_SOURCE.sub("", cleaned).strip()


class SanitizedRichTextField(CKEditor5Field):
    """A CKEditor 5 field whose value is sanitised with nh3 whenever it is written to the database."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value


class RichTextAdminMixin:
    """For a ModelAdmin whose add/change pages show the rich-text editor (CKEditor 5).

    While an image uploads, the editor shows it from a data: URL and sizes it with inline styles, so these pages,
    and only these, widen the Content-Security-Policy by ``CSP_EDITOR_UPDATE`` (style-src 'unsafe-inline', img-src
    data:). Scripts stay 'self'-only everywhere.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        response._csp_update = settings.CSP_EDITOR_UPDATE  # read by django-csp's middleware
        return response

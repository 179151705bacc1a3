"""Site-wide middleware: the security headers Django lacks, and the public page cache.

The page cache serves anonymous GET pages from Django's cache framework.

A page is stored under the content version (moved by the services on every change), the language, the
request's audience (public or campus), its scheme and host and its full path, so a change to anything a page
shows makes every stored page unreachable at once. Signed-in users, other methods and responses that set
cookies are never cached.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import set_response_etag

from core.cache import audience_key, content_version


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    """The response headers Django's SecurityMiddleware does not set: Permissions-Policy (``PERMISSIONS_POLICY``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


# What is compressed: pages, the API's JSON, feeds and sitemaps. Attachments (already compressed formats, and
# downloads whose length and ranges clients rely on) and anything else are sent as they are; static files are
# served precompressed by WhiteNoise before this middleware is reached.
COMPRESSED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/json",
        "application/problem+json",
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
    }
)


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for the types in ``COMPRESSED_TYPES`` only.

    BREACH: compressed responses that reflect what a request sent next to a secret can leak the secret through
    their length. Django's middleware counters it by adding up to 100 random bytes to the gzip header of every
    response ("Heal the Breach", Django 4.2), and the CSRF token in forms is masked anew on every request.
    It sits above the page cache and the conditional-GET middleware (settings.MIDDLEWARE): the cache stores and
    hashes the page uncompressed, each response is compressed on its way out, and the ETag becomes weak
    (``W/"…"``), which conditional requests still match.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)


# Addresses outside i18n_patterns (portal.urls): one address each, whatever the language.
ONE_ADDRESS_PREFIXES = (
    "/admin/",
    "/sso/",
    "/api/",
    "/feeds/",
    "/i18n/",
    "/ckeditor5/",
    "/sitemap",
    "/robots.txt",
    "/healthz",
    "/favicon.ico",
)


def language_alternates(request) -> dict[str, str] | None:
    """The page's address in each language (Chinese unprefixed, English under /en/), with its query; None for
    an address that has one address whatever the language, or that matched no page."""
    path = request.path_info
    if request.resolver_match is None or path.startswith(ONE_ADDRESS_PREFIXES):
        return None
    chinese = path[3:] if path.startswith("/en/") else path
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    prefix = request.META.get("SCRIPT_NAME", "").rstrip("/")
    return {"zh": f"{prefix}{chinese}{suffix}", "en": f"{prefix}/en{chinese}{suffix}"}


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, for a site whose pages are in i18n_patterns without a Chinese prefix: there the
    address decides (Chinese, or English under /en/). Django would also give Chinese to every address outside
    the patterns (the admin, the API, feeds); those follow the visitor's choice instead, as before: the language
    cookie, then Accept-Language."""

    def process_request(self, request):
        if request.path_info.startswith(ONE_ADDRESS_PREFIXES):
            translation.activate(translation.get_language_from_request(request, check_path=False))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


CACHED_VIEWS = frozenset(
    {
        "home",
        "search",
        "portal:feed-rss",
        "portal:feed-atom",
        "portal:category-feed-rss",
        "portal:category-feed-atom",
        "portal:sitemap-index",
        "portal:sitemap-section",
        "portal:api-categories",
        "portal:api-items",
        "portal:api-item-detail",
        "portal:api-search",
        "portal:api-disclosure-items",
        "portal:api-openapi",
        "disclosures:category-list",
        "disclosures:category-detail",
        "disclosures:disclosure-item-detail",
        "disclosures:disclosure-list",
        "disclosures:disclosure-detail",
    }
)
STORED_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "ETag", "X-Robots-Tag")


def page_key(request) -> str:
    # The scheme and the full host (port included) are part of the key: pages hold absolute links built from
    # the request (API, feeds, sitemap), and a request with ``Host: 127.0.0.1:6666`` must not make later
    # visitors' links point there.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(address.encode()).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"page:{content_version(request)}:{language}:{audience_key(request)}:{path}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key and response.status_code == 200 and not response.streaming and not response.cookies:
            if not response.has_header("ETag"):
                set_response_etag(response)  # once, instead of hashing the stored page on every hit
            headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in CACHED_VIEWS or request.user.is_authenticated:
            return None
        key = page_key(request)
        stored = cache.get(key)
        if stored is None:
            request._page_cache_key = key
            return None
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response


class NulCharacterMiddleware:
    """NUL characters never reach a view: a path holding one is not found (404), in the query each one becomes
    U+FFFD (so a filter or search box treats it as any other unmatched text), and a cookie holding one is
    dropped.

    No page of the site has a use for NUL, and PostgreSQL refuses it in any string a query compares (a
    ``ValueError`` deep in a view: a 500). Form fields posted already refuse it with a message on the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("NUL character in the path")
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", "\ufffd"), [value.replace("\x00", "\ufffd") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name or "\x00" in value]:
            del request.COOKIES[name]
        return self.get_response(request)

"""Site-level machine-readable pages: sitemap, robots.txt, the health check and the read-only JSON API."""

from __future__ import annotations

import html
import logging
import uuid
from functools import cache, wraps

from django.contrib.sitemaps import Sitemap
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import EmptyPage
from django.db import connections
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core import cache as pagecache
from disclosures import compliance, search
from disclosures.filters import DisclosureFilter
from disclosures.models import Audience, Category, Disclosure, DisclosureItem
from portal import openapi
from portal.search_views import SearchFilter

logger = logging.getLogger(__name__)

API_PAGE_SIZE = 50
API_SEARCH_PAGE_SIZE = 20


def public_disclosures():
    return Disclosure.objects.published().filter(audience=Audience.PUBLIC)


# --------------------------------------------------------------------------------------------------
# Sitemap and robots.txt
# --------------------------------------------------------------------------------------------------


class BilingualSitemap(Sitemap):
    """Each page at its Chinese and its English address, each naming the other (xhtml:link hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class DisclosureSitemap(BilingualSitemap):
    changefreq = "monthly"
    limit = 10000

    def items(self):
        return public_disclosures().only("index_number", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.updated_at


class CatalogueSitemap(BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "disclosures:category-list", "disclosures:disclosure-list", *Category.objects.all()]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


class DisclosureItemSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return DisclosureItem.objects.filter(active=True).select_related("category")


SITEMAPS = {"catalogue": CatalogueSitemap, "items": DisclosureItemSitemap, "disclosures": DisclosureSitemap}


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("portal:sitemap-index"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "Disallow: /ckeditor5/",
        "Disallow: /i18n/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@cache
def _favicon() -> bytes:
    with open(finders.find("img/favicon.ico"), "rb") as file:
        return file.read()


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico``, where browsers and feed readers look for it whatever the page's link tag says."""
    return HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")


@require_GET
def healthz(request):
    """A bare view: the process answers (also the benchmark's ceiling)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _database_ready(alias: str) -> None:
    """The database answers and its tables read: the migrations table and a row of the catalogue (a damaged
    SQLite file, or a PostgreSQL that refuses connections, fails here)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        cursor.fetchone()
    Category.objects.using(alias).values_list("pk", flat=True).first()


def _storage_ready() -> None:
    """Uploaded files can be written, read back and removed (local folder or object storage)."""
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ready":
                raise OSError("the probe file read back differently")
    finally:
        default_storage.delete(name)


@require_GET
@never_cache
def readyz(request):
    """For load balancers: 200 when this server can serve (every database answers and reads, the file storage
    writes and reads), else 503 naming what failed (the reason goes to the log, not to the client)."""
    results = {}
    # Every configured database (the primary, and a read replica when there is one); an alias that mirrors
    # another in the tests is that same database.
    aliases = [alias for alias in connections if not connections.settings[alias].get("TEST", {}).get("MIRROR")]
    checks = [(f"database {alias}", lambda alias=alias: _database_ready(alias)) for alias in aliases]
    checks.append(("storage", _storage_ready))
    for name, check in checks:
        try:
            check()
        except Exception:  # any failure means "not ready"; the log says why
            logger.exception("readyz: %s failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    ready = all(value == "ok" for value in results.values())
    body = "".join(f"{name}: {value}\n" for name, value in results.items())
    return HttpResponse(body, content_type="text/plain; charset=utf-8", status=200 if ready else 503)


# --------------------------------------------------------------------------------------------------
# JSON API (read-only, public items only)
# --------------------------------------------------------------------------------------------------


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _category_json(request, category) -> dict:
    return {
        "code": category.code,
        "slug": category.slug,
        "name": category.name,
        "name_en": category.name_en,
        "url": _absolute(request, category.get_absolute_url()),
    }


def _item_json(request, disclosure) -> dict:
    return {
        "index_number": disclosure.index_number,
        "title": disclosure.title,
        "category": disclosure.category.slug,
        "disclosure_item": disclosure.item.code if disclosure.item_id else None,
        "department": {"code": disclosure.department.code, "name": disclosure.department.name},
        "document_number": disclosure.document_number,
        "date_written": disclosure.date_written.isoformat(),
        "published_at": disclosure.published_at.isoformat(),
        "updated_at": disclosure.updated_at.isoformat(),
        "validity": disclosure.validity,
        "url": _absolute(request, disclosure.get_absolute_url()),
        "api_url": _absolute(request, reverse("portal:api-item-detail", args=[disclosure.index_number])),
    }


def _page_link(request, number) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return _absolute(request, f"{request.path}?{params.urlencode()}")


def api_error(message: str, status: int, **extra) -> JsonResponse:
    """Every API error: ``{"error": message}`` (in the request's language), with what else it names."""
    return JsonResponse({"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False})


_error = api_error


def api_view(view):
    """An API endpoint: GET and HEAD only (any other method a JSON 405 naming the allowed ones), an unknown
    object a JSON 404. Read-only, so no CSRF check (which would answer a POST with an HTML 403 first)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = api_error(
                _("The method %(method)s is not allowed here: the API is read-only (GET).")
                % {"method": request.method},
                405,
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return api_error(_("Not found."), 404)

    return csrf_exempt(wrapper)


@api_view
def api_categories(request):
    data = [_category_json(request, category) for category in Category.objects.all()]
    return JsonResponse({"count": len(data), "results": data}, json_dumps_params={"ensure_ascii": False})


@api_view
def api_items(request):
    base = public_disclosures().with_relations().order_by("-published_at", "-id")
    filterset = DisclosureFilter(request.GET or None, queryset=base, request=request)
    if filterset.is_bound and not filterset.form.is_valid():
        errors = {name: [str(error) for error in errors] for name, errors in filterset.form.errors.items()}
        return api_error(_("Some filters are not valid."), 400, fields=errors)
    queryset = filterset.qs if filterset.is_bound else base
    paginator = pagecache.CachedCountPaginator(queryset, API_PAGE_SIZE, request=request)
    raw_page = request.GET.get("page", "1")
    message = _("The page must be a whole number from 1 to %(pages)s.") % {"pages": paginator.num_pages}
    try:
        number = int(raw_page)
    except ValueError:
        number = 0
    if number < 1:
        return api_error(message, 400, fields={"page": [message]})
    try:
        page = paginator.page(number)
    except EmptyPage:  # a page past the last one: there is no such page (yet)
        return api_error(message, 404, fields={"page": [message]})

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": _page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_link(request, page.previous_page_number()) if page.has_previous() else None,
            "results": [_item_json(request, disclosure) for disclosure in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@api_view
def api_search(request):
    """The search page's results as JSON: the same query understanding (words in any order, traditional
    characters, pinyin, corrections, synonyms) and the item list's filters; public items only. ``size`` (1 to
    50, default 20) sets the page size. With ``describe=1``, ``q`` is free text (what an applicant is writing):
    its telling words are searched, the last ones left out until something is found; the application form's
    "already published" hint asks so."""
    # Every parameter is checked before anything is searched, whatever the query turns out to be (an empty
    # description answers with no results, but a bad filter, size or page is still refused).
    size_message = _("size must be a number from 1 to %(most)s.") % {"most": API_PAGE_SIZE}
    try:
        size = int(request.GET.get("size") or API_SEARCH_PAGE_SIZE)
    except ValueError:
        size = 0
    if not 1 <= size <= API_PAGE_SIZE:
        return api_error(size_message, 400, fields={"size": [size_message]})
    try:
        page_number = int(request.GET.get("page") or "1")
    except ValueError:
        page_number = 0
    page_message = _("page must be a whole number from 1 up.")
    if page_number < 1:
        return api_error(page_message, 400, fields={"page": [page_message]})
    base = public_disclosures().with_relations().select_related("search_document").defer("body", "summary")
    filterset = SearchFilter(request.GET, queryset=base, request=request)
    if not filterset.form.is_valid():
        errors = {name: [str(error) for error in errors] for name, errors in filterset.form.errors.items()}
        return api_error(_("Some filters are not valid."), 400, fields=errors)
    describing = request.GET.get("describe", "") == "1"
    if request.GET.get("describe", "") not in {"", "1"}:
        message = _("describe is 1 or left out.")
        return api_error(message, 400, fields={"describe": [message]})
    raw = request.GET.get("q", "")
    if describing:  # free text (an application's description): its telling words, relaxed until found
        raw = search.description_query(raw)
        if not raw:
            return JsonResponse(
                {"query": "", "corrected": None, "dropped": [], "count": 0, "more": False, "results": []}
            )
    try:
        query = search.parse_query(raw, synonyms=search.synonym_groups(request))
    except search.QueryError as exc:
        return api_error(str(exc.args[0]), 400)
    query = (search.relaxed if describing else search.understand)(filterset.qs, query)
    whole_list = not SearchFilter.narrows(request.GET, text=False)
    ranked = search.ranked(filterset.qs, query, whole_list=whole_list)
    paginator = pagecache.CachedCountPaginator(ranked, size, request=request)
    more = paginator.count > search.MAX_RESULTS  # counted up to one more than it serves
    if more:
        paginator.count = search.MAX_RESULTS
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        message = _("page must be a number from 1 to %(most)s.") % {"most": paginator.num_pages}
        return api_error(message, 400, fields={"page": [message]})
    results = []
    for disclosure in page.object_list:
        document = getattr(disclosure, "search_document", None)
        excerpt = search.snippet(document.text if document else "", query.terms)
        results.append(
            {
                **_item_json(request, disclosure),
                "title_html": search.highlight(disclosure.title, query.terms),
                "excerpt_html": excerpt,
                "excerpt": html.unescape(strip_tags(excerpt)),
                "found_in_attachment": disclosure.search_tier == search.ATTACHMENT_TIER,
            }
        )
    return JsonResponse(
        {
            "query": query.text,
            "corrected": query.corrected or None,
            "dropped": query.dropped,
            "count": paginator.count,
            "more": more,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": _page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_link(request, page.previous_page_number()) if page.has_previous() else None,
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@api_view
def api_item_detail(request, index_number):
    disclosure = get_object_or_404(public_disclosures().with_relations(), index_number=index_number)
    data = _item_json(request, disclosure)
    data.update(
        {
            "summary": disclosure.summary,
            "body_html": disclosure.body,
            "keywords": disclosure.keywords,
            "replaced_by": (
                public_disclosures().filter(pk=disclosure.replaced_by_id).values_list("index_number", flat=True).first()
                if disclosure.replaced_by_id
                else None
            ),
            # 政策解读, both ways (public ones only).
            "interprets": (
                public_disclosures().filter(pk=disclosure.interprets_id).values_list("index_number", flat=True).first()
                if disclosure.interprets_id
                else None
            ),
            "interpretations": list(
                public_disclosures()
                .filter(interprets=disclosure)
                .order_by("published_at", "id")
                .values_list("index_number", flat=True)
            ),
            "attachments": [
                {
                    "title": attachment.display_title,
                    "file_name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "url": _absolute(request, attachment.get_absolute_url()),
                }
                for attachment in disclosure.attachments.all()
            ],
        }
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# --------------------------------------------------------------------------------------------------
# Compliance: every disclosure item of the catalogue and whether it is kept up to date
# --------------------------------------------------------------------------------------------------

# The states the API reports (disclosures.compliance computes them; "due" is its "due soon").
API_STATES = {
    compliance.ItemState.CURRENT: "current",
    compliance.ItemState.DUE_SOON: "due",
    compliance.ItemState.OVERDUE: "overdue",
    compliance.ItemState.NEVER: "never_published",
}


def list_class(item: DisclosureItem) -> dict | None:
    """The class of the MoE's 2014 list (《高等学校信息公开事项清单》) a catalogue item implements: the class of the
    first list item it carries out (DisclosureItem.list_items, prefetched), or None when it carries out none."""
    items = sorted(item.list_items.all(), key=lambda list_item: list_item.number)
    if not items:
        return None
    return {"number": items[0].list_class.number, "name": items[0].list_class.name}


@api_view
def api_disclosure_items(request):
    """Every active disclosure item with its class of the 2014 list, cadence, responsible department, last
    publication, current deadline and state, so that a province or an evaluator can check compliance by machine
    (the same figures as the disclosure office's compliance dashboard)."""
    rows = compliance.catalogue_rows(today=timezone.localdate())
    prefetch_related_objects([row.item for row in rows], "list_items__list_class")
    results = [
        {
            "code": row.item.code,
            "title": row.item.title,
            "title_en": row.item.title_en,
            "category": row.item.category.slug,
            "list_class": list_class(row.item),
            "basis": row.item.basis,
            "cadence": row.item.cadence,
            "month_due": row.item.month,
            "department": {"code": row.item.department.code, "name": row.item.department.name},
            "last_published": row.last_published.isoformat() if row.last_published else None,
            "due": row.due.isoformat() if row.due else None,
            "state": API_STATES[row.state],
            "url": _absolute(request, row.item.get_absolute_url()),
        }
        for row in rows
    ]
    return JsonResponse({"count": len(results), "results": results}, json_dumps_params={"ensure_ascii": False})


@api_view
def api_openapi(request):
    return JsonResponse(openapi.openapi_document(request), json_dumps_params={"ensure_ascii": False, "indent": 1})

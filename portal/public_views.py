"""Site-level machine-readable pages: sitemap, robots.txt, the health check and the read-only JSON API."""

from __future__ import annotations

from functools import cache, wraps

from django.contrib.sitemaps import Sitemap
from django.contrib.staticfiles import finders
from django.core.paginator import EmptyPage
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core import cache as pagecache
from disclosures import compliance
from disclosures.filters import DisclosureFilter
from disclosures.models import Audience, Category, Disclosure, DisclosureItem
from disclosures.statistics import MOE_LIST_CLASSES, moe_class_of
from portal import openapi

API_PAGE_SIZE = 50


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

    def link(number):
        params = request.GET.copy()
        params["page"] = str(number)
        return _absolute(request, f"{request.path}?{params.urlencode()}")

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [_item_json(request, disclosure) for disclosure in page.object_list],
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
_MOE_CLASS_NAMES = {number: name for number, name, _numbers in MOE_LIST_CLASSES}


def list_class(item: DisclosureItem) -> dict | None:
    """The class of the MoE's 2014 list (《高等学校信息公开事项清单》) a catalogue item implements, read from the
    list item its basis cites ("MoE list 17" → class 3), or None when it cites none. The one place the API
    learns it: when the list's numbers become data of their own, only this changes."""
    number = moe_class_of(item.basis)
    if number is None:
        return None
    return {"number": number, "name": _MOE_CLASS_NAMES[number]}


@api_view
def api_disclosure_items(request):
    """Every active disclosure item with its class of the 2014 list, cadence, responsible department, last
    publication, current deadline and state, so that a province or an evaluator can check compliance by machine
    (the same figures as the disclosure office's compliance dashboard)."""
    rows = compliance.catalogue_rows(today=timezone.localdate())
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

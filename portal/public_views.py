"""Site-level machine-readable pages: sitemap, robots.txt, the health check and the read-only JSON API."""

from __future__ import annotations

from functools import cache

from django.contrib.sitemaps import Sitemap
from django.contrib.staticfiles import finders
from django.core.paginator import EmptyPage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core import cache as pagecache
from disclosures.filters import DisclosureFilter
from disclosures.models import Audience, Category, Disclosure, DisclosureItem

API_PAGE_SIZE = 50


def public_disclosures():
    return Disclosure.objects.published().filter(audience=Audience.PUBLIC)


# --------------------------------------------------------------------------------------------------
# Sitemap and robots.txt
# --------------------------------------------------------------------------------------------------


class DisclosureSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10000

    def items(self):
        return public_disclosures().only("index_number", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.updated_at


class CatalogueSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "disclosures:category-list", "disclosures:disclosure-list", *Category.objects.all()]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


class DisclosureItemSitemap(Sitemap):
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


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def api_categories(request):
    data = [_category_json(request, category) for category in Category.objects.all()]
    return JsonResponse({"count": len(data), "results": data}, json_dumps_params={"ensure_ascii": False})


@require_GET
def api_items(request):
    base = public_disclosures().with_relations().order_by("-published_at", "-id")
    filterset = DisclosureFilter(request.GET or None, queryset=base, request=request)
    if filterset.is_bound and not filterset.form.is_valid():
        errors = {name: [str(error) for error in errors] for name, errors in filterset.form.errors.items()}
        return JsonResponse({"error": "invalid filters", "fields": errors}, status=400)
    queryset = filterset.qs if filterset.is_bound else base
    paginator = pagecache.CachedCountPaginator(queryset, API_PAGE_SIZE, request=request)
    raw_page = request.GET.get("page", "1")
    try:
        page = paginator.page(int(raw_page))
    except (ValueError, EmptyPage):
        return _error(f"page must be a number from 1 to {paginator.num_pages}", 400)

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


@require_GET
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

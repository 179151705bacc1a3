"""Site-level pages that combine the apps: home and error pages."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from disclosures import pagecache
from disclosures.models import Category, Disclosure, DisclosureItem

GUIDE_ITEM_CODE = "01.04"  # 信息公开指南、信息公开目录


@require_GET
def home(request):
    visible = Disclosure.objects.visible_to(request)
    counts = pagecache.memoize(
        request, "category-counts", lambda: dict(visible.order_by().values_list("category_id").annotate(n=Count("id")))
    )
    categories = list(Category.objects.all())
    for category in categories:
        category.visible_count = counts.get(category.pk, 0)
    # Evaluated by the template, inside its cached fragment: not at all while the fragment is cached.
    latest = visible.with_relations().order_by("-published_at", "-id")[:10]
    guide_item = DisclosureItem.objects.filter(code=GUIDE_ITEM_CODE).select_related("category").first()
    return render(
        request,
        "portal/home.html",
        {
            "categories": categories,
            "latest": latest,
            "guide_item": guide_item,
        },
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: this page must render when the database is down.
    return render(request, "500.html", status=500)

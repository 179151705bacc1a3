"""Site-level pages that combine the apps: home, error pages, and the old addresses of moved admin pages."""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, connections
from django.db.models import Count
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import cache as pagecache
from disclosures.models import Category, Disclosure, DisclosureGuide, DisclosureItem
from portal.public_views import api_error

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
    latest = visible.for_rows().order_by("-published_at", "-id")[:10]
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


try:  # the PostgreSQL driver's own errors, for the few paths where Django does not wrap them
    from psycopg2 import InterfaceError as PgInterfaceError
    from psycopg2 import OperationalError as PgOperationalError
except ImportError:  # pragma: no cover - psycopg2 is in requirements.txt
    PgInterfaceError = PgOperationalError = InterfaceError

# The errors of a database that cannot be reached or has gone away (or, on SQLite, stays locked).
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, PgOperationalError, PgInterfaceError)
# What the 503 page asks clients to wait before trying again.
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


def moved_admin_page(request, app: str, page: str):
    """An admin page of a model that moved to another app (portal.urls.MOVED_ADMIN_PAGES): its new address."""
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect(f"{reverse('admin:index')}{app}/{page}" + (f"?{query}" if query else ""))
    response.status_code = 308  # permanent, and a form posted to the old address is posted again, not dropped
    return response


@require_GET
def accessibility_statement(request):
    """The accessibility statement (GB/T 37668, the MIIT's elderly-friendly website rules) and how to report a
    barrier (through the online consultation form)."""
    return render(request, "portal/accessibility.html", {"consult_url": reverse("feedback:consultation-form")})


def _is_api(request) -> bool:
    """The API answers its errors in JSON, whatever raised them (an unknown address, a bad request, a fault)."""
    return request.path_info.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return api_error(_("Bad request."), 400)
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    if _is_api(request):
        return api_error(_("Not found."), 404)
    return render(request, "404.html", status=404)


def database_unavailable(request):
    """The 503 page for a database that went away. Broken connections are closed so that the next request
    opens a fresh one (Django would reuse a persistent connection until its health check)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue  # the caller's transaction (a test's, say) rolls back and closes it itself
        try:
            connection.close()
        except (DatabaseError, *DATABASE_UNAVAILABLE_ERRORS):
            logger.warning("Closing the broken connection %r failed", connection.alias, exc_info=True)
    if _is_api(request):
        response = api_error(_("The site is temporarily unavailable. Please try again in a moment."), 503)
    else:
        response = render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """The 500 page, or the 503 page when the error is the database being unreachable.

    Django calls this inside its handler of the uncaught exception, wherever it was raised (a view or a
    middleware), so ``sys.exc_info()`` names it. Neither page uses a context processor that touches the
    database: they must render when it is down.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable(request)
    if _is_api(request):
        return api_error(_("Something went wrong on our side."), 500)
    return render(request, "500.html", status=500)


@require_GET
def disclosure_guide(request):
    """信息公开指南 (/guide/): the office and its contact, the catalogue's classification, how to apply by every
    channel, time limits, fees and remedies, from the fields staff edit (disclosures.DisclosureGuide)."""
    return render(
        request,
        "portal/guide.html",
        {
            "guide": DisclosureGuide.current(),
            "categories": Category.objects.all(),
        },
    )

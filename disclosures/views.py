"""Public pages of the catalogue."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Prefetch, Value
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import condition, require_GET, require_POST
from django_ckeditor_5.views import upload_file as ckeditor_upload_file

from core import cache as pagecache
from core.uploads import (
    IMAGE_KINDS,
    STORAGE_ERRORS,
    STORAGE_FAILED_MESSAGE,
    STORAGE_RETRY_AFTER_SECONDS,
    check_upload,
    stored_file_response,
)
from disclosures import permissions, services
from disclosures.filters import DisclosureFilter
from disclosures.models import (
    Attachment,
    Cadence,
    Category,
    Disclosure,
    DisclosureItem,
    DisclosureStatus,
    ListClass,
)

logger = logging.getLogger(__name__)

ITEMS_PER_PAGE = 20


def item_stats(request, **filters) -> dict[int, dict]:
    """Per disclosure item: how many items this request may see, and the latest publication."""

    def compute():
        rows = (
            Disclosure.objects.visible_to(request)
            .filter(item__isnull=False, **filters)
            .order_by()
            .values("item_id")
            .annotate(count=Count("id"), last=Max("published_at"))
        )
        return {row["item_id"]: row for row in rows}

    key = "item-stats:" + ",".join(f"{name}={getattr(value, 'pk', value)}" for name, value in sorted(filters.items()))
    return pagecache.memoize(request, key, compute)


def _attach_stats(items, stats) -> None:
    for item in items:
        row = stats.get(item.pk, {})
        item.visible_count = row.get("count", 0)
        item.last_published = row.get("last")


def paginate(request, queryset, per_page: int = ITEMS_PER_PAGE):
    paginator = pagecache.CachedCountPaginator(queryset, per_page, request=request)
    return paginator.get_page(request.GET.get("page"))


@require_GET
def catalogue(request):
    categories = list(Category.objects.all())
    items = list(DisclosureItem.objects.filter(active=True).select_related("department", "category"))
    _attach_stats(items, item_stats(request))
    by_category: dict[int, list] = {}
    for item in items:
        by_category.setdefault(item.category_id, []).append(item)
    for category in categories:
        category.item_list = by_category.get(category.pk, [])
        category.visible_count = sum(item.visible_count for item in category.item_list)
    return render(request, "disclosures/category_list.html", {"categories": categories, "Cadence": Cadence})


@require_GET
def moe_list(request):
    """The 2014 list's fifty items, each with the catalogue items that implement it or the reason it does not
    apply: what an inspection checks the catalogue against."""
    classes = list(
        ListClass.objects.prefetch_related(
            Prefetch(
                "items__catalogue_items",
                queryset=DisclosureItem.objects.filter(active=True).select_related("category"),
            )
        )
    )
    return render(request, "disclosures/moe_list.html", {"classes": classes})


@require_GET
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    items = list(category.items.filter(active=True).select_related("department", "category"))
    _attach_stats(items, item_stats(request, category=category))
    page = paginate(
        request,
        Disclosure.objects.visible_to(request).filter(category=category).for_rows().order_by("-published_at", "-id"),
    )
    return render(
        request,
        "disclosures/category_detail.html",
        {"category": category, "items": items, "page_obj": page, "Cadence": Cadence},
    )


# Catalogue items whose code changed (disclosures migration 0008): old addresses lead to the new ones.
RENAMED_ITEMS = {"07.03": "05.08"}


@require_GET
def disclosure_item_detail(request, slug, code):
    items = DisclosureItem.objects.select_related("category", "department").prefetch_related("list_items")
    item = items.filter(code=code).first()
    if item is None and code in RENAMED_ITEMS:
        item = get_object_or_404(items, code=RENAMED_ITEMS[code])
        return redirect(item, permanent=True)
    if item is None:
        raise Http404
    if item.category.slug != slug:
        return redirect(item, permanent=True)
    page = paginate(
        request,
        Disclosure.objects.visible_to(request).filter(item=item).for_rows().order_by("-published_at", "-id"),
    )
    return render(
        request, "disclosures/disclosureitem_detail.html", {"item": item, "page_obj": page, "Cadence": Cadence}
    )


@require_GET
def disclosure_list(request):
    base = Disclosure.objects.visible_to(request).for_rows().order_by("-published_at", "-id")
    if set(request.GET) - {"page"}:
        filterset = DisclosureFilter(request.GET, queryset=base, request=request)
        queryset = filterset.qs
    else:
        # Nothing to filter: the form is only rendered, and only when its cached fragment has expired.
        filterset = SimpleLazyObject(lambda: DisclosureFilter(None, queryset=base, request=request))
        queryset = base
    page = paginate(request, queryset)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosures/disclosure_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "querystring": query.urlencode(),
            # Shown on the collapsed filter panel (phones): how many filters narrow the list.
            "active_filters": DisclosureFilter.active(query),
        },
    )


def _pointing_at(request, disclosure: Disclosure) -> tuple[list[Disclosure], list[Disclosure]]:
    """The visible items that point at one item, oldest first: its corrections and its interpretations.

    Their keys come first, both links in one query (most items have neither, and the page asks nothing more), each
    half through its link's own index: an OR of the two, or reading more than the key, made SQLite scan the table
    (43 ms at 100,000 items, against 0.03 ms). Asking for the rows with the visibility rules at once made it walk the
    whole publication-date index instead (28 ms at 10,000 items against 0.1 ms)."""

    def keys(**link):
        name = next(iter(link))
        return Disclosure.objects.filter(**link).order_by().annotate(link=Value(name)).values_list("pk", "link")

    links = list(keys(corrects=disclosure).union(keys(interprets=disclosure), all=True))
    if not links:
        return [], []
    rows = list(
        Disclosure.objects.visible_to(request).filter(pk__in={pk for pk, _link in links}).order_by("published_at", "id")
    )
    by_link = {name: {pk for pk, link in links if link == name} for name in ("corrects", "interprets")}
    return [row for row in rows if row.pk in by_link["corrects"]], [
        row for row in rows if row.pk in by_link["interprets"]
    ]


def _neighbours(request, disclosure: Disclosure):
    same = Disclosure.objects.visible_to(request).filter(category_id=disclosure.category_id)
    if not disclosure.is_public:
        return None, None
    # A range on the indexed date (not an OR of two conditions) so that the database walks the index.
    newer = (
        same.filter(published_at__gte=disclosure.published_at)
        .exclude(published_at=disclosure.published_at, id__lte=disclosure.id)
        .order_by("published_at", "id")
        .only("index_number", "title")
        .first()
    )
    older = (
        same.filter(published_at__lte=disclosure.published_at)
        .exclude(published_at=disclosure.published_at, id__gte=disclosure.id)
        .order_by("-published_at", "-id")
        .only("index_number", "title")
        .first()
    )
    return newer, older


def _if_visible(request, other: Disclosure | None) -> Disclosure | None:
    return other if other is not None and permissions.can_view(request, other) else None


# Conditional requests are answered before the view runs: their validators (Last-Modified, ETag) exist only for
# what this request may read, so a hidden item or attachment answers an If-Modified-Since or If-None-Match exactly
# like one that does not exist, and a 403 carries no validator (the file's SHA-256 is not told to outsiders).
def _disclosure_last_modified(request, index_number, print_view=False):
    disclosure = _disclosure(request, index_number)
    if disclosure is None or not permissions.can_view(request, disclosure):
        return None
    return disclosure.updated_at


def _disclosure(request, index_number) -> Disclosure | None:
    """The item of this address with what its page shows of the catalogue, read once per request: the conditional
    check above and the view share it."""
    cached = getattr(request, "_disclosure_of_page", None)
    if cached is None or cached[0] != index_number:
        disclosure = Disclosure.objects.with_relations().filter(index_number=index_number).first()
        if (
            disclosure is not None
            and disclosure.item is not None
            and disclosure.item.category_id == disclosure.category_id
        ):
            disclosure.item.category = disclosure.category  # the breadcrumb's link to the item names its category
        cached = (index_number, disclosure)
        request._disclosure_of_page = cached
    return cached[1]


def _attachment_etag(request, index_number, pk):
    attachment = (
        Attachment.objects.select_related("disclosure").filter(pk=pk, disclosure__index_number=index_number).first()
    )
    if attachment is None or not permissions.can_view(request, attachment.disclosure):
        return None
    return attachment.sha256 or None


@require_GET
@condition(last_modified_func=_disclosure_last_modified)
def disclosure_detail(request, index_number, print_view=False):
    # The item this one replaces or corrects is loaded only when there is one: joining both for every page
    # tripled the columns Django builds and PostgreSQL plans (1.8 ms against 0.4 ms per page).
    disclosure = _disclosure(request, index_number)
    if disclosure is None:
        raise Http404
    if not disclosure.is_public and not permissions.can_preview(request.user, disclosure):
        if disclosure.is_legal_withdrawal:
            if settings.DISCLOSURE_LEGAL_WITHDRAWAL_STATUS == 404:
                raise Http404
            return render(request, "disclosures/disclosure_gone.html", status=410)
        if disclosure.status == DisclosureStatus.WITHDRAWN:
            return render(request, "disclosures/disclosure_withdrawn.html", {"disclosure": disclosure})
        raise Http404
    if not permissions.can_view(request, disclosure):
        return render(request, "disclosures/disclosure_campus_only.html", {"disclosure": disclosure}, status=403)
    newer, older = _neighbours(request, disclosure)
    corrections, interpretations = _pointing_at(request, disclosure)
    template = "disclosures/disclosure_print.html" if print_view else "disclosures/disclosure_detail.html"
    return render(
        request,
        template,
        {
            "disclosure": disclosure,
            "attachments": list(disclosure.attachments.all()),
            "corrections": corrections,
            # Linked items are named only to those who may read them (a campus-only one not to outsiders).
            "corrected": _if_visible(request, disclosure.corrects if disclosure.corrects_id else None),
            "replaced_by": _if_visible(request, disclosure.replaced_by if disclosure.replaced_by_id else None),
            # 政策解读, both ways: the rule this item interprets, and the published interpretations of this one.
            "interprets": _if_visible(request, disclosure.interprets if disclosure.interprets_id else None),
            "interpretations": interpretations,
            "newer": newer,
            "older": older,
            "preview": not disclosure.is_public,
        },
    )


@require_GET
@condition(etag_func=_attachment_etag)
def attachment_download(request, index_number, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("disclosure"), pk=pk, disclosure__index_number=index_number
    )
    disclosure = attachment.disclosure
    if not permissions.can_view(request, disclosure):
        if disclosure.is_public:  # campus-only: say so politely
            return render(request, "disclosures/disclosure_campus_only.html", {"disclosure": disclosure}, status=403)
        raise Http404
    response = stored_file_response(
        request,
        lambda: attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    if disclosure.is_public and response.status_code == 200:
        services.attachment_count_download(attachment=attachment)
    return response


@require_GET
def editor_image(request, name):
    """Images placed in item bodies by the editor: images only, never rendered as anything else."""
    path = PurePosixPath("editor") / PurePosixPath(name).name
    content_type = mimetypes.guess_type(path.name)[0]
    if content_type not in {kind.content_type for kind in IMAGE_KINDS}:
        raise Http404
    response = stored_file_response(request, lambda: default_storage.open(str(path), "rb"), content_type=content_type)
    if response.status_code == 200:
        response["Content-Security-Policy"] = "default-src 'none'"
        response["Cache-Control"] = "public, max-age=86400"
    return response


@require_POST
def editor_image_upload(request):
    """The rich-text editor's image upload (in front of django-ckeditor-5's own view): staff only, and only an
    image whose content is the PNG, JPEG, GIF or WebP its name says, within EDITOR_IMAGE_MAX_MB."""
    uploaded = request.FILES.get("upload")
    if request.user.is_staff and uploaded is None:
        # django-ckeditor-5 would read request.FILES["upload"] and fail with a 500.
        return JsonResponse({"error": {"message": gettext("Choose an image file to upload.")}}, status=400)
    if request.user.is_staff:
        try:
            check_upload(uploaded, max_bytes=settings.EDITOR_IMAGE_MAX_BYTES, kinds=IMAGE_KINDS)
        except ValidationError as error:
            return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    try:
        return ckeditor_upload_file(request)
    except STORAGE_ERRORS:
        # Storage full, read-only or unreachable: the answer the other uploads give (503, retry later), in the
        # JSON the editor shows to the person, not a 500.
        logger.exception("An editor image could not be stored")
        response = JsonResponse({"error": {"message": str(STORAGE_FAILED_MESSAGE)}}, status=503)
        response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
        return response

"""The search page: full-text query plus the item list's filters."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from core import cache as pagecache
from disclosures import search
from disclosures.filters import DisclosureFilter
from disclosures.models import Disclosure

RESULTS_PER_PAGE = 20


class SearchFilter(DisclosureFilter):
    """The item list's filters; the text box is the full-text query, handled by the view."""

    def filter_title(self, queryset, name, value):
        return queryset


def _results_html(request, filterset, base, query) -> str:
    """The rendered results (count, list, pagination) for this query, filters and page."""
    filtered = filterset.qs if filterset.is_bound else base
    whole_list = not SearchFilter.narrows(request.GET, text=False)
    paginator = pagecache.CachedCountPaginator(
        search.ranked(filtered, query, whole_list=whole_list), RESULTS_PER_PAGE, request=request
    )
    if paginator.count == 0:  # only then are words corrected or dropped (the count is needed anyway)
        understood = search.understand(filtered, query)
        if understood is not query:
            query = understood
            paginator = pagecache.CachedCountPaginator(
                search.ranked(filtered, query, whole_list=whole_list), RESULTS_PER_PAGE, request=request
            )
            paginator.count = paginator.object_list.count()
    more = paginator.count > search.MAX_RESULTS  # counted up to one more than it serves
    if more:
        paginator.count = search.MAX_RESULTS
    page = paginator.get_page(request.GET.get("page"))
    for disclosure in page.object_list:
        document = getattr(disclosure, "search_document", None)
        disclosure.highlighted_title = search.highlight(disclosure.title, query.terms)
        disclosure.snippet = search.snippet(document.text if document else "", query.terms)
    params = request.GET.copy()
    params.pop("page", None)
    corrected = None
    if query.corrected:
        corrected_params = params.copy()
        corrected_params["q"] = query.corrected
        corrected = format_html('<a href="?{}">{}</a>', corrected_params.urlencode(), query.corrected)
    return render_to_string(
        "portal/search_results.html",
        {
            "query": query,
            "page_obj": page,
            "querystring": params.urlencode(),
            "corrected_link": corrected,
            "more_results": more,
        },
        request=request,
    )


@require_GET
def search_page(request):
    raw = request.GET.get("q", "")
    base = (
        Disclosure.objects.visible_to(request)
        .with_relations()
        .select_related("search_document")
        .defer("body", "summary", "withdrawal_reason")
    )
    filterset = SearchFilter(request.GET or None, queryset=base, request=request)
    query = error = results_html = None
    if request.GET:
        try:
            query = search.parse_query(raw, synonyms=search.synonym_groups(request))
        except search.QueryError as exc:
            error = str(exc.args[0])
    if query is not None:
        # Rendered once per content version, language, audience, query, filters and page.
        if settings.FRAGMENT_CACHE_ENABLED:
            page = request.GET.get("page", "")
            # Only a page number goes into the key: any other text selects the first page anyway.
            key = f"search:{pagecache.request_key(request)}:{page if page.isascii() and page.isdigit() else ''}"[:200]
            results_html = pagecache.memoize(request, key, lambda: _results_html(request, filterset, base, query))
        else:
            results_html = _results_html(request, filterset, base, query)
    params = request.GET.copy()
    params.pop("page", None)
    # The filter form shows the filters, not the words searched for: its fragment is shared by every query with
    # the same filters (a bound form without them shows the same empty fields as an unbound one, but is keyed
    # apart all the same).
    shown = request.GET.copy()
    for name in ("q", "page"):
        shown.pop(name, None)
    return render(
        request,
        "portal/search.html",
        {
            "filter": filterset,
            "query": query,
            "raw_query": raw[: search.MAX_QUERY_CHARS * 2],
            "error": error,
            "results_html": mark_safe(results_html) if results_html else None,  # rendered by our template
            "querystring": params.urlencode(),
            "filter_key": f"{filterset.is_bound}:{shown.urlencode()}",
        },
    )

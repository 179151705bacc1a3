"""The search page: full-text query plus the item list's filters."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from disclosures import pagecache, search
from disclosures.filters import DisclosureFilter
from disclosures.models import Disclosure

RESULTS_PER_PAGE = 20


class SearchFilter(DisclosureFilter):
    """The item list's filters; the text box is the full-text query, handled by the view."""

    def filter_title(self, queryset, name, value):
        return queryset


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
    query = error = page = None
    if request.GET:
        try:
            query = search.parse_query(raw)
        except search.QueryError as exc:
            error = str(exc.args[0])
    if query is not None:
        filtered = filterset.qs if filterset.is_bound else base
        results = search.search(filtered, query)
        page = pagecache.CachedCountPaginator(results, RESULTS_PER_PAGE, request=request).get_page(
            request.GET.get("page")
        )
        for disclosure in page.object_list:
            document = getattr(disclosure, "search_document", None)
            disclosure.highlighted_title = search.highlight(disclosure.title, query.terms)
            disclosure.snippet = search.snippet(document.text if document else "", query.terms)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "portal/search.html",
        {
            "filter": filterset,
            "query": query,
            "raw_query": raw[: search.MAX_QUERY_CHARS * 2],
            "error": error,
            "page_obj": page,
            "querystring": params.urlencode(),
        },
        status=200,
    )

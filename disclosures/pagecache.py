"""Caching of what public pages compute: counts and statistics keyed on the content version.

``search.bump_content_version`` (called by the services whenever a disclosure changes) moves the version,
so everything cached under the old one is never read again. The version lives in the database, so every
process and machine sees the change at once, whatever the cache backend. Items scheduled for a later
publication appear at the latest ``PAGE_CACHE_SECONDS`` after their time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from disclosures.search import content_version

DEEP_PAGE_OFFSET = 200


def audience_key(request) -> str:
    from disclosures.permissions import can_see_campus_only

    return "campus" if can_see_campus_only(request) else "public"


def memoize(request, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached for this content version and this request's audience."""
    full_key = f"memo:{content_version(request)}:{audience_key(request)}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.PAGE_CACHE_SECONDS)
    return value


def request_key(request) -> str:
    """The path and query of ``request`` without the page number: the same list, whatever its page."""
    params = request.GET.copy()
    params.pop("page", None)
    return hashlib.sha256(f"{request.path}?{params.urlencode()}".encode()).hexdigest()


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached per content version, and whose deep pages select by primary key.

    The total is cached under the request's path and query (without the page): one paginator per list view.

    Counting 100,000 rows on every page view costs more than the page itself; and ``OFFSET 40000`` of full
    rows reads them all, while ``OFFSET 40000`` of primary keys walks one index.
    """

    def __init__(self, object_list, per_page, *, request, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.request = request

    @cached_property
    def count(self) -> int:
        return memoize(self.request, f"count:{request_key(self.request)}", self.object_list.count)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < DEEP_PAGE_OFFSET:
            return self._get_page(self.object_list[bottom:top], number, self)
        return self._get_page(_RowsByKey(self.object_list, bottom, top), number, self)


class _RowsByKey(Sequence):
    """A deep page's rows, read lazily in two steps: the keys from the index, then those rows only."""

    def __init__(self, queryset, bottom: int, top: int):
        self.queryset, self.bottom, self.top = queryset, bottom, top
        self._rows: list | None = None

    def _load(self) -> list:
        if self._rows is None:
            keys = list(self.queryset.values_list("pk", flat=True)[self.bottom : self.top])
            found = {row.pk: row for row in self.queryset.filter(pk__in=keys).order_by()}
            self._rows = [found[key] for key in keys if key in found]
        return self._rows

    def __getitem__(self, index):
        return self._load()[index]

    def __len__(self) -> int:
        return len(self._load())

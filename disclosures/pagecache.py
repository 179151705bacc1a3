"""Caching of what public pages compute: counts and statistics keyed on the content version.

``search.bump_content_version`` (called by the services whenever a disclosure changes) moves the version,
so everything cached under the old one is never read again. The version lives in the database, so every
process and machine sees the change at once, whatever the cache backend. Items scheduled for a later
publication appear at the latest ``PAGE_CACHE_SECONDS`` after their time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
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


def queryset_key(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached per content version, and whose deep pages select by primary key.

    Counting 100,000 rows on every page view costs more than the page itself; and ``OFFSET 40000`` of full
    rows reads them all, while ``OFFSET 40000`` of primary keys walks one index.
    """

    def __init__(self, object_list, per_page, *, request, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.request = request

    @cached_property
    def count(self) -> int:
        return memoize(self.request, f"count:{queryset_key(self.object_list)}", self.object_list.count)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < DEEP_PAGE_OFFSET:
            return self._get_page(self.object_list[bottom:top], number, self)
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()}
        return self._get_page([found[key] for key in keys if key in found], number, self)

"""Caching of what public pages compute: counts, statistics and fragments keyed on the content version.

``bump_content_version`` (called by the services whenever published content changes) moves the version,
so everything cached under the old one is never read again. The version lives in the database, so every
process and machine sees the change at once, whatever the cache backend. Items scheduled for a later
publication appear at the latest ``PAGE_CACHE_SECONDS`` after their time.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import F
from django.utils.functional import cached_property

from core.http import campus_session, can_see_campus_only
from core.models import Sequence as NamedCounter

DEEP_PAGE_OFFSET = 200
CONTENT_VERSION = "portal:content-version"

# One memo per database the version is read from (the primary, and a read replica when there is one): a page
# rendered from a lagging replica is then never stored under a version only the primary has reached yet.
_version_memo: dict[str, float] = {"value": 0, "read_at": float("-inf")}
_version_memos: dict[str, dict[str, float]] = {DEFAULT_DB_ALIAS: _version_memo}


def bump_content_version() -> None:
    """Record that public content changed: cached pages, fragments and counts keyed on the version expire.

    The version lives in the database so that every process and machine sees the change.
    """
    if not NamedCounter.objects.filter(name=CONTENT_VERSION).update(value=F("value") + 1):
        NamedCounter.objects.get_or_create(name=CONTENT_VERSION, defaults={"value": 1})
    for memo in _version_memos.values():
        memo["read_at"] = float("-inf")


def content_version(request=None) -> int:
    """The current content version: read once per request, and by each process at most once every
    ``CONTENT_VERSION_SECONDS`` (a change made in another process shows within that time)."""
    if request is not None and hasattr(request, "_content_version"):
        return request._content_version
    now = time.monotonic()
    alias = router.db_for_read(NamedCounter)
    memo = _version_memos.setdefault(alias, {"value": 0, "read_at": float("-inf")})
    if now - memo["read_at"] >= settings.CONTENT_VERSION_SECONDS:
        value = (
            NamedCounter.objects.using(alias).filter(name=CONTENT_VERSION).values_list("value", flat=True).first() or 0
        )
        memo.update(value=value, read_at=now)
    value = int(memo["value"])
    if request is not None:
        request._content_version = value
    return value


def audience_key(request) -> str:
    """Whom a cached page or fragment was made for: anyone, the campus network, or a campus session (whose
    pages also differ in the header: signed in, sign out)."""
    if campus_session(request) is not None:
        return "campus-session"
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

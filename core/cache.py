"""Caching of what public pages compute: counts, statistics and fragments keyed on the content version.

``bump_content_version`` (called by the services whenever published content changes) moves the version,
so everything cached under the old one is never read again. The version lives in the database, so every
process and machine sees the change at once, whatever the cache backend. Items scheduled for a later
publication appear at the latest ``PAGE_CACHE_SECONDS`` after their time.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from array import array
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
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


def variant_key(request) -> str:
    """What, besides the content, changes what a page shows: the content version, the language, the audience
    (public or campus) and the URL prefix (links inside are reversed with it). Every cached fragment and memo
    is stored under it, so one process's Chinese page is never served to another's English visitor."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    prefix = hashlib.sha256(get_script_prefix().encode()).hexdigest()[:12]
    return f"{content_version(request)}:{language}:{audience_key(request)}:{prefix}"


def memoize(request, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached for this content version, language, audience and URL prefix (``variant_key``)."""
    full_key = f"memo:{variant_key(request)}:{key}"
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
        if bottom < DEEP_PAGE_OFFSET or not isinstance(self.object_list, QuerySet):  # (a ranked sequence: as it is)
            return self._get_page(self.object_list[bottom:top], number, self)
        keys = _keyset_columns(self.object_list)
        if keys is not None and number > 1 and not self.orphans:
            anchors = memoize(
                self.request,
                # ("anchors2": a process of the code before PageAnchors, sharing the cache, cannot read them.)
                f"anchors2:{self.per_page}:{request_key(self.request)}",
                lambda: _page_anchors(self.object_list, keys, self.per_page),
            )
            if number - 2 < len(anchors):
                rows = _RowsAfter(self.object_list, keys, anchors[number - 2], top - bottom)
                return self._get_page(rows, number, self)
        return self._get_page(_RowsByKey(self.object_list, bottom, top), number, self)


def _keyset_columns(queryset) -> tuple[str, str, str] | None:
    """The (date, id) columns of a list ordered newest first by them, which pages can be cut on; None for any other
    order (the search's relevance tiers), which pages by offset."""
    order = list(queryset.query.order_by)
    model = queryset.model
    if len(order) != 2 or not all(isinstance(name, str) and name.startswith("-") for name in order):
        return None
    first, second = (name[1:] for name in order)
    if second not in ("id", "pk") or "__" in first:
        return None
    try:
        field = model._meta.get_field(first)
    except Exception:  # noqa: BLE001 - an annotation or expression: not a column to cut on
        return None
    return first, field.column, model._meta.pk.column


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


class PageAnchors(Sequence):
    """A list's page anchors, (date, id) each, kept as one array of 64-bit integers (microseconds since 1970,
    then the id): the cache stores a value pickled, and a page of a long list unpickled thousands of datetimes
    on every request (5,000 anchors of 100,000 items: 2.9 ms of a 5 ms page on the benchmark's machine, against
    microseconds for the array). ``anchors[i]`` is made on the fly."""

    def __init__(self, rows: list[tuple]):
        self.values = array("q")
        for date, pk in rows:
            self.values.extend(((date - _EPOCH) // _MICROSECOND, pk))

    @classmethod
    def of(cls, rows: list[tuple]):
        """``rows`` compacted, or as they are where a key is not a date and time or an id is not an integer."""
        if all(isinstance(date, datetime.datetime) and isinstance(pk, int) for date, pk in rows):
            return cls(rows)
        return rows

    def __len__(self) -> int:
        return len(self.values) // 2

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return _EPOCH + self.values[2 * index] * _MICROSECOND, self.values[2 * index + 1]


def _page_anchors(queryset, keys: tuple[str, str, str], per_page: int) -> Sequence[tuple]:
    """The (date, id) of the last row of every page, in page order: one pass over the list's index in the
    database (a window function), after which any page is read from its anchor without walking the rows before."""
    name = keys[0]
    inner = queryset.order_by().annotate(_k0=F(name), _k1=F("pk")).values_list("_k0", "_k1")
    sql, params = inner.query.sql_with_params()
    connection = connections[queryset.db]
    wrapped = (
        "SELECT k0, k1 FROM (SELECT t._k0 AS k0, t._k1 AS k1, ROW_NUMBER() OVER (ORDER BY t._k0 DESC, t._k1 DESC) "
        f"AS rn FROM ({sql}) t) w WHERE rn %% {int(per_page)} = 0 ORDER BY rn"
    )
    with connection.cursor() as cursor:
        cursor.execute(wrapped, params)
        return PageAnchors.of([(_as_datetime(value), pk) for value, pk in cursor.fetchall()])


def _as_datetime(value):
    """A date of a raw query, aware: SQLite hands back the stored text, or a naive datetime, both in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


class _RowsAfter(Sequence):
    """A page's rows read from its anchor: ``(date, id) < anchor`` in the list's order, the index walked from there."""

    def __init__(self, queryset, keys: tuple[str, str, str], anchor: tuple, size: int):
        self.queryset, self.keys, self.anchor, self.size = queryset, keys, anchor, size
        self._rows: list | None = None

    def _load(self) -> list:
        if self._rows is None:
            connection = connections[self.queryset.db]
            table = connection.ops.quote_name(self.queryset.model._meta.db_table)
            date_column, id_column = (connection.ops.quote_name(column) for column in self.keys[1:])
            date = connection.ops.adapt_datetimefield_value(self.anchor[0])
            after = RawSQL(
                f"({table}.{date_column}, {table}.{id_column}) < (%s, %s)",
                [date, self.anchor[1]],
                output_field=BooleanField(),
            )
            rows = self.queryset.filter(after)
            # The anchor first (filter() added it last; the order of the conditions does not change the rows):
            # SQLite bounds its index range by the first condition on the date it meets, and the public rule's own
            # bound (published up to now) came first, so a deep page walked the index down from today to its
            # anchor (34 ms for page 4,169 of 100,000 items, 0.6 ms from the anchor). PostgreSQL takes the tighter
            # bound either way.
            children = rows.query.where.children
            children.insert(0, children.pop())
            self._rows = list(rows[: self.size])
        return self._rows

    def __getitem__(self, index):
        return self._load()[index]

    def __len__(self) -> int:
        return len(self._load())


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

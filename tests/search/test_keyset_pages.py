"""Deep list pages are read from an anchor (keyset), not by walking the rows before them (issue 16, cold path)."""

import datetime
import pickle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import cache as pagecache
from disclosures.models import Disclosure
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db
NO_CACHE = {"PAGE_CACHE_ENABLED": False, "FRAGMENT_CACHE_ENABLED": False}


@pytest.fixture
def many(monkeypatch):
    monkeypatch.setattr(pagecache, "DEEP_PAGE_OFFSET", 0)  # every page after the first is a deep one here
    base = timezone.now() - datetime.timedelta(days=40)
    made = []
    for n in range(47):
        # Several items share a publication time: the id breaks the tie, as in the list's order.
        made.append(make_disclosure(title=f"通知{n}", published_at=base + datetime.timedelta(hours=n // 3)))
    return made


def _page(client, settings, page, **params):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("disclosures:disclosure-list"), {"page": page, **params})
    assert response.status_code == 200
    return [d.pk for d in response.context["page_obj"].object_list], [q["sql"] for q in captured]


def test_every_page_holds_the_rows_of_the_list_order_without_offset(client, settings, many):
    expected = list(Disclosure.objects.published().order_by("-published_at", "-id").values_list("pk", flat=True))
    for page in (1, 2, 3):
        ids, statements = _page(client, settings, page)
        assert ids == expected[(page - 1) * 20 : page * 20], page
        if page > 1:
            assert not [sql for sql in statements if "OFFSET" in sql.upper() and "disclosures_disclosure" in sql]
    assert _page(client, settings, 99)[0] == expected[40:]  # past the end: the last page


def test_filtered_lists_and_category_pages_too(client, settings, many):
    expected = list(
        Disclosure.objects.published()
        .filter(department__code="admissions")
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)
    )
    ids, statements = _page(client, settings, 2, department="admissions")
    assert ids == expected[20:40]
    assert not [sql for sql in statements if "OFFSET" in sql.upper() and "disclosures_disclosure" in sql]
    category = many[0].category
    response = client.get(category.get_absolute_url(), {"page": 3})
    assert [d.pk for d in response.context["page_obj"].object_list] == expected[40:]


def test_a_new_item_moves_the_pages(client, settings, many):
    first = _page(client, settings, 2)[0]
    make_disclosure(title="最新通知")
    assert _page(client, settings, 2)[0][1:] == first[:-1]


def _copies(template: Disclosure, count: int, base) -> None:
    """``count`` more published rows like ``template``, one minute apart before ``base`` (bulk: only the list's
    columns matter here)."""
    columns = Disclosure.objects.filter(pk=template.pk).values().get()
    for name in ("id", "index_number", "published_at"):
        del columns[name]
    Disclosure.objects.bulk_create(
        Disclosure(
            **columns,
            index_number=f"{template.index_number}-C{n:04d}",
            published_at=base - datetime.timedelta(minutes=n + 1),
        )
        for n in range(count)
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's virtual-machine steps")
def test_a_deep_page_reads_from_its_anchor_not_from_the_newest_row(client, settings, many):
    """A deep page costs what a near one does: the statement that reads its rows starts at its anchor. It used to
    start at today (the public rule's bound on the date came first, and SQLite bounds its range by the first),
    walking every newer row: page 30 of 640 cost ten times page 2."""
    _copies(many[0], 600, many[0].published_at)
    expected = list(Disclosure.objects.published().order_by("-published_at", "-id").values_list("pk", flat=True))
    _page(client, settings, 2)  # the anchors, computed once for the list
    _page(client, settings, 30)

    def steps_of(page):
        counted = [0]

        def tick():
            counted[0] += 1
            return 0

        raw = connection.connection
        raw.set_progress_handler(tick, 100)
        try:
            ids = _page(client, settings, page)[0]
        finally:
            raw.set_progress_handler(None, 100)
        return ids, counted[0]

    near_ids, near = steps_of(2)
    deep_ids, deep = steps_of(30)
    assert near_ids == expected[20:40]
    assert deep_ids == expected[580:600]
    assert deep < near * 1.5, (near, deep)


def test_the_anchors_are_cached_compact_and_read_back_exactly(many):
    """The cache pickles what it stores: a long list's anchors as tuples of datetimes cost a deep page of 100,000
    items 2.9 ms of unpickling a request on the benchmark's machine. They are one array of integers, read back
    to the same (date, id), microseconds and all."""
    _copies(many[0], 400, many[0].published_at - datetime.timedelta(microseconds=123457))
    queryset = Disclosure.objects.published().order_by("-published_at", "-id")
    anchors = pagecache._page_anchors(queryset, pagecache._keyset_columns(queryset), 20)
    assert len(pickle.dumps(anchors)) < 16 * len(anchors) + 200
    rows = list(queryset.values_list("published_at", "pk"))
    assert list(anchors) == rows[19::20] and len(anchors) == len(rows) // 20 == 22
    assert anchors[-1] == rows[439] and anchors[3:5] == rows[79:100:20]
    # Keys of another kind (a date, a text id) are kept as they are.
    assert pagecache.PageAnchors.of([(datetime.date(2020, 1, 1), 1)]) == [(datetime.date(2020, 1, 1), 1)]
    assert pagecache.PageAnchors.of([(rows[0][0], "a")]) == [(rows[0][0], "a")]

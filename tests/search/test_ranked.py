"""search.ranked: the page read tier by tier is the page of search()'s one ranked query, for any slice, on SQLite
and PostgreSQL, and on PostgreSQL whichever way each tier is read (through its keys, or by walking the date index);
SQLite's index rows keyed by publication time follow that time and go with their document."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosures import search, services
from disclosures.models import Disclosure
from disclosures.search_models import SearchDocument
from tests.factories import make_disclosure, reviewer

pytestmark = pytest.mark.django_db

TITLES = ["学校招生章程", "招生工作通知", "章程修订说明", "财务预算公开", "部门预算与招生计划", "校园工作简报"]
BODIES = ["<p>招生章程全文</p>", "<p>预算说明与章程</p>", "<p>工作安排</p>", "<p>无关内容</p>"]
QUERIES = ["招生章程", "章程 招生", "预算", "工作", "招生", "学费", "章程2024", "量子纠缠"]


@pytest.fixture
def corpus():
    rng = random.Random(5)
    now = timezone.now()
    for n in range(36):
        make_disclosure(
            title=rng.choice(TITLES) + ("2024" if n % 5 == 0 else ""),
            body=rng.choice(BODIES),
            # Some share a publication time, so the id decides between them.
            published_at=now - datetime.timedelta(days=rng.randint(1, 6), hours=0 if n % 3 else 7),
            audience="campus" if n % 11 == 0 else "public",
        )
    return Disclosure.objects.published().filter(audience="public")


# PostgreSQL: every tier read as one of many (from the newest rows, or, with a window of 3, mostly the planner's
# way) or as one of few. SQLite: along its index (narrowed at 0 rows: never), or through the queryset's indexes.
# whole_list: PostgreSQL reads every tier as one of few, uncounted, once the whole list's count says so.
@pytest.mark.parametrize("whole_list", [False, True])
@pytest.mark.parametrize(("walk_at", "window", "narrow_at"), [(1, 2000, 0), (1, 3, 10**6), (10**6, 2000, 0)])
def test_every_slice_is_the_ranked_querys(corpus, monkeypatch, walk_at, window, narrow_at, whole_list):
    monkeypatch.setattr(search, "RANK_WALK_AT", walk_at)
    monkeypatch.setattr(search, "NEWEST_WINDOW", window)
    monkeypatch.setattr(search, "SQLITE_NARROW_AT", narrow_at)
    for text in QUERIES:
        query = search.parse_query(text, synonyms={"学费": ["招生"]})
        expected = [(d.pk, d.search_tier) for d in search.search(corpus, query)]
        ranked = search.ranked(corpus, query, whole_list=whole_list)
        assert ranked.count() == len(expected), text
        for start, stop in [(0, 20), (0, 5), (3, 9), (7, 30), (len(expected), len(expected) + 5)]:
            got = [(d.pk, d.search_tier) for d in ranked[start:stop]]
            assert got == expected[start:stop], (text, start, stop)


# (title, body, attachments' text): phrases within and across the parts, words only in an attachment.
INDEXED = [
    ("学校招生章程", "全文", ""),
    ("招生", "章程说明", ""),  # the phrase across the title and the body
    ("工作简报", "招生", "章程全文"),  # ... across the body and an attachment
    ("通知", "无关", "招生章程"),  # only in an attachment
    ("招生计划", "工作安排", "章程"),
    ("预算公开", "招生章程修订", "招生"),
]


@pytest.mark.parametrize("whole_list", [False, True])
@pytest.mark.parametrize(("walk_at", "window"), [(1, 2000), (1, 1), (10**6, 2000)])
def test_every_slice_is_the_ranked_querys_with_attachment_text(monkeypatch, walk_at, window, whole_list):
    """PostgreSQL reads the text tiers from the title's and the body's vector (migration 0016) where search()
    weighs the document's: the two agree on what an attachment's text adds, and on phrases across the parts."""
    monkeypatch.setattr(search, "RANK_WALK_AT", walk_at)
    monkeypatch.setattr(search, "NEWEST_WINDOW", window)
    now = timezone.now()
    for n, (title, body, attachments) in enumerate(INDEXED * 2):
        disclosure = make_disclosure(title=title, published_at=now - datetime.timedelta(hours=n + 1))
        key = SearchDocument.objects.get(disclosure=disclosure).index_key
        search._write_index(disclosure.pk, key, key, title, body, attachments)
    visible = Disclosure.objects.published().filter(audience="public")
    for text in ["招生章程", "章程 招生", "章程", "全文", "招生 学费"]:
        query = search.parse_query(text, synonyms={"学费": ["章程"]})
        expected = [(d.pk, d.search_tier) for d in search.search(visible, query)]
        assert expected, text
        ranked = search.ranked(visible, query, whole_list=whole_list)
        assert ranked.count() == len(expected), text
        for start, stop in [(0, 20), (0, 3), (2, 7), (5, 30)]:
            assert [(d.pk, d.search_tier) for d in ranked[start:stop]] == expected[start:stop], (text, start, stop)


def test_a_search_that_finds_more_than_it_serves_says_so(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    for n in range(5):
        make_disclosure(title=f"燕子迁徙观察报告第{n}期")
    data = client.get("/api/v1/search/", {"q": "燕子迁徙", "size": 2}).json()
    assert data["count"] == 3 and data["more"] is True and data["pages"] == 2
    assert len(client.get("/api/v1/search/", {"q": "燕子迁徙", "size": 2, "page": 2}).json()["results"]) == 1
    page = client.get("/search/", {"q": "燕子迁徙"}).content.decode()
    assert "超过 3 条" in page and "燕子迁徙" in page
    monkeypatch.setattr(search, "MAX_RESULTS", 5)
    data = client.get("/api/v1/search/", {"q": "燕子 迁徙"}).json()
    assert data["count"] == 5 and data["more"] is False


def _index_rows() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {search.FTS_TABLE} ORDER BY rowid")
        return [rowid for (rowid,) in cursor.fetchall()]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_index_rows_are_keyed_by_publication_time_and_follow_it():
    """SQLite reads results in its index's key order (publication second, then id): the rows must follow a
    publication time however it changes, and never be left behind."""
    now = timezone.now()
    old = make_disclosure(title="校园安全检查通报", published_at=now - datetime.timedelta(days=30))
    new = make_disclosure(title="校园安全检查通报（二）", published_at=now - datetime.timedelta(days=2))
    public = Disclosure.objects.published()
    query = search.parse_query("校园安全")
    assert [d.pk for d in search.ranked(public, query)[0:5]] == [new.pk, old.pk]
    assert sorted(_index_rows()) == sorted(search.index_key(d.published_at, d.pk) for d in (old, new))
    # A publication time written without re-indexing (an import, a repair by hand): the next migrate's
    # index_missing puts the row back in date order.
    Disclosure.objects.filter(pk=old.pk).update(published_at=now - datetime.timedelta(hours=1))
    search.index_missing()
    assert [d.pk for d in search.ranked(public, query)[0:5]] == [old.pk, new.pk]
    # Re-indexed under a new time: the row moves, none is left under the old key.
    old.refresh_from_db()
    old.published_at = now - datetime.timedelta(days=40)
    old.save(update_fields=["published_at"])
    search.index_disclosure(old)
    assert len(_index_rows()) == 2
    assert [d.pk for d in search.ranked(public, query)[0:5]] == [new.pk, old.pk]
    # Withdrawn: its row goes.
    services.disclosure_withdraw(disclosure=old, user=reviewer("withdrawing-reviewer"), reason="过期")
    assert _index_rows() == [search.index_key(new.published_at, new.pk)]
    assert [d.pk for d in search.ranked(public, query)[0:5]] == [new.pk]


@pytest.mark.parametrize("narrow_at", [0, 10**6])
def test_the_same_second_is_ordered_by_id_on_both_paths(monkeypatch, narrow_at):
    """Two items published in the same second, the later (by microseconds) with the lower id: ranked and search()
    agree (SQLite orders by the second, then the id; PostgreSQL by the time itself)."""
    monkeypatch.setattr(search, "SQLITE_NARROW_AT", narrow_at)
    moment = timezone.now().replace(microsecond=100) - datetime.timedelta(days=1)
    first = make_disclosure(title="实验室安全检查通报", published_at=moment + datetime.timedelta(microseconds=900000))
    second = make_disclosure(title="实验室安全检查通报", published_at=moment)
    public = Disclosure.objects.published()
    query = search.parse_query("实验室安全")
    expected = [d.pk for d in search.search(public, query)]
    assert [d.pk for d in search.ranked(public, query)[0:10]] == expected
    assert sorted(expected) == sorted([first.pk, second.pk])


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_deleted_search_document_takes_its_index_row():
    """However a search document goes (its disclosure deleted, by hand), its FTS5 row goes too: a row left behind
    would be read as the disclosure that takes its id next, or show an item twice once it is indexed again."""
    kept = make_disclosure(title="图书馆开放时间调整通知")
    gone = make_disclosure(title="图书馆开放时间调整通知（更正）")
    search.SearchDocument.objects.filter(disclosure_id=gone.pk).delete()
    assert _index_rows() == [search.index_key(kept.published_at, kept.pk)]
    search.index_missing()  # indexed again: one row, one result each
    assert len(_index_rows()) == 2
    query = search.parse_query("图书馆开放")
    assert sorted(d.pk for d in search.ranked(Disclosure.objects.published(), query)[0:10]) == [kept.pk, gone.pk]


def test_a_queryset_that_holds_nothing_finds_nothing():
    query = search.parse_query("通知")
    make_disclosure(title="放假通知")
    for empty in (Disclosure.objects.none(), Disclosure.objects.filter(pk__in=[])):
        ranked = search.ranked(empty, query)
        assert ranked.count() == 0 and list(ranked[0:20]) == []
        assert not search.has_matches(empty, query)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_rekey_moves_stale_rows_asking_each_batch_for_its_own_ids():
    items = [make_disclosure(title=f"校车时刻表第{n}版") for n in range(3)]
    Disclosure.objects.filter(pk__in=[d.pk for d in items]).update(
        published_at=timezone.now() - datetime.timedelta(days=9)
    )
    ids = [d.pk for d in items] + list(range(10**6, 10**6 + 1200))  # and ids with no document
    with CaptureQueriesContext(connection) as queries:
        assert search.rekey(ids) == 3
    # Three batches of at most 500 ids (SQLite builds limit a statement to 999 or 32,766 parameters).
    assert max(query["sql"].count(",") for query in queries.captured_queries) < 600
    assert search.rekey() == 0  # all in place
    moved = Disclosure.objects.filter(pk__in=[d.pk for d in items])
    assert set(_index_rows()) == {search.index_key(d.published_at, d.pk) for d in moved}


def test_index_keys_hold_any_publication_time_a_site_will_see():
    for year in (1990, 2038, 2100, 2500):
        when = datetime.datetime(year, 3, 1, 8, 0, tzinfo=datetime.UTC)
        key = search.index_key(when, 12345)
        assert -(2**63) <= key < 2**63 and key & ((1 << 28) - 1) == 12345
    assert search.index_key(datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC), 1) > search.index_key(
        datetime.datetime(2039, 12, 31, 23, 59, 59, tzinfo=datetime.UTC), 2
    )

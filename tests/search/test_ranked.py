"""search.ranked: the page read tier by tier is the page of search()'s one ranked query, for any slice, on SQLite
and PostgreSQL, and on SQLite whichever way each tier is read (through its keys, or by walking the date index)."""

import datetime
import random

import pytest
from django.db import connection
from django.utils import timezone

from disclosures import search, services
from disclosures.models import Disclosure
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


@pytest.mark.parametrize("walk_at", [1, 10**6])
def test_every_slice_is_the_ranked_querys(corpus, monkeypatch, walk_at):
    monkeypatch.setattr(search, "RANK_WALK_AT", walk_at)
    for text in QUERIES:
        query = search.parse_query(text, synonyms={"学费": ["招生"]})
        expected = [(d.pk, d.search_tier) for d in search.search(corpus, query)]
        ranked = search.ranked(corpus, query)
        assert ranked.count() == len(expected), text
        for start, stop in [(0, 20), (0, 5), (3, 9), (7, 30), (len(expected), len(expected) + 5)]:
            got = [(d.pk, d.search_tier) for d in ranked[start:stop]]
            assert got == expected[start:stop], (text, start, stop)


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

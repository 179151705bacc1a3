"""search.ranked: the page read tier by tier is the page of search()'s one ranked query, for any slice, on SQLite
and PostgreSQL, and on SQLite whichever way each tier is read (through its keys, or by walking the date index)."""

import datetime
import random

import pytest
from django.utils import timezone

from disclosures import search
from disclosures.models import Disclosure
from tests.factories import make_disclosure

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

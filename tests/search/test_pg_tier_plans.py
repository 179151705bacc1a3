"""PostgreSQL: each tier of a ranked search is read from the vector of the part it asks for (migration 0016), and a
tier of many matches that the newest items do not hold is read from its matches' keys, not by walking the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosures import search
from disclosures.models import Disclosure
from tests.factories import make_disclosure
from tests.search.plans import plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]


def _statements(queryset, text: str, start: int = 0, stop: int = 20) -> tuple[list, list[str]]:
    """The page ``start:stop`` of ``text``'s ranked results, checked against search()'s one query, and the
    statements that read it."""
    query = search.parse_query(text)
    expected = [(d.pk, d.search_tier) for d in search.search(queryset, query)][start:stop]
    with CaptureQueriesContext(connection) as captured:
        got = [(d.pk, d.search_tier) for d in search.ranked(queryset, query)[start:stop]]
    assert got == expected
    return got, [q["sql"] for q in captured.captured_queries]


def test_the_text_tiers_read_the_title_and_body_vector_unweighted():
    """A weighted match (':AB' on the document's vector) is rechecked row by row against the whole vector,
    attachments' text included: at 100,000 items with attachment text in a fifth of them a search touched 14,100
    buffers where it touches 9,000 this way, and the slowest read 540 ms against 100-140."""
    for n in range(6):
        make_disclosure(title=f"校园通知{n}", body="<p>本年度学生资助工作实施办法全文</p>")
    visible = Disclosure.objects.published().filter(audience="public")
    got, statements = _statements(visible, "资助 办法")
    assert len(got) == 6 and {tier for _pk, tier in got} <= {3, 4}
    assert not [sql for sql in statements if ":AB" in sql or ":A'" in sql]
    own = 'FROM disclosures_searchdocument WHERE "disclosures_searchdocument"."text_vector" @@'
    sizes = [sql for sql in statements if own in sql and f"LIMIT {search.RANK_WALK_AT}) t" in sql]
    assert sizes and all("disclosures_search_text_vector" in plan(sql) for sql in sizes)


def test_a_many_matches_tier_beyond_the_newest_rows_is_read_from_its_keys(monkeypatch):
    """A tier of many matches of which the newest items hold too few ("管理2015": items of 2015, 70,000 rows deep
    at 100,000 items) was read as the planner chose: it walked the list's date index testing each row's vector
    (a second). Its matches' keys are now collected from the text index first."""
    monkeypatch.setattr(search, "RANK_WALK_AT", 3)
    monkeypatch.setattr(search, "NEWEST_WINDOW", 4)
    now = timezone.now()
    for n in range(8):
        make_disclosure(
            title=f"资产管理办法{n}", body="<p>2015年修订</p>", published_at=now - datetime.timedelta(days=400 + n)
        )
    for n in range(6):
        make_disclosure(title=f"校园简报{n}", published_at=now - datetime.timedelta(days=n + 1))
    visible = Disclosure.objects.published().filter(audience="public")
    for start, stop in [(0, 5), (2, 7)]:
        got, statements = _statements(visible, "管理2015", start, stop)
        assert len(got) == 5
        reads = [sql for sql in statements if "ORDER BY" in sql and "text_vector" in sql and "newest" not in sql]
        assert reads and all("OFFSET 0)" in sql for sql in reads), reads


def _tier_sizes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if f"LIMIT {search.RANK_WALK_AT}) t" in sql]


def test_tiers_are_not_counted_when_the_whole_lists_count_says_they_are_few(client):
    """Each tier was counted up to RANK_WALK_AT before it was read, to choose how to read it: a count of a word's
    matches in the titles reads a document for each. A search of the whole list counts its matches first (for the
    pages): fewer than RANK_WALK_AT, and no tier has more. 300 cold-walk searches at 100,000 items: 24-26 → 21-22 ms
    of statements a search. A list narrowed by filters still counts each tier (its count is of its own rows)."""
    for n in range(6):
        make_disclosure(title=f"资助工作通知{n}", body="<p>学生资助办法</p>")
        make_disclosure(title=f"校园简报{n}", body="<p>本期资助工作简讯</p>")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/search/", {"q": "资助 工作"})
    assert page.status_code == 200 and page.content.decode().count('class="result-title"') == 12
    assert not _tier_sizes([q["sql"] for q in captured.captured_queries])
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/search/", {"q": "资助 工作"}).json()["count"] == 12
    assert not _tier_sizes([q["sql"] for q in captured.captured_queries])
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/", {"q": "资助 工作", "category": "student-affairs"}).status_code == 200
    assert _tier_sizes([q["sql"] for q in captured.captured_queries])

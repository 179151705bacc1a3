"""PostgreSQL: the search's count reads the whole list's matches from the text index, and counts a list narrowed
by filters from its own few rows."""

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


def _count_plan(queryset, text: str, expected: int, *, whole_list: bool = False) -> str:
    """The plan of the statement that counts ``text``'s matches in ``queryset`` (after checking the count)."""
    with CaptureQueriesContext(connection) as captured:
        assert search.ranked(queryset, search.parse_query(text), whole_list=whole_list).count() == expected
    return _plan_of_the_count(captured)


def _plan_of_the_count(captured) -> str:
    """The plan of the one statement among ``captured`` that counts a search's matches, the sequential scan ruled
    out so that a handful of rows plans as a large table would."""
    limit = f"LIMIT {search.MAX_RESULTS + 1}"  # (not the "is there anything" check before it)
    (statement,) = [
        q["sql"]
        for q in captured.captured_queries
        if "count(*)" in q["sql"] and "vector" in q["sql"] and limit in q["sql"]
    ]
    return plan(statement)


@pytest.mark.parametrize("address", ["/search/", "/api/v1/search/"])
def test_the_whole_lists_count_reads_the_matches_from_the_text_index(client, address):
    """For a word in about a tenth of 100,000 items (报告, 通知) the planner merged the documents' and the items'
    primary keys and tested every document's vector on the way (25-28 ms, against 4 through the text index): a
    search without filters, on the page and in the API, counts through the GIN index ``disclosures_search_vector``;
    with a filter it keeps the planner's own way (below)."""
    for n in range(12):
        make_disclosure(title=f"{'工作报告' if n % 3 == 0 else '招生通知'}{n}")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address, {"q": "报告", "sort": "-date", "other": "1"}).status_code == 200
    assert "disclosures_search_vector" in _plan_of_the_count(captured)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address, {"q": "报告", "category": "student-affairs"}).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries if "count(*)" in q["sql"] and "vector" in q["sql"]]
    assert statements and not any("OFFSET 0" in sql for sql in statements)


def _copies(n: int) -> None:
    """``n`` copies of the one item there is (and of its search document), an hour apart, then ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'disclosures_disclosure' "
            "AND column_name NOT IN ('id', 'index_number', 'published_at') AND is_generated = 'NEVER'"
        )
        columns = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())
        cursor.execute(
            f"INSERT INTO disclosures_disclosure (index_number, published_at, {columns}) "
            f"SELECT 'COPY-' || g, now() - g * interval '1 hour', {columns} "
            "FROM disclosures_disclosure, generate_series(1, %s) g",
            [n],
        )
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'disclosures_searchdocument' "
            "AND column_name <> 'disclosure_id' AND is_generated = 'NEVER'"
        )
        names = [name for (name,) in cursor.fetchall()]
        columns = ", ".join(f'"{name}"' for name in names)
        copied = ", ".join(f's."{name}"' for name in names)
        cursor.execute(
            f"INSERT INTO disclosures_searchdocument (disclosure_id, {columns}) SELECT d.id, {copied} "
            "FROM disclosures_disclosure d, (SELECT * FROM disclosures_searchdocument LIMIT 1) s "
            "WHERE d.index_number LIKE 'COPY-%%'"
        )
        cursor.execute("ANALYZE disclosures_disclosure")
        cursor.execute("ANALYZE disclosures_searchdocument")


def test_a_few_filtered_rows_are_counted_from_those_rows():
    """A common word in a list narrowed to a few rows (the last half day): the count starts from those rows and
    reads their documents by key. Read from the text index (d76cedd, reverted) it checked every one of the word's
    matches (at 100,000 items 0.7-3 ms became 300 ms); here 30,001 matches for 12 rows."""
    make_disclosure(title="学校工作报告")
    _copies(30000)
    recent = Disclosure.objects.published().filter(
        audience="public", published_at__gte=timezone.now() - datetime.timedelta(hours=12, minutes=30)
    )
    plan = _count_plan(recent, "学校", 12)
    assert "disclosures_searchdocument_pkey" in plan, plan

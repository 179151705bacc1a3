"""PostgreSQL: the search's count reads the matches through the text index, whatever the planner would prefer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures import search
from disclosures.models import Disclosure
from tests.factories import make_disclosure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]


def test_the_count_reads_the_matches_through_the_text_index():
    """For a word in about a tenth of 100,000 items (报告, 通知) the planner merged the documents' and the items'
    primary keys and tested every document's vector on the way (25-28 ms, against 4 through the index). Here, with
    the sequential scan ruled out so that a handful of rows plans as a large table would, the count must still read
    the text index (the GIN index ``disclosures_search_vector``)."""
    for n in range(12):
        make_disclosure(title=f"{'工作报告' if n % 3 == 0 else '招生通知'}{n}")
    public = Disclosure.objects.published().filter(audience="public")
    query = search.parse_query("报告")
    with CaptureQueriesContext(connection) as captured:
        assert search.ranked(public, query).count() == 4
    (statement,) = [q["sql"] for q in captured.captured_queries if "count(*)" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "disclosures_search_vector" in plan, plan

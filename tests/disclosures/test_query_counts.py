"""List pages run the same number of queries whatever the number of items shown."""

import pytest
from django.urls import reverse

from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload

PAGES = [
    reverse("home"),
    reverse("disclosures:category-list"),
    reverse("disclosures:category-detail", kwargs={"slug": "student-affairs"}),
    reverse("disclosures:disclosure-item-detail", kwargs={"slug": "student-affairs", "code": "04.01"}),
    reverse("disclosures:disclosure-list"),
    reverse("disclosures:disclosure-list") + "?category=student-affairs&year=2025&department=admissions&q=通知",
]


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_list_pages_do_not_grow_with_items(client, url, django_assert_max_num_queries):
    make_disclosure(title="通知 1")
    few = _count_queries(client, url)
    for n in range(2, 25):
        make_disclosure(title=f"通知 {n}")
    with django_assert_max_num_queries(few):
        client.get(url)
    assert few <= 10


@pytest.mark.django_db
def test_item_page_queries_do_not_grow_with_attachments(client, django_assert_max_num_queries):
    disclosure = make_disclosure()
    services.attachment_add(disclosure=disclosure, uploaded=upload("a.pdf", pdf_bytes()))
    few = _count_queries(client, disclosure.get_absolute_url())
    for n in range(5):
        services.attachment_add(disclosure=disclosure, uploaded=upload(f"b{n}.pdf", pdf_bytes()))
    with django_assert_max_num_queries(few):
        client.get(disclosure.get_absolute_url())


@pytest.mark.django_db
def test_an_item_page_reads_its_item_once_and_its_links_in_one_query(client):
    """The content version (which the cached parts of the page are keyed on), the item (with its category, catalogue
    item and department), its two neighbours, its attachments, and one query for what points at it (corrections and
    interpretations): six, where it took nine (the conditional check read the item again, each link had its query,
    and the breadcrumb read the catalogue item's category)."""
    older = make_disclosure(title="通知 1")
    disclosure = make_disclosure(title="通知 2")
    make_disclosure(title="通知 3")
    assert disclosure.item is not None and disclosure.item.category_id == disclosure.category_id
    client.get(older.get_absolute_url())  # the shared fragments (navigation, footer) are rendered once
    assert _count_queries(client, disclosure.get_absolute_url()) == 6


@pytest.mark.django_db
def test_corrections_and_interpretations_each_list_their_own(client):
    rule = make_disclosure(title="学生资助管理办法")
    correction = make_disclosure(title="关于学生资助管理办法的更正", corrects=rule, notice_kind="correction")
    reading = make_disclosure(title="学生资助管理办法解读", interprets=rule)
    both = make_disclosure(title="更正并解读", corrects=rule, interprets=rule, notice_kind="clarification")
    response = client.get(rule.get_absolute_url())
    assert [d.title for d in response.context["corrections"]] == [correction.title, both.title]
    assert [d.title for d in response.context["interpretations"]] == [reading.title, both.title]

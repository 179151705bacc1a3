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

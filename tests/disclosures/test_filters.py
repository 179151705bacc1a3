import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_disclosure

LIST = reverse("disclosures:disclosure-list")


@pytest.fixture
def two_years(db):
    return {
        "old": make_disclosure(
            title="2023年预算公开",
            category_code="11",
            item_code="11.02",
            department_code="finance",
            published_at=timezone.make_aware(datetime.datetime(2023, 10, 9, 10)),
        ),
        "new": make_disclosure(
            title="2025年招生章程", published_at=timezone.make_aware(datetime.datetime(2025, 6, 3, 9))
        ),
    }


def titles(response):
    return [d.title for d in response.context["page_obj"].object_list]


def test_filters_by_category_item_department_year_and_dates(client, two_years):
    assert titles(client.get(LIST, {"category": "finance"})) == ["2023年预算公开"]
    assert titles(client.get(LIST, {"item": "04.01"})) == ["2025年招生章程"]
    assert titles(client.get(LIST, {"department": "finance"})) == ["2023年预算公开"]
    assert titles(client.get(LIST, {"year": "2024"})) == ["2025年招生章程"]
    assert titles(client.get(LIST, {"year": "2023"})) == ["2023年预算公开"]
    assert titles(client.get(LIST, {"date_from": "2024-01-01"})) == ["2025年招生章程"]
    assert titles(client.get(LIST, {"date_to": "2023-10-09"})) == ["2023年预算公开"]
    assert titles(client.get(LIST, {"q": "预算"})) == ["2023年预算公开"]
    assert titles(client.get(LIST, {"sort": "date"})) == ["2023年预算公开", "2025年招生章程"]


@pytest.mark.parametrize(
    "params",
    [
        {"category": "no-such"},
        {"item": "99.99"},
        {"department": "'; DROP TABLE x;--"},
        {"year": "abc"},
        {"year": "1899"},
        {"date_from": "2024-13-45"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"sort": "password"},
        {"page": "-1"},
        {"page": "999999"},
        {"page": "x"},
        {"q": "x" * 500},
        {"q": "\x00\x01<script>"},
        {"category": ["finance", "teaching"]},
    ],
)
def test_malformed_filters_never_fail(client, two_years, params):
    response = client.get(LIST, params)
    assert response.status_code == 200


def test_a_malformed_filter_is_reported_and_ignored(client, two_years):
    response = client.get(LIST, {"year": "abc", "category": "finance"})
    html = response.content.decode()
    assert "已被忽略" in html
    assert titles(response) == ["2023年预算公开"]


def test_narrows_says_whether_any_filter_has_a_value():
    from django.http import QueryDict

    from disclosures.filters import DisclosureFilter

    def narrows(query, **options):
        return DisclosureFilter.narrows(QueryDict(query), **options)

    assert not narrows("")
    assert not narrows("sort=-date&page=3&other=1&category=")
    assert not narrows("q=预算&year=+", text=False)  # the search's own text, and a blank year
    assert narrows("q=预算")
    assert narrows("category=nope")  # refused later by the form, but asked for
    assert narrows("category=&category=student-affairs") and not narrows("category=student-affairs&category=")
    assert narrows("date_from=2025-01-01", text=False)

"""The API others build on (issue 18): every error as JSON (404, 400 with field messages in the request's
language, 405), the OpenAPI document, the compliance endpoint /api/v1/disclosure-items/, and Atom entry ids that
are IRIs as the W3C feed validator requires."""

import datetime
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from disclosures.models import DisclosureItem
from portal.public_views import list_class
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert isinstance(data["error"], str) and data["error"]
    return data


def test_unknown_item_is_a_json_404(client):
    data = _json_error(client.get("/api/v1/items/HCVC-1999-9999/"), 404)
    assert "<html" not in data["error"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/items/", "/api/v1/items/a%00b/"])
def test_unknown_api_addresses_are_json_404s(client, path):
    _json_error(client.get(path), 404)


def test_campus_only_and_draft_items_are_not_found_in_json(client):
    campus = make_disclosure(title="校内通知", audience="campus")
    draft = make_disclosure(title="草稿", status="draft")
    for item in (campus, draft):
        _json_error(client.get(reverse("portal:api-item-detail", args=[item.index_number or "HCVC-2024-0000"])), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v1/items/", "/api/v1/categories/", "/api/v1/disclosure-items/", "/api/v1/openapi.json"]
)
def test_other_methods_are_json_405s_naming_get(method, path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF token, and still a 405, not a 403
    response = getattr(client, method)(path)
    _json_error(response, 405)
    assert response["Allow"] == "GET, HEAD"


def test_bad_filters_are_a_400_naming_each_field_in_chinese_by_default(client):
    data = _json_error(client.get("/api/v1/items/?category=nope&date_from=2024-13-45&sort=size"), 400)
    assert data["error"] == "部分筛选条件无效。"
    assert set(data["fields"]) == {"category", "date_from", "sort"}
    assert all(isinstance(m, str) for messages in data["fields"].values() for m in messages)
    assert "有效" in data["fields"]["date_from"][0]


def test_bad_filters_are_named_in_english_for_an_english_request(client):
    data = _json_error(client.get("/api/v1/items/?date_from=yesterday", HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert data["error"] == "Some filters are not valid."
    assert data["fields"]["date_from"] == ["Enter a valid date."]


@pytest.mark.parametrize(("page", "status"), [("0", 400), ("x", 400), ("", 400), ("99", 404)])
def test_bad_page_is_a_400_and_a_page_past_the_last_a_404_naming_the_page(client, page, status):
    data = _json_error(client.get(f"/api/v1/items/?page={page}"), status)
    assert list(data["fields"]) == ["page"]


def test_openapi_document_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/v1/categories/",
        "/api/v1/items/",
        "/api/v1/items/{index_number}/",
        "/api/v1/disclosure-items/",
        "/api/v1/search/",
        "/api/v1/openapi.json",
    }
    filters = {p["name"]: p for p in document["paths"]["/api/v1/items/"]["get"]["parameters"]}
    assert "student-affairs" in filters["category"]["schema"]["anyOf"][0]["enum"]
    assert "04.01" in filters["item"]["schema"]["anyOf"][0]["enum"]


@time_machine.travel(datetime.datetime(2025, 12, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_disclosure_items_list_every_item_with_class_cadence_department_and_state(client):
    make_disclosure(title="2025年招生章程", item_code="04.01", published_at=timezone.now() - datetime.timedelta(days=2))
    response = client.get("/api/v1/disclosure-items/")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["count"] == DisclosureItem.objects.filter(active=True).count() == len(data["results"])
    rows = {row["code"]: row for row in data["results"]}
    admissions = rows["04.01"]
    assert admissions["last_published"].startswith("2025-11-29")
    assert admissions["state"] == "current"
    assert admissions["department"]["code"]
    assert admissions["cadence"] in {"on_change", "annual", "continuous", "per_term"}
    item = DisclosureItem.objects.get(code="04.01")
    assert admissions["list_class"] == list_class(item)
    # The 2014 list's class comes from the list item the basis cites: "MoE list 1" is class 1 (基本信息).
    assert rows["01.01"]["list_class"] == {"number": 1, "name": "基本信息"}
    # 01.01 is annual and nothing was ever published under it.
    assert rows["01.01"]["cadence"] == "annual" and rows["01.01"]["state"] == "never_published"
    assert {row["state"] for row in data["results"]} <= {"current", "due", "overdue", "never_published"}


@time_machine.travel(datetime.datetime(2025, 12, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_an_annual_item_published_last_year_only_is_overdue(client):
    make_disclosure(
        title="2024年办学基本情况",
        category_code="01",
        item_code="01.01",
        department_code="office",
        published_at=timezone.now() - datetime.timedelta(days=400),
    )
    rows = {row["code"]: row for row in json.loads(client.get("/api/v1/disclosure-items/").content)["results"]}
    assert rows["01.01"]["state"] == "overdue"
    assert rows["01.01"]["due"] == "2025-10-31"


@pytest.mark.parametrize("name", ["portal:feed-atom", "portal:category-feed-atom"])
def test_atom_entry_ids_are_the_items_addresses(client, name):
    items = [make_disclosure(title=f"通知{n}") for n in range(3)]
    kwargs = {"slug": items[0].category.slug} if name == "portal:category-feed-atom" else {}
    root = ET.fromstring(client.get(reverse(name, kwargs=kwargs)).content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 3
    for entry, entry_id in zip(entries, ids, strict=True):
        parts = urlsplit(entry_id)
        assert parts.scheme == "http" and parts.netloc and parts.path.startswith("/items/")  # an absolute IRI
        assert entry_id == entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert urlsplit(root.findtext(f"{ATOM}id")).scheme == "http"


def test_rss_guids_stay_index_numbers_that_are_not_permalinks(client):
    item = make_disclosure()
    root = ET.fromstring(client.get(reverse("portal:feed-rss")).content)
    guid = root.find("channel/item/guid")
    assert guid.text == item.index_number and guid.get("isPermaLink") == "false"

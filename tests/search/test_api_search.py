"""/api/v1/search/: the search page's rules as JSON."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db
URL = reverse("portal:api-search")


def test_words_in_any_order_with_highlighted_excerpts(client):
    make_disclosure(title="2024年部门预算公开", body="<p>现将学校2024年部门预算公开如下。</p>")
    make_disclosure(title="校园一卡通办理指南", audience="campus")
    response = client.get(URL, {"q": "預算2024"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    result = data["results"][0]
    assert result["title"] == "2024年部门预算公开"
    assert "<mark>预算</mark>" in result["title_html"] and "<mark>2024</mark>" in result["excerpt_html"]
    assert "<mark>" not in result["excerpt"] and "部门预算" in result["excerpt"]
    assert result["url"].endswith(f"/items/{result['index_number']}/")


def test_corrections_and_dropped_words_are_reported(client):
    make_disclosure(title="城市职业学院招生章程", body="<p>招生章程全文</p>")
    data = client.get(URL, {"q": "招生章城"}).json()
    assert data["corrected"] == "招生章程" and data["count"] == 1
    data = client.get(URL, {"q": "招生章程 量子纠缠"}).json()
    assert data["dropped"] and data["count"] == 1


def test_campus_only_items_are_not_served(client):
    make_disclosure(title="校内白鹭通知", audience="campus")
    with override_settings(CAMPUS_NETWORKS=[__import__("ipaddress").ip_network("10.0.0.0/8")]):
        data = client.get(URL, {"q": "白鹭"}, REMOTE_ADDR="10.1.2.3").json()
    assert data["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "预"},
        {"q": "x" * 200},
        {"q": "预算", "page": "abc"},
        {"q": "预算", "page": "0"},
        {"q": "预算", "size": "x"},
        {"q": "预算", "size": "0"},
        {"q": "预算", "size": "51"},
        {"q": "预算", "describe": "2"},
        {"q": "预算", "date_from": "2024-13-45"},
        # A description with no telling words answers with no results, but its bad filters are still refused
        # (CI found this one: the empty description answered 200 before the filters were read).
        {"q": "", "describe": "1", "date_from": "k\U000fcf22d£"},
        {"q": "我想申请公开", "describe": "1", "size": "abc"},
    ],
)
def test_bad_input_is_a_400_with_a_message(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_size_limits_the_page(client):
    for n in range(4):
        make_disclosure(title=f"燕子通知{n}")
    data = client.get(URL, {"q": "燕子", "size": 2}).json()
    assert data["count"] == 4 and len(data["results"]) == 2 and data["next"]


def test_a_description_is_searched_by_its_telling_words(client):
    make_disclosure(title="2024年部门预算公开", body="<p>现将学校2024年部门预算公开如下。</p>")
    params = {"q": "您好，我想申请公开学校2024年部门预算的详细资料和附表说明", "describe": 1, "size": 5}
    data = client.get(URL, params).json()
    assert [r["title"] for r in data["results"]] == ["2024年部门预算公开"]
    assert client.get(URL, {"q": "我想申请公开", "describe": 1}).json()["count"] == 0

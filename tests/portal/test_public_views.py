"""Feeds, sitemap, robots.txt, the JSON API, the health check and the page cache."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "kwargs", "content_type"),
    [
        ("portal:feed-rss", {}, "application/rss+xml; charset=utf-8"),
        ("portal:feed-atom", {}, "application/atom+xml; charset=utf-8"),
        ("portal:category-feed-rss", {"slug": "student-affairs"}, "application/rss+xml; charset=utf-8"),
        ("portal:category-feed-atom", {"slug": "student-affairs"}, "application/atom+xml; charset=utf-8"),
    ],
)
def test_feeds_are_well_formed_and_public_only(client, name, kwargs, content_type):
    make_disclosure(title="公开的<通知>&")
    make_disclosure(title="校内通知", audience="campus")
    make_disclosure(title="草稿通知", status="draft")
    make_disclosure(title="财务通知", category_code="11", item_code=None, department_code="finance")
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    root = ET.fromstring(response.content)
    text = ET.tostring(root, encoding="unicode")
    assert "公开的&lt;通知&gt;&amp;" in text
    assert "校内通知" not in text and "草稿通知" not in text
    assert ("财务通知" in text) == (not kwargs)


def test_unknown_category_feed_is_404(client):
    assert client.get(reverse("portal:category-feed-rss", kwargs={"slug": "nope"})).status_code == 404


def test_sitemap_and_robots(client):
    public = make_disclosure(title="公开")
    campus = make_disclosure(title="校内", audience="campus")
    index = client.get(reverse("portal:sitemap-index"))
    assert index.status_code == 200
    ET.fromstring(index.content)
    section = client.get(reverse("portal:sitemap-section", kwargs={"section": "disclosures"}))
    assert section.status_code == 200
    body = section.content.decode()
    assert public.get_absolute_url() in body and campus.get_absolute_url() not in body
    ET.fromstring(section.content)
    robots = client.get("/robots.txt")
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    assert "Disallow: /admin/" in robots.content.decode()


def test_healthz(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok\n"


def test_api_categories(client):
    data = client.get(reverse("portal:api-categories")).json()
    assert data["count"] == 14
    assert {"code", "slug", "name", "url"} <= set(data["results"][0])


def test_api_items_filters_pagination_and_visibility(client, django_assert_max_num_queries):
    for n in range(55):
        make_disclosure(title=f"招生通知{n}", published_at=timezone.now() - datetime.timedelta(hours=n + 1))
    make_disclosure(title="校内", audience="campus")
    make_disclosure(title="财务", category_code="11", item_code=None, department_code="finance")
    url = reverse("portal:api-items")
    with django_assert_max_num_queries(10):
        data = client.get(url, {"category": "student-affairs"}).json()
    assert data["count"] == 55 and data["pages"] == 2 and len(data["results"]) == 50
    assert data["results"][0]["title"] == "招生通知0"
    assert data["next"].endswith("page=2")
    second = client.get(data["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    titles = {item["title"] for item in client.get(url, {"page": 2}).json()["results"]}
    assert "校内" not in titles
    assert client.get(url, {"page": "x"}).status_code == 400
    assert client.get(url, {"page": "99"}).status_code == 404  # past the last page (issue 18: the OpenAPI document)
    assert client.get(url, {"year": "abc"}).status_code == 400


def test_api_item_detail_with_attachments(client):
    disclosure = make_disclosure(title="预算公开")
    services.attachment_add(disclosure=disclosure, uploaded=upload("budget.pdf", pdf_bytes()))
    data = client.get(reverse("portal:api-item-detail", args=[disclosure.index_number])).json()
    assert data["title"] == "预算公开"
    attachment = data["attachments"][0]
    assert attachment["file_name"] == "budget.pdf"
    assert attachment["url"].startswith("http://testserver/items/")
    assert client.get(attachment["url"]).status_code == 200
    campus = make_disclosure(title="校内", audience="campus")
    draft = make_disclosure(title="草稿", status="draft")
    for hidden in (campus, draft):
        assert client.get(reverse("portal:api-item-detail", args=[hidden.index_number])).status_code == 404


def test_page_cache_serves_anonymous_pages_and_follows_changes(client):
    make_disclosure(title="第一条通知")
    url = reverse("disclosures:disclosure-list")
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    make_disclosure(title="第二条通知")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "第二条通知" in fresh.content.decode()


def test_page_cache_skips_signed_in_users_and_separates_campus(staff_client):
    from django.test import Client

    client = Client()
    make_disclosure(title="校内通知", audience="campus")
    url = reverse("disclosures:disclosure-list")
    client.get(url)
    assert "X-Page-Cache" not in staff_client.get(url)
    assert "校内通知" in staff_client.get(url).content.decode()
    import ipaddress

    with override_settings(CAMPUS_NETWORKS=[ipaddress.ip_network("10.0.0.0/8")]):
        assert "校内通知" in client.get(url, REMOTE_ADDR="10.0.0.5").content.decode()
    assert "校内通知" not in client.get(url).content.decode()


def test_cached_pages_set_no_cookies_and_language_still_switches(client):
    response = client.get(reverse("home"))
    assert not response.cookies
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert "Latest" in client.get(switched["Location"]).content.decode()


def test_conditional_requests_get_304(client):
    disclosure = make_disclosure(title="预算公开")
    attachment = services.attachment_add(disclosure=disclosure, uploaded=upload("b.pdf", pdf_bytes()))
    page = client.get(disclosure.get_absolute_url())
    assert page["ETag"] and page["Last-Modified"]
    assert client.get(disclosure.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    assert client.get(disclosure.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=page["Last-Modified"]).status_code == 304
    download = client.get(attachment.get_absolute_url())
    assert download["ETag"] == f'"{attachment.sha256}"'
    assert client.get(attachment.get_absolute_url(), HTTP_IF_NONE_MATCH=download["ETag"]).status_code == 304


def test_the_page_cache_keys_on_the_host_and_port(client, seeded_catalogue):
    url = reverse("portal:api-categories")
    poisoned = client.get(url, HTTP_HOST="127.0.0.1:6666")
    assert "127.0.0.1:6666" in poisoned.content.decode()
    later = client.get(url, HTTP_HOST="xxgk.example.edu.cn")
    assert "127.0.0.1:6666" not in later.content.decode()
    assert "http://xxgk.example.edu.cn/" in later.content.decode()

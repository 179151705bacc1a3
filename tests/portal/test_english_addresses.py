"""English pages at their own addresses (issue 18): /en/… in English, Chinese unprefixed, whatever the cookie or
the browser says; hreflang alternates; the language switch is a link to the other address; the admin, the API
and the feeds keep one address and follow the visitor's choice."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db


def _alternates(content: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', content))


def test_the_address_decides_the_language_whatever_the_cookie_or_browser_says(client):
    client.cookies["django_language"] = "en"
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-CN">' in chinese and "信息公开目录" in chinese
    client.cookies["django_language"] = "zh-hans"
    english = client.get("/en/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in english and "Disclosure catalogue" in english


def test_english_pages_link_to_english_pages(client):
    item = make_disclosure(title="2025年招生章程")
    page = client.get(f"/en/items/{item.index_number}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'href="/en/catalogue/"' in content and 'href="/en/items/"' in content
    assert f'href="/en/catalogue/{item.category.slug}/"' in content
    assert 'action="/en/search/"' in content


@pytest.mark.parametrize("path", ["/", "/catalogue/", "/items/?sort=date", "/apply/", "/board/", "/reports/"])
def test_each_page_names_both_addresses_and_the_switch_goes_to_the_other(client, path):
    chinese = client.get(path).content.decode()
    english = client.get("/en" + path).content.decode()
    expected = {
        "zh-Hans": f"http://testserver{path}",
        "en": f"http://testserver/en{path}",
        "x-default": f"http://testserver{path}",
    }
    assert _alternates(chinese) == expected == _alternates(english)
    en_path = ("/en" + path).replace("&", "&amp;")
    assert f'<a class="lang-switch" href="{en_path}" hreflang="en" lang="en">English</a>' in chinese
    zh_path = path.replace("&", "&amp;")
    assert f'<a class="lang-switch" href="{zh_path}" hreflang="zh-Hans" lang="zh-CN">中文</a>' in english


def test_each_language_is_cached_apart(client):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/en/")["X-Page-Cache"] == "miss"
    assert "Latest" in client.get("/en/").content.decode()
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit" and "Latest" not in hit.content.decode()


def test_set_language_still_takes_a_visitor_to_the_other_address(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/items/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/en/items/?page=2"
    back = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/en/items/"})
    assert back["Location"] == "/items/"


def test_the_admin_api_and_feeds_keep_one_address_and_follow_the_visitors_choice(client):
    assert client.get("/en/admin/login/").status_code == 404
    assert client.get("/en/api/v1/items/").status_code == 404
    assert client.get("/en/feeds/latest.rss").status_code == 404
    client.cookies["django_language"] = "en"
    login = client.get("/admin/login/").content.decode()
    assert "Log in" in login or "Sign in" in login
    assert client.get("/api/v1/items/?year=x").json()["error"] == "Some filters are not valid."
    client.cookies["django_language"] = "zh-hans"
    assert client.get("/api/v1/items/?year=x").json()["error"] == "部分筛选条件无效。"
    item = make_disclosure()
    assert client.get("/api/v1/items/").json()["results"][0]["url"].endswith(f"/items/{item.index_number}/")


def test_a_page_not_found_offers_the_other_languages_home(client):
    content = client.get("/no-such-page/").content.decode()
    assert '<a class="lang-switch" href="/en/"' in content
    assert 'hreflang="x-default"' not in content


def test_the_sitemap_lists_both_addresses_of_each_page_with_alternates(client):
    item = make_disclosure()
    body = client.get(reverse("portal:sitemap-section", kwargs={"section": "disclosures"})).content.decode()
    path = f"/items/{item.index_number}/"
    assert f"<loc>http://testserver{path}</loc>" in body and f"<loc>http://testserver/en{path}</loc>" in body
    assert f'<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en{path}"/>' in body
    assert f'<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver{path}"/>' in body
    catalogue = client.get(reverse("portal:sitemap-section", kwargs={"section": "catalogue"})).content.decode()
    assert "<loc>http://testserver/en/catalogue/</loc>" in catalogue
    assert "Disallow: /en/search/" in client.get("/robots.txt").content.decode()

import pytest
from django.urls import reverse

from tests.factories import make_disclosure


@pytest.mark.django_db
def test_home_shows_the_fourteen_categories_with_counts_and_the_latest_items(client):
    make_disclosure(title="2025年招生章程")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    categories = response.context["categories"]
    assert len(categories) == 14
    assert next(c for c in categories if c.code == "04").visible_count == 1
    html = response.content.decode()
    assert "2025年招生章程" in html and "信息公开指南" in html and "信息公开年度报告" in html


@pytest.mark.django_db
def test_english_is_the_second_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/en/"  # the English address (issue 18)
    html = client.get(response["Location"]).content.decode()
    assert "Disclosure catalogue" in html and "School overview" in html


@pytest.mark.django_db
def test_site_navigation_and_footer_follow_the_language_on_every_page(client):
    # The navigation and footer are cached fragments, one per language (fragment_cache): a Chinese
    # page first must not leave its navigation on the English page, nor the other way round.
    for url in (reverse("home"), reverse("disclosures:disclosure-list")):
        chinese = client.get(url).content.decode()
        assert "全部信息" in chinese and "在线咨询" in chinese and "All items" not in chinese
    english = client.get("/en" + reverse("disclosures:disclosure-list")).content.decode()
    assert "All items" in english and "Online consultation" in english and "在线咨询" not in english
    assert 'href="/en/consult/"' in english  # the navigation and footer links stay in English
    assert "在线咨询" in client.get("/").content.decode()


@pytest.mark.django_db
def test_server_error_page_renders_in_the_site_style(client):
    from portal.views import server_error

    request = client.get("/").wsgi_request
    response = server_error(request)
    assert response.status_code == 500 and "出错了" in response.content.decode()

"""Site identity (issue 18): the college's name and filing numbers in every page's footer, the favicon, and each
public page's description and Open Graph tags taken from its content."""

import html
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from portal.env import env_pattern
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db

IDENTITY = {
    "PORTAL_COLLEGE_NAME": "哈尔滨城市职业学院",
    "PORTAL_ICP_NUMBER": "黑ICP备12345678号-1",
    "PORTAL_PSB_NUMBER": "黑公网安备23010002000001号",
    "PORTAL_PSB_CODE": "23010002000001",
    "PORTAL_SITE_CODE": "2301000001",
}


def _meta(content: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', content)
    assert found, f"no {name} meta tag"
    return html.unescape(found.group(1))


@override_settings(**IDENTITY)
@pytest.mark.parametrize(
    "url",
    ["/", "/catalogue/", "/items/", "/reports/", "/apply/", "/board/", "/no-such-page/"],
)
def test_every_page_footer_shows_the_college_and_its_filing_numbers(client, url):
    response = client.get(url)
    content = response.content.decode()
    footer = content[content.index('<footer class="site-footer">') :]
    assert "哈尔滨城市职业学院" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">黑ICP备12345678号-1</a>' in footer
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=23010002000001"' in footer
    assert "黑公网安备23010002000001号</a>" in footer
    assert re.search(r'<img src="/static/img/psb-filing\.svg" alt="" width="16" height="16">', footer)
    assert "2301000001" in footer


def test_footer_leaves_out_filing_numbers_that_are_not_set(client):
    content = client.get("/").content.decode()
    assert "beian" not in content
    assert "城市职业学院" in content[content.index("<footer") :]


def test_the_filing_icon_is_a_local_static_file():
    path = finders.find("img/psb-filing.svg")
    assert path and "<svg" in open(path, encoding="utf-8").read()


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("黑公网安备23010002000001号", True),
        ("京公网安备 11010802020088号", True),
        ("23010002000001", False),
        ("黑公网安备号", False),
    ],
)
def test_a_malformed_filing_number_stops_start_up_naming_the_variable(monkeypatch, value, ok):
    monkeypatch.setenv("PORTAL_PSB_NUMBER", value)
    pattern = r"\S*公网安备\s*\d{10,20}号"
    if ok:
        assert env_pattern("PORTAL_PSB_NUMBER", pattern, example="x") == value
    else:
        with pytest.raises(ImproperlyConfigured, match="PORTAL_PSB_NUMBER"):
            env_pattern("PORTAL_PSB_NUMBER", pattern, example="x")


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert "max-age=86400" in response["Cache-Control"]
    content = client.get("/").content.decode()
    assert f'<link rel="icon" href="{reverse("portal:favicon")}" sizes="32x32">' in content


def test_item_page_describes_itself_from_its_summary_or_body(client):
    with_summary = make_disclosure(title="2024年部门预算公开", summary="学校2024年收支预算总表及说明。")
    body = "<p>经学院&nbsp;评审，<b>现将结果</b>公示如下。</p>" * 40
    without = make_disclosure(title="关于奖学金评审的通知", body=body)
    content = client.get(with_summary.get_absolute_url()).content.decode()
    assert _meta(content, "name", "description") == "学校2024年收支预算总表及说明。"
    assert _meta(content, "property", "og:description") == "学校2024年收支预算总表及说明。"
    assert _meta(content, "property", "og:title").startswith("2024年部门预算公开 · ")
    assert _meta(content, "property", "og:url").endswith(with_summary.get_absolute_url())
    description = _meta(client.get(without.get_absolute_url()).content.decode(), "name", "description")
    assert description.startswith("经学院 评审，现将结果公示如下。")
    assert "<" not in description and len(description) <= 160


@pytest.mark.parametrize("url", ["/", "/catalogue/", "/catalogue/student-affairs/", "/items/", "/reports/"])
def test_public_pages_each_have_a_description_and_open_graph_tags(client, url):
    content = client.get(url).content.decode()
    description = _meta(content, "name", "description")
    assert len(description) > 10
    assert _meta(content, "property", "og:description") == description
    assert _meta(content, "property", "og:title") == html.unescape(re.search(r"<title>(.*?)</title>", content)[1])


def test_category_page_description_is_its_own(client):
    catalogue = _meta(client.get("/catalogue/").content.decode(), "name", "description")
    category = _meta(client.get("/catalogue/student-affairs/").content.decode(), "name", "description")
    assert catalogue != category

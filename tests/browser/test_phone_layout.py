"""On a 390 × 844 phone: a compact header (menu and search behind two buttons) leaves at least two thirds of the
screen to the content; the catalogue is a list of folded categories; the item list's filters are folded above
the results and say how many are active."""

import pytest
from django.utils import timezone

from disclosures.models import Category
from tests.browser.conftest import PHONE
from tests.factories import make_disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def header_bottom(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().bottom")


def test_the_header_leaves_two_thirds_of_the_screen_to_the_content(live_server, phone, seeded_catalogue):
    phone.goto(live_server.url + "/")
    assert header_bottom(phone) <= 844 / 3
    assert not phone.locator(".site-nav").is_visible() and not phone.locator("#header-q").is_visible()
    phone.get_by_role("button", name="菜单").click()
    assert phone.get_by_role("link", name="信息公开目录").first.is_visible()
    assert phone.get_by_role("button", name="菜单").get_attribute("aria-expanded") == "true"
    phone.get_by_role("button", name="菜单").click()
    phone.locator(".header-toggle", has_text="搜索").click()
    assert phone.locator("#header-q").is_visible()
    phone.fill("#header-q", "招生")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/search/**")
    assert header_bottom(phone) <= 844 / 3


def test_the_catalogue_is_folded_by_category(live_server, phone, seeded_catalogue):
    phone.goto(live_server.url + "/catalogue/")
    panels = phone.locator(".catalogue-category details")
    assert panels.count() == Category.objects.count()
    assert phone.locator(".catalogue-category details[open]").count() == 0
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, height  # it was about 20,800 px with every table open
    panels.first.locator("summary").click()
    assert phone.locator(".catalogue-category details[open]").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


def test_the_item_filters_are_folded_above_the_results_with_a_count(live_server, phone, seeded_catalogue):
    make_disclosure(title="招生章程", published_at=timezone.now())
    phone.goto(live_server.url + "/items/?category=student-affairs&q=招生")
    panel = phone.locator("details.filters-panel")
    assert panel.get_attribute("open") is None
    assert "已选 2 项" in panel.locator("summary").inner_text()
    first_result = phone.locator(".result-count").bounding_box()
    assert first_result["y"] < 844 / 2
    panel.locator("summary").click()
    assert phone.locator("#id_q").is_visible()

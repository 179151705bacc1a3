"""A visitor asks a question on a phone (and a desktop); staff answer and publish it in the admin; the
question and answer appear on the message board, without the asker's contact details; the asker reads the
reply with the tracking number and access code."""

import re

import pytest

from feedback.models import FeedbackMessage
from tests.browser.conftest import DESKTOP
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


def test_ask_answer_publish_board(live_server, page, browser, seeded_catalogue):
    StaffFactory(username="office", email="office@example.edu.cn")

    # The visitor finds the consultation form from the home page.
    page.goto(live_server.url + "/")
    page.locator(".entries").get_by_role("link", name="在线咨询").click()
    page.wait_for_url("**/consult/")
    assert no_horizontal_overflow(page)

    # A first try with too short a question keeps what was typed.
    page.fill("input[name=subject]", "奖学金评定结果在哪里公示")
    page.fill("textarea[name=text]", "在哪")
    page.fill("input[name=name]", "王小明")
    page.fill("input[name=phone]", "13700001111")
    page.fill("input[name=email]", "wang@example.com")
    page.check("input[name=publish_allowed]")
    page.check("input[name=consent]")
    page.get_by_role("button", name="提交咨询").click()
    assert page.get_by_text("请再多写几个字说明您的问题").is_visible()
    assert page.input_value("input[name=subject]") == "奖学金评定结果在哪里公示"
    assert page.input_value("input[name=email]") == "wang@example.com"

    page.fill("textarea[name=text]", "请问2024年国家奖学金评定结果在哪里公示？")
    page.check("input[name=consent]")
    page.get_by_role("button", name="提交咨询").click()
    page.wait_for_url(re.compile(r".*/feedback/ZX\d+/receipt/$"))
    number = page.locator(".tracking-number").inner_text().strip()
    code = page.locator(".access-code").inner_text().strip()
    assert len(code) == 10
    assert "13700001111" not in page.content()
    assert no_horizontal_overflow(page)

    # Staff answer it in the admin and publish it on the board.
    staff = browser.new_context(locale="zh-CN", **DESKTOP)
    admin = staff.new_page()
    admin.set_default_timeout(15000)
    admin.goto(live_server.url + "/admin/login/")
    admin.fill("input[name=username]", "office")
    admin.fill("input[name=password]", "a-long-test-password")
    admin.locator("input[type=submit]").click()
    admin.goto(live_server.url + "/admin/feedback/consultation/")
    admin.get_by_role("link", name=number).click()
    admin.wait_for_url("**/change/")
    admin.get_by_role("link", name="答复", exact=True).wait_for()
    assert "13700001111" in admin.content()  # the handler sees the contact details
    admin.get_by_role("link", name="答复", exact=True).click()
    admin.wait_for_url("**/action/answer/")
    admin.fill("textarea[name=reply]", "国家奖学金评定结果在“学生管理服务”栏目公示，公示期5个工作日。")
    admin.check("input[name=publish]")
    admin.get_by_role("button", name="确认").click()
    admin.wait_for_url("**/change/")
    assert FeedbackMessage.objects.get(tracking_number=number).is_published
    staff.close()

    # It appears on the board, searchable, without the contact details.
    page.goto(live_server.url + "/board/")
    page.fill(".board-search input[name=q]", "奖学金")  # not the header's search (behind a button on phones)
    page.locator(".board-search button").click()
    entry = page.locator(".board-entry").first
    assert entry.locator("h2").inner_text() == "奖学金评定结果在哪里公示"
    assert "学生管理服务" in entry.inner_text()
    content = page.content()
    for contact in ["王小明", "13700001111", "wang@example.com"]:
        assert contact not in content
    assert no_horizontal_overflow(page)

    # The asker reads the reply from a fresh visit with the number and code.
    page.context.clear_cookies()
    page.goto(live_server.url + "/feedback/track/")
    page.fill("input[name=tracking_number]", number)
    page.fill("input[name=access_code]", code)
    page.get_by_role("button", name="查看答复").click()
    page.wait_for_url(f"**/feedback/{number}/")
    assert page.locator(".msg-state").inner_text() == "已答复"
    assert "学生管理服务" in page.locator(".message-reply").inner_text()

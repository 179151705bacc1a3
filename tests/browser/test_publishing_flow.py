"""Editor creates → submits → reviewer returns → editor fixes → reviewer approves → the item is public,
through the admin in a real browser, on a desktop and on a phone."""

import pytest
from django.utils import timezone

from disclosures.models import Disclosure, DisclosureStatus
from tests.factories import category, editor, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-test-password"


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(base + "/admin/")


def test_editor_and_reviewer_take_an_item_to_the_public_site(live_server, page, seeded_catalogue):
    base = live_server.url
    editor("liaison", "admissions")
    reviewer("office")
    student_affairs = category("04")

    # The editor writes a draft (category chosen through the add link's initial value) and submits it.
    sign_in(page, base, "liaison")
    page.goto(f"{base}/admin/disclosures/disclosure/add/?category={student_affairs.pk}")
    page.fill("#id_title", "2026年单独招生章程（初稿）")
    page.select_option("#id_department", label="招生就业处")
    page.fill("#id_date_written", timezone.localdate().isoformat())
    page.fill("#id_summary", "单独招生的报名条件、考试方式和录取规则。")
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".workflow-panel")
    disclosure = Disclosure.objects.get(title="2026年单独招生章程（初稿）")
    change_url = f"{base}/admin/disclosures/disclosure/{disclosure.pk}/change/"
    assert "草稿" in page.locator(".workflow-panel").inner_text()
    assert page.get_by_role("link", name="审核", exact=True).count() == 0  # editors are not offered a review
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("text=已提交审核，并已通知信息公开办公室。")

    # The office returns it with a comment.
    sign_in(page, base, "office")
    page.goto(change_url)
    page.get_by_role("link", name="审核", exact=True).click()
    page.wait_for_url("**/review/")
    assert "未发现身份证号" in page.content()
    page.get_by_label("退回部门修改").check()
    page.fill("#id_comment", "标题请去掉“初稿”。")
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_selector("text=已连同您的意见退回部门。")

    # Not public yet.
    page.context.clear_cookies()
    assert page.goto(f"{base}/items/{disclosure.index_number}/").status == 404

    # The editor sees the comment, fixes the title and submits again.
    sign_in(page, base, "liaison")
    page.goto(change_url)
    assert "标题请去掉“初稿”。" in page.locator(".wf-return-note").inner_text()
    page.fill("#id_title", "2026年单独招生章程")
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".workflow-panel")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("text=已提交审核，并已通知信息公开办公室。")

    # The office confirms the three checks and approves with immediate publication.
    sign_in(page, base, "office")
    page.goto(change_url)
    page.get_by_role("link", name="审核", exact=True).click()
    page.wait_for_url("**/review/")
    page.get_by_label("审核通过，同意发布").check()
    page.get_by_label("已核查：不涉及国家秘密").check()
    page.get_by_label("已核查：不涉及商业秘密").check()
    page.get_by_label("已核查：不涉及个人隐私").check()
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_selector("text=已审核通过并发布。")
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.PUBLISHED and disclosure.approved_at is not None

    # A visitor now finds it.
    page.context.clear_cookies()
    page.goto(f"{base}/items/")
    page.get_by_role("link", name="2026年单独招生章程").click()
    page.wait_for_url(f"**/items/{disclosure.index_number}/")
    assert page.get_by_role("heading", level=1).inner_text() == "2026年单独招生章程"
    assert page.get_by_text("单独招生的报名条件").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1

"""Each demo account (``manage.py ensure_demo_staff``) signs in, finds its work on 我的待办 and does that role's
daily task from there, on a desktop and on a phone; the admin pages they pass through fit the screen."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosures.models import Disclosure, DisclosureStatus
from feedback.models import Channel, FeedbackMessage, MessageState
from requests_app.models import ApplicationState
from tests.factories import make_disclosure, staff_member
from tests.feedback.factories import make_message
from tests.requests_app.factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_staff(settings, tmp_path, seeded_catalogue):
    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_staff", stdout=io.StringIO())

    def credentials(username):
        for path in tmp_path.glob("demo_*.json"):
            found = json.loads(path.read_text())
            if found["username"] == username:
                return found
        raise AssertionError(username)

    return credentials


def sign_in(page, base, credentials):
    """The admin's sign-in; with the authenticator code where the account has one (the site administrator's,
    once two-factor sign-in is required of administrators)."""
    page.context.clear_cookies()
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", credentials["username"])
    page.fill("#id_password", credentials["password"])
    device = TOTPDevice.objects.filter(user__username=credentials["username"], confirmed=True).first()
    if device is not None and page.locator("#id_otp_token").count():
        page.fill("#id_otp_token", f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
    page.locator("input[type=submit]").click()
    page.wait_for_url(base + "/admin/")
    assert page.get_by_role("heading", name="我的待办").is_visible()


def todo_line(page, key):
    return page.locator(f".todo-line[data-key='{key}']")


def fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, page.url


def test_department_editor_resubmits_a_returned_draft(live_server, page, demo_staff):
    returned = make_disclosure(title="招生章程（待修改）", status=DisclosureStatus.RETURNED)
    sign_in(page, live_server.url, demo_staff("demo-editor"))
    fits(page)
    line = todo_line(page, "returned")
    assert line.get_attribute("data-count") == "1"
    line.get_by_role("link", name="招生章程（待修改）（招生就业处）").click()
    page.wait_for_url(f"**/{returned.pk}/change/")
    fits(page)
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector(".messagelist")
    returned.refresh_from_db()
    assert returned.status == DisclosureStatus.SUBMITTED


def test_department_head_approves_for_the_department(live_server, page, demo_staff):
    waiting = make_disclosure(title="招生计划（待部门审核）", status=DisclosureStatus.SUBMITTED)
    sign_in(page, live_server.url, demo_staff("demo-head"))
    todo_line(page, "endorse").get_by_role("link", name="招生计划（待部门审核）（招生就业处）").click()
    page.wait_for_url(f"**/{waiting.pk}/change/")
    fits(page)
    page.get_by_role("button", name="部门审核同意").click()
    page.wait_for_selector(".messagelist")
    waiting.refresh_from_db()
    assert waiting.endorsed_at is not None


def test_office_reviewer_approves_and_publishes(live_server, page, demo_staff):
    ready = make_disclosure(
        title="2025年部门预算",
        department_code="finance",
        category_code="06",
        item_code=None,
        status=DisclosureStatus.SUBMITTED,
    )
    sign_in(page, live_server.url, demo_staff("demo-reviewer"))
    todo_line(page, "review").get_by_role("link", name="2025年部门预算（财务处）").click()
    page.wait_for_url(f"**/{ready.pk}/review/")
    fits(page)
    page.get_by_label("审核通过，同意发布").check()
    page.get_by_label("已核查：不涉及国家秘密").check()
    page.get_by_label("已核查：不涉及商业秘密").check()
    page.get_by_label("已核查：不涉及个人隐私").check()
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_selector(".messagelist")
    ready.refresh_from_db()
    assert ready.status == DisclosureStatus.PUBLISHED


def test_application_handler_accepts_a_new_application(live_server, page, demo_staff):
    application = make_application()[0]
    sign_in(page, live_server.url, demo_staff("demo-handler"))
    line = todo_line(page, "applications-new")
    line.get_by_role("link", name=application.tracking_number, exact=False).click()
    page.wait_for_url(f"**/{application.pk}/change/")
    fits(page)
    page.get_by_role("link", name="受理", exact=True).click()
    page.get_by_role("button", name="确认").click()
    page.wait_for_url("**/change/")
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED


def test_feedback_handler_answers_an_overdue_consultation(live_server, page, demo_staff):
    late, _code = make_message(channel=Channel.CONSULTATION, now=timezone.now() - datetime.timedelta(days=21))
    sign_in(page, live_server.url, demo_staff("demo-feedback"))
    line = todo_line(page, "consultation-overdue")
    assert "todo-urgent" in line.get_attribute("class")
    line.get_by_role("link", name=late.tracking_number, exact=False).click()
    page.wait_for_url(f"**/{late.pk}/change/")
    fits(page)
    page.get_by_role("link", name="答复", exact=True).click()
    page.wait_for_url("**/action/answer/")
    page.fill("textarea[name=reply]", "您咨询的事项已在信息公开目录中公开。")
    page.get_by_role("button", name="确认").click()
    page.wait_for_url("**/change/")
    assert FeedbackMessage.objects.get(pk=late.pk).state != MessageState.NEW


def test_site_administrator_gives_a_new_editor_a_department(live_server, page, demo_staff):
    newcomer = staff_member("newcomer", "部门信息公开联系人")
    sign_in(page, live_server.url, demo_staff("demo-siteadmin"))
    todo_line(page, "accounts-without-department").get_by_role("link", name="newcomer").click()
    page.wait_for_url(f"**/{newcomer.pk}/change/")
    fits(page)
    inline = page.locator("#department_memberships-group, .inline-group").first
    inline.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("招生")
    page.locator(".select2-results__option", has_text="招生就业处").first.click()
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist")
    assert list(newcomer.department_memberships.values_list("department__code", flat=True)) == ["admissions"]
    page.goto(live_server.url + "/admin/")
    assert todo_line(page, "accounts-without-department").get_attribute("data-count") == "0"
    assert Disclosure.objects.count() == 0


ADMIN_PAGES = {
    "demo-editor": ["/admin/", "/admin/disclosures/disclosure/", "/admin/disclosures/disclosure/add/", "{item}"],
    "demo-head": ["/admin/", "{item}"],
    "demo-reviewer": [
        "/admin/",
        "{item}",
        "/admin/disclosures/disclosure/compliance/",
        "/admin/disclosures/auditevent/",
        "/admin/annual_reports/annualreport/",
    ],
    "demo-handler": ["/admin/", "/admin/requests_app/disclosureapplication/", "{application}"],
    "demo-feedback": ["/admin/", "/admin/feedback/consultation/", "{message}"],
    "demo-siteadmin": [
        "/admin/",
        "/admin/auth/user/",
        "/admin/disclosures/disclosureitem/",
        "/admin/axes/accessattempt/",
    ],
}


def test_the_admin_pages_the_demo_accounts_use_fit_a_laptop_screen(
    live_server, browser, demo_staff, settings, tmp_path
):
    from tests.browser.conftest import DESKTOP

    settings.MEDIA_ROOT = str(tmp_path / "media")
    item = make_disclosure(title="附有附件的通知", status=DisclosureStatus.DRAFT)
    from disclosures import services
    from tests.factories import editor, pdf_bytes, upload

    checked = services.attachment_check(uploaded=upload("一份很长的文件名称的附件材料汇总表.pdf", pdf_bytes()))
    services.attachments_save(
        user=editor("factory-editor", "admissions"),
        removed=[],
        stored=[(item.attachments.model(disclosure=item, title="附件"), checked)],
        retitled=[],
    )
    urls = {
        "item": f"/admin/disclosures/disclosure/{item.pk}/change/",
        "application": f"/admin/requests_app/disclosureapplication/{make_application()[0].pk}/change/",
        "message": f"/admin/feedback/consultation/{make_message(channel=Channel.CONSULTATION)[0].pk}/change/",
    }
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    too_wide = {}
    for username, pages in ADMIN_PAGES.items():
        sign_in(page, live_server.url, demo_staff(username))
        for path in pages:
            path = path.format(**urls)
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 1366:
                too_wide[f"{username} {path}"] = width
    context.close()
    assert too_wide == {}

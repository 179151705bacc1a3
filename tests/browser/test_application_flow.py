"""An applicant files an application on a phone (and a desktop) and tracks it; a handler asks for clarification
in the admin; the applicant answers; the handler replies with a released file; the applicant downloads both."""

import re

import pytest

from requests_app.models import DisclosureApplication
from tests.browser.conftest import DESKTOP
from tests.factories import StaffFactory, pdf_bytes
from tests.requests_app.factories import valid_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def seeded_guide(db):
    """The guide and reply templates, re-applied where a transactional test's flush removed them."""
    import importlib

    from django.apps import apps

    importlib.import_module("requests_app.migrations.0002_seed_guide_and_reply_templates").seed(apps, None)


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1


def test_file_track_clarify_answer_reply_download(live_server, page, browser, seeded_catalogue, seeded_guide, tmp_path):
    StaffFactory(username="handler", email="handler@example.edu.cn")

    # The applicant finds the form from the home page.
    page.goto(live_server.url + "/")
    page.locator(".entries").get_by_role("link", name="依申请公开").click()
    page.wait_for_url("**/apply/")
    assert "信息公开办公室" in page.content()
    page.get_by_role("link", name="在线申请").click()
    page.wait_for_url("**/apply/new/")
    assert no_horizontal_overflow(page)

    # A first try with a wrong ID number keeps what was typed.
    page.check("input[name=applicant_type][value=citizen]")
    page.fill("input[name=name]", "张三丰")
    page.select_option("select[name=id_type]", "mainland_id")
    good_id = valid_id_number()
    page.fill("input[name=id_number]", good_id[:-1] + ("0" if good_id[-1] != "0" else "1"))
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=email]", "zhang@example.com")
    page.fill("textarea[name=description]", "2024年学校基本建设项目招标文件")
    page.fill("textarea[name=purpose]", "学术研究")
    page.check("input[name=info_form][value=electronic]")
    page.check("input[name=delivery][value=email]")
    page.check("input[name=consent]")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_text("身份证号码无效").is_visible()
    assert page.input_value("textarea[name=description]") == "2024年学校基本建设项目招标文件"

    page.fill("input[name=id_number]", good_id)
    page.check("input[name=consent]")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/apply/track/YSQ\d+/receipt/$"))
    number = page.locator(".tracking-number").inner_text().strip()
    code = page.locator(".access-code").inner_text().strip()
    assert number.startswith("YSQ") and len(code) == 10
    assert page.get_by_text("答复期限").first.is_visible()
    assert no_horizontal_overflow(page)

    # Tracking from a fresh visit: number + access code.
    page.context.clear_cookies()
    page.goto(live_server.url + "/apply/track/")
    page.fill("input[name=tracking_number]", number)
    page.fill("input[name=access_code]", code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/apply/track/{number}/")
    assert page.locator(".app-state").inner_text() == "已收到，待受理"
    assert good_id not in page.content()

    # The handler asks for clarification in the admin.
    staff = browser.new_context(locale="zh-CN", **DESKTOP)
    admin = staff.new_page()
    admin.set_default_timeout(15000)
    admin.goto(live_server.url + "/admin/login/")
    admin.fill("input[name=username]", "handler")
    admin.fill("input[name=password]", "a-long-test-password")
    admin.locator("input[type=submit]").click()
    application = DisclosureApplication.objects.get(tracking_number=number)
    admin.goto(f"{live_server.url}/admin/requests_app/disclosureapplication/{application.pk}/change/")
    assert good_id in admin.content()  # the handler sees the details
    admin.get_by_role("link", name="要求补正").click()
    admin.fill("textarea[name=message]", "请说明所需招标文件的具体项目名称。")
    admin.get_by_role("button", name="确认").click()
    admin.wait_for_url("**/change/")

    # The applicant answers on the tracking page.
    page.reload()
    assert page.locator(".clarification").get_by_text("请说明所需招标文件的具体项目名称。").is_visible()
    page.fill("textarea[name=text]", "图书馆改造项目")
    page.get_by_role("button", name="提交补正").click()
    page.wait_for_url(f"**/apply/track/{number}/")
    assert page.locator(".app-state").inner_text() == "已受理，办理中"

    # The handler replies: the letter comes from the template, a file is released.
    admin.goto(f"{live_server.url}/admin/requests_app/disclosureapplication/{application.pk}/action/reply/")
    admin.select_option("select[name=outcome]", "disclosed")
    admin.get_by_role("button", name="确认").click()
    letter = admin.input_value("textarea[name=letter]")
    assert number in letter
    released = tmp_path / "招标文件.pdf"
    released.write_bytes(pdf_bytes("Tender"))
    admin.set_input_files("input[name=files]", str(released))
    admin.get_by_role("button", name="确认").click()
    admin.wait_for_url("**/change/")
    staff.close()

    # The applicant downloads the reply letter and the released file.
    page.reload()
    assert page.locator(".app-state").inner_text() == "已答复"
    with page.expect_download() as info:
        page.get_by_role("link", name="下载答复书").click()
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        assert number in handle.read()
    with page.expect_download() as info:
        page.get_by_role("link", name="招标文件.pdf").click()
    assert info.value.suggested_filename == "招标文件.pdf"
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert no_horizontal_overflow(page)

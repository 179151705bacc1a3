"""Under the real Content-Security-Policy, in Chromium: public pages break no rule, and the admin's rich-text editor
(CKEditor 5) still loads, takes text and an uploaded image, and saves them (its pages' exception is just enough:
without it the upload breaks the policy)."""

import io

import pytest
from PIL import Image

from disclosures.models import Disclosure
from tests.browser.conftest import DESKTOP
from tests.factories import editor, make_disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def desktop(browser):
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.violations = violations
    yield page
    context.close()


def test_public_pages_break_no_rule_of_the_policy(live_server, desktop, seeded_catalogue):
    disclosure = make_disclosure(title="2026年招生章程")
    for path in ("/", "/catalogue/", "/items/", disclosure.get_absolute_url(), "/search/?q=招生", "/apply/new/"):
        response = desktop.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert desktop.violations == []


def test_the_rich_text_editor_loads_and_saves_under_the_policy(live_server, desktop, seeded_catalogue):
    editor("liaison", "admissions")
    draft = make_disclosure(status="draft", title="草稿：奖学金评审办法")
    base = live_server.url
    desktop.goto(base + "/admin/login/?next=/admin/")
    desktop.fill("#id_username", "liaison")
    desktop.fill("#id_password", PASSWORD)
    desktop.locator("input[type=submit]").click()
    desktop.wait_for_url(base + "/admin/")

    desktop.goto(f"{base}/admin/disclosures/disclosure/{draft.pk}/change/")
    editable = desktop.locator(".ck-editor__editable").first
    editable.wait_for(state="visible")
    assert desktop.locator(".ck-toolbar").first.is_visible()
    editable.click()
    desktop.keyboard.press("Control+A")
    desktop.keyboard.type("第一条　为规范奖学金评审工作，制定本办法。")
    # An image goes in through the editor's upload button (checked by content on the server).
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(png, "PNG")
    desktop.locator(".ck-toolbar input[type=file]").first.set_input_files(
        files=[{"name": "chart.png", "mimeType": "image/png", "buffer": png.getvalue()}]
    )
    desktop.wait_for_selector(".ck-editor__editable img[src*='/media/editor/']")
    desktop.locator("input[name=_continue]").click()
    desktop.wait_for_selector(".workflow-panel")
    draft.refresh_from_db()
    body = Disclosure.objects.get(pk=draft.pk).body
    assert "为规范奖学金评审工作" in body and '<img src="/media/editor/' in body
    assert desktop.violations == []

"""The item form in a real browser: the 公开事项 picker offers only the chosen category's items, choosing an item
first fills the category, and the department is prefilled for the editor of one department."""

import pytest

from disclosures.models import Category, DisclosureItem
from tests.browser.test_publishing_flow import sign_in
from tests.factories import editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def offered(page) -> list[str]:
    return page.eval_on_selector_all(
        "#id_item option", "options => options.filter(o => o.value && !o.disabled).map(o => o.textContent.trim())"
    )


def test_the_item_picker_follows_the_category(live_server, page, seeded_catalogue):
    base = live_server.url
    editor("liaison", "admissions")
    sign_in(page, base, "liaison")
    page.goto(base + "/admin/disclosures/disclosure/add/")
    assert page.locator("#id_department option:checked").inner_text() == "招生就业处"
    admissions = Category.objects.get(code="04")
    page.select_option("#id_category", str(admissions.pk))
    codes = {text.split(" ")[0] for text in offered(page)}
    assert codes == set(DisclosureItem.objects.filter(category=admissions, active=True).values_list("code", flat=True))
    # An item first, on a fresh form: the category follows.
    page.goto(base + "/admin/disclosures/disclosure/add/")
    item = DisclosureItem.objects.get(code="14.02")
    page.select_option("#id_item", str(item.pk))
    assert page.input_value("#id_category") == str(item.category_id)
    assert all(text.startswith("14.") for text in offered(page))
    # Changing the category clears an item of another one.
    page.select_option("#id_category", str(admissions.pk))
    assert page.input_value("#id_item") == ""


def test_an_item_form_sent_back_keeps_its_attachment(live_server, page, seeded_catalogue, tmp_path, settings):
    from disclosures.models import Attachment, Disclosure
    from tests.factories import pdf_bytes

    settings.MEDIA_ROOT = str(tmp_path / "media")
    base = live_server.url
    editor("liaison", "admissions")
    sign_in(page, base, "liaison")
    page.goto(base + "/admin/disclosures/disclosure/add/")
    page.select_option("#id_item", str(DisclosureItem.objects.get(code="04.01").pk))
    budget = tmp_path / "招生计划.pdf"
    budget.write_bytes(pdf_bytes("Plan"))
    page.set_input_files("#id_attachments-0-file", str(budget))
    page.locator("input[name=_continue]").click()  # no title, no date: sent back
    page.wait_for_selector(".errornote")
    assert "招生计划.pdf" in page.locator(".kept-uploads").inner_text()
    page.fill("#id_title", "2026年招生计划")
    page.fill("#id_date_written", "2026-03-01")
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".workflow-panel")
    disclosure = Disclosure.objects.get(title="2026年招生计划")
    assert [a.original_name for a in Attachment.objects.filter(disclosure=disclosure)] == ["招生计划.pdf"]

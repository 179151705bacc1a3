"""A visitor goes home → category → item → downloads the attachment, on a desktop and on a phone."""

import pytest

from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_to_category_to_item_to_download(live_server, page, seeded_catalogue):
    disclosure = make_disclosure(
        title="2025年收费标准公示",
        category_code="10",
        item_code="10.01",
        department_code="finance",
        body="<p>学费标准如下。</p>",
    )
    services.attachment_add(disclosure=disclosure, uploaded=upload("2025年收费标准.pdf", pdf_bytes()))

    page.goto(live_server.url + "/")
    assert "信息公开网" in page.title()
    page.get_by_role("link", name="收费管理").click()
    page.wait_for_url("**/catalogue/fees/")
    assert page.get_by_role("heading", level=1).inner_text() == "收费管理"

    page.get_by_role("link", name="2025年收费标准公示").click()
    page.wait_for_url(f"**/items/{disclosure.index_number}/")
    assert page.get_by_text(disclosure.index_number).first.is_visible()
    assert page.get_by_text("学费标准如下。").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="2025年收费标准.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "2025年收费标准.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Nothing on the page is wider than the screen (usable on a phone).
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1

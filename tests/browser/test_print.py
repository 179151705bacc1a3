"""Printing an item: the print view and the normal item page both print as text only: no header, menus,
footer or buttons; each link's address written out; the attachments listed by name. Checked on the PDF
that Chromium prints, read back with pypdf."""

import io
import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from disclosures import services
from tests.factories import make_disclosure, pdf_bytes, upload


def has_chinese_font() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.strip())


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Without a Chinese font Chromium prints empty boxes, and the PDF has no Chinese text to read back.
    pytest.mark.skipif(not has_chinese_font(), reason="needs a Chinese font (apt-get install fonts-noto-cjk)"),
]

CHROME_TEXTS = ["信息公开年度报告", "依申请公开", "English", "Skip to content", "跳到正文", "高等学校信息公开办法"]


def printed_text(page) -> str:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = "".join(p.extract_text() for p in reader.pages)
    # Fonts may map some characters to look-alikes (Kangxi radicals); line breaks are the PDF's own.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_print_view_and_item_page_print_text_only(live_server, browser, seeded_catalogue):
    item = make_disclosure(
        title="2025年收费标准公示",
        category_code="10",
        item_code="10.01",
        department_code="finance",
        body=(
            '<p>学费标准见<a href="https://www.example.edu.cn/fees">收费公示栏</a>'
            '和<a href="/catalogue/fees/">收费目录</a>。</p>'
        ),
    )
    attachment = services.attachment_add(disclosure=item, uploaded=upload("2025年收费标准.pdf", pdf_bytes()))
    download = live_server.url + attachment.get_absolute_url()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)

    # The print view.
    page.goto(live_server.url + f"/items/{item.index_number}/print/")
    assert page.locator("header, nav, footer, .site-header, .site-nav, .site-footer").count() == 0
    text = printed_text(page)
    for expected in [
        "2025年收费标准公示",
        item.index_number,
        "收费公示栏(https://www.example.edu.cn/fees)",
        f"收费目录({live_server.url}/catalogue/fees/)",
        "2025年收费标准.pdf",
        download,
        f"{live_server.url}/items/{item.index_number}/",
    ]:
        assert expected.replace(" ", "") in text, expected
    assert "←" not in text  # the screen-only line with the back link and the print button
    for chrome in CHROME_TEXTS:
        assert chrome not in text

    # The normal item page, printed with the browser's print command.
    page.goto(live_server.url + item.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in [".site-header", ".site-nav", ".site-footer", ".tools", ".breadcrumbs", ".display-toggle"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    text = printed_text(page)
    for expected in [
        "2025年收费标准公示",
        item.index_number,
        "收费公示栏(https://www.example.edu.cn/fees)",
        f"收费目录({live_server.url}/catalogue/fees/)",
        f"2025年收费标准.pdf({download})",
    ]:
        assert expected in text, expected
    for chrome in CHROME_TEXTS:
        assert chrome not in text

    # In the elderly-friendly mode the paper copy keeps the normal size.
    page.evaluate("window.localStorage.setItem('portal-display', 'elder')")
    page.reload()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") in ("14.6667px", "14.666667px")
    context.close()

"""The privacy scan before approval: body and attachment text, masked findings, bounded extraction."""

import io

import pytest

from core import textextract
from core.uploads import DOCX, PDF, XLSX
from disclosures import services
from disclosures.models import DisclosureStatus
from disclosures.privacy import HitKind, id_card_check_char, scan_html
from tests.factories import make_disclosure, pdf_bytes, upload

VALID_ID = "11010519491231002X"


def test_valid_id_numbers_are_found_and_wrong_check_digits_ignored():
    assert id_card_check_char(VALID_ID[:17]) == "X"
    wrong = VALID_ID[:17] + "3"
    hits = scan_html(f"<table><tr><td>张三</td><td>{VALID_ID}</td></tr><tr><td>李四</td><td>{wrong}</td></tr></table>")
    assert [(hit.kind, hit.masked) for hit in hits] == [(HitKind.ID_CARD, "1101**********002X")]
    assert VALID_ID not in hits[0].context


def docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_with(*values) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(list(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_extract_text_from_pdf_docx_xlsx():
    assert "ID 110105" in textextract.extract_text(
        io.BytesIO(pdf_bytes(f"ID {VALID_ID}")), PDF.content_type, max_chars=1000
    )
    assert VALID_ID in textextract.extract_text(
        io.BytesIO(docx_with(f"身份证 {VALID_ID}")), DOCX.content_type, max_chars=1000
    )
    assert "13812345678" in textextract.extract_text(
        io.BytesIO(xlsx_with("王五", 13812345678)), XLSX.content_type, max_chars=1000
    )
    assert len(textextract.extract_text(io.BytesIO(docx_with("字" * 5000)), DOCX.content_type, max_chars=100)) == 100
    with pytest.raises(textextract.ExtractionError):
        textextract.extract_text(io.BytesIO(b"%PDF-1.4 broken"), PDF.content_type, max_chars=100)
    with pytest.raises(textextract.ExtractionError):  # pictures are read by OCR now: a broken one is reported
        textextract.extract_text(io.BytesIO(b"\x89PNG"), "image/png", max_chars=100)


@pytest.mark.django_db
def test_scan_covers_body_and_attachments():
    disclosure = make_disclosure(status=DisclosureStatus.DRAFT, body="<p>联系邮箱 zhang.san@example.com</p>")
    services.attachment_add(disclosure=disclosure, uploaded=upload("名单.docx", docx_with(f"获奖学生 {VALID_ID}")))
    services.attachment_add(disclosure=disclosure, uploaded=upload("表.xlsx", xlsx_with("卡号", "6222020200112233445")))
    services.attachment_add(disclosure=disclosure, uploaded=upload("坏.pdf", b"%PDF-1.4 not really"))
    report = services.privacy_scan(disclosure=disclosure)
    found = {(finding.source, finding.hit.kind) for finding in report.findings}
    assert ("正文", HitKind.EMAIL) in found
    assert ("名单.docx", HitKind.ID_CARD) in found
    kinds = {finding.hit.kind for finding in report.findings}
    assert HitKind.ID_CARD in kinds and HitKind.EMAIL in kinds
    assert any("坏.pdf" in problem for problem in report.unscanned)
    assert not report.clean


@pytest.mark.django_db
def test_clean_item_approves_without_acknowledgement():
    disclosure = make_disclosure(status=DisclosureStatus.SUBMITTED, body="<p>学号 20231234567 与日期 2025-01-01</p>")
    assert services.privacy_scan(disclosure=disclosure).clean


def test_contexts_never_show_another_hits_raw_value():
    text = "张三 11010519491231002X 13812345678 zhangsan@example.com 李四"
    hits = scan_html(text)
    assert [hit.kind for hit in hits] == [HitKind.ID_CARD, HitKind.MOBILE, HitKind.EMAIL]
    for hit in hits:
        assert "11010519491231002X" not in hit.context
        assert "13812345678" not in hit.context
        assert "zhangsan@" not in hit.context
    assert "1101**********002X" in hits[1].context and "138****5678" in hits[0].context

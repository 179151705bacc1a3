"""A file not read in full is never reported clean (issue 14): every cap reached (rows, pages, characters, time)
makes it "not fully scanned", and every part of Word and PowerPoint files is read."""

import io
import time

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from core import textextract
from core.textextract import DOCX, PPTX, XLSX, extract
from disclosures import services
from disclosures.models import DisclosureStatus
from disclosures.privacy import HitKind, scan_text
from tests.factories import make_disclosure, reviewer, upload
from tests.scans import MOBILE, VALID_ID, docx_with_parts, pptx_with


def xlsx_rows(count: int, last: str) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("获奖名单")
    for number in range(count):
        sheet.append([f"学生{number}", "计算机学院"])
    sheet.append(["王五", last])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def kinds(text: str) -> set[str]:
    return {hit.kind for hit in scan_text(text)}


@pytest.mark.parametrize(
    "part", ["header", "footer", "text_box", "comment", "footnote", "endnote", "body"], ids=lambda part: part
)
def test_every_part_of_a_word_file_is_read(part):
    extraction = extract(docx_with_parts(**{part: f"身份证号 {VALID_ID}"}), DOCX, max_chars=10_000)
    assert HitKind.ID_CARD in kinds(extraction.text)
    assert extraction.complete


def test_a_text_box_is_read_once_not_twice():
    # Word writes a text box twice (the shape, and a fallback for older programs): one finding, not two.
    text = extract(docx_with_parts(text_box=f"电话 {MOBILE}"), DOCX, max_chars=10_000).text
    assert text.count(MOBILE) == 1


def test_powerpoint_slides_and_notes_are_read():
    data = pptx_with(["招生宣讲", "联系我们"], notes={2: f"主讲人 身份证 {VALID_ID} 手机 {MOBILE}"})
    extraction = extract(data, PPTX, max_chars=10_000)
    assert "招生宣讲" in extraction.text and "联系我们" in extraction.text
    assert kinds(extraction.text) >= {HitKind.ID_CARD, HitKind.MOBILE}


def test_excel_comments_headers_and_footers_are_read():
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "金额"])
    sheet.append(["张三", 100])
    sheet["A2"].comment = Comment(f"身份证 {VALID_ID}", "审核人")
    sheet.oddHeader.center.text = f"经办人电话 {MOBILE}"
    out = io.BytesIO()
    workbook.save(out)
    assert kinds(extract(out.getvalue(), XLSX, max_chars=10_000).text) >= {HitKind.ID_CARD, HitKind.MOBILE}


def test_the_row_cap_reached_is_a_gap():
    extraction = extract(xlsx_rows(textextract.MAX_ROWS + 1, VALID_ID), XLSX, max_chars=10**7, seconds=60)
    assert VALID_ID not in extraction.text  # row 20,002 is beyond the cap ...
    assert not extraction.complete  # ... and the file says so
    assert "20000" in " ".join(extraction.messages())


def test_the_character_cap_reached_is_a_gap():
    extraction = extract(docx_with_parts(body="字" * 5000), DOCX, max_chars=100)
    assert len(extraction.text) == 100 and not extraction.complete
    assert extract(docx_with_parts(body="字" * 50), DOCX, max_chars=100).complete


def test_the_page_cap_reached_is_a_gap(monkeypatch):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(2):
        writer.add_blank_page(595, 842)
    two_pages = io.BytesIO()
    writer.write(two_pages)
    monkeypatch.setattr(textextract, "MAX_PAGES", 1)
    assert not extract(two_pages.getvalue(), textextract.PDF, max_chars=10**6).complete
    monkeypatch.setattr(textextract, "MAX_PAGES", 2)
    assert extract(two_pages.getvalue(), textextract.PDF, max_chars=10**6).complete


def test_the_time_cap_reached_is_a_gap(monkeypatch):
    def slow_rows(data, out):
        for number in range(100):
            if out.full:
                return
            out.add(f"第{number}行")
            time.sleep(0.1)

    monkeypatch.setitem(textextract.READERS, XLSX, slow_rows)
    extraction = extract(b"PK", XLSX, max_chars=10**6, seconds=1.5)
    assert "第0行" in extraction.text and not extraction.complete
    assert "1.5" in " ".join(extraction.messages())


@pytest.mark.django_db
def test_an_id_number_beyond_the_row_cap_needs_acknowledgement(settings):
    """Before: the row cap stopped reading silently, and the list was reported clean."""
    settings.DISCLOSURE_SELF_APPROVAL = True
    disclosure = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(disclosure=disclosure, uploaded=upload("名单.xlsx", xlsx_rows(20_001, VALID_ID)))
    report = services.privacy_scan(disclosure=disclosure)
    assert not report.clean
    assert any("名单.xlsx" in problem for problem in report.unscanned)
    office = reviewer()
    confirmations = {"no_state_secrets": True, "no_trade_secrets": True, "no_personal_privacy": True}
    with pytest.raises(ValidationError):
        services.disclosure_approve(disclosure=disclosure, user=office, **confirmations)
    review = services.disclosure_approve(disclosure=disclosure, user=office, acknowledge_scan=True, **confirmations)
    assert review.scan_acknowledged


@pytest.mark.django_db
def test_an_id_number_in_a_word_header_is_found_before_approval():
    """Before: python-docx's paragraphs leave out headers, and the file was reported clean."""
    disclosure = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(
        disclosure=disclosure, uploaded=upload("通知.docx", docx_with_parts(header=f"经办人身份证 {VALID_ID}"))
    )
    report = services.privacy_scan(disclosure=disclosure)
    assert [(finding.source, finding.hit.kind) for finding in report.findings] == [("通知.docx", HitKind.ID_CARD)]

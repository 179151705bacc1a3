"""Text extraction from attachments: bounded in size and time, and quiet about broken files."""

import io
import time

import openpyxl
import pytest

from core import textextract
from core.pdf import pdf_document
from core.textextract import DOCX, PDF, XLSX, ExtractionError, extract_text
from tests.factories import docx_bytes, pdf_bytes


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收费标准"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_pdf_docx_xlsx():
    assert "Budget 2024" in extract_text(pdf_bytes("Budget 2024"), PDF, max_chars=1000)
    chinese = pdf_document("预算", ["学校2024年部门预算说明"])
    assert "部门预算" in extract_text(chinese, PDF, max_chars=1000)
    assert "住宿费 1200" in extract_text(xlsx_bytes([["住宿费", 1200]]), XLSX, max_chars=1000)
    with pytest.raises(ExtractionError, match="Word"):  # a broken DOCX is reported, with a readable reason
        extract_text(docx_bytes(), DOCX, max_chars=1000)


def test_character_and_row_caps():
    text = extract_text(xlsx_bytes([["学费", n] for n in range(10000)]), XLSX, max_chars=500)
    assert len(text) <= 500
    many = extract_text(xlsx_bytes([["x"] for _ in range(textextract.MAX_ROWS + 100)]), XLSX, max_chars=10**6)
    assert many.count("x") <= textextract.MAX_ROWS


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4 garbage", b"\x00" * 1000, b"PK\x03\x04broken"])
@pytest.mark.parametrize("content_type", [PDF, DOCX, XLSX])
def test_hostile_files_are_refused_with_a_reason(data, content_type):
    with pytest.raises(ExtractionError) as refused:
        extract_text(data, content_type, max_chars=1000)
    assert str(refused.value)


def test_other_types_are_not_read():
    assert extract_text(b"PK\x03\x04", "application/zip", max_chars=1000) == ""
    with pytest.raises(ExtractionError):  # pictures are read (OCR): a broken one is reported
        extract_text(b"GIF89a", "image/gif", max_chars=1000)


def test_a_file_that_hangs_is_stopped(monkeypatch):
    def hang(data, out):
        time.sleep(30)

    monkeypatch.setitem(textextract.READERS, PDF, hang)
    started = time.monotonic()
    with pytest.raises(ExtractionError):
        extract_text(pdf_bytes(), PDF, max_chars=1000, seconds=0.5)
    assert time.monotonic() - started < 5


def test_reads_file_objects_and_rewinds():
    handle = io.BytesIO(pdf_bytes("Fees"))
    assert "Fees" in extract_text(handle, PDF, max_chars=100)
    assert handle.tell() == 0

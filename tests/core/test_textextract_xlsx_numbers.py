"""Adversarial review of issue 14: an ID-card number typed into Excel as a number is stored as a float with 15
digits (1.10105199001011E+17), and a formula may have no stored result; the scan must not call such a file
clean."""

import io

import openpyxl
import pytest

from core.textextract import XLSX, extract
from disclosures.privacy import HitKind, scan_text


def workbook_bytes(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_id_number_typed_as_a_number_that_lost_digits_is_a_gap():
    """Before: the cell read as "1.10105199001011e+17", no finding and no gap: the file was reported clean."""
    result = extract(workbook_bytes(["张三", 1.10105199001011e17]), XLSX, max_chars=10_000)
    assert "110105199001011000" in result.text
    assert result.gaps and "A2" not in str(result.gaps) and "B1" in str(result.gaps)


def test_an_old_style_id_number_stored_as_a_float_is_found():
    result = extract(workbook_bytes(["张三", 1.10105900101123e14]), XLSX, max_chars=10_000)
    assert [hit.kind for hit in scan_text(result.text)] == [HitKind.ID_CARD]


@pytest.mark.parametrize("formula", ['="1101051990"&"01011234"', "=CONCATENATE(138,12345678)"])
def test_a_formula_without_a_stored_result_is_a_gap(formula):
    result = extract(workbook_bytes(["张三", formula]), XLSX, max_chars=10_000)
    assert any("formula" in gap["message"] for gap in result.gaps)
    assert "1101051990" in result.text or "12345678" in result.text


def test_ordinary_numbers_are_no_gap():
    result = extract(workbook_bytes(["金额", 3300, 12.5, 13812345678]), XLSX, max_chars=10_000)
    assert result.gaps == [] and [hit.kind for hit in scan_text(result.text)] == [HitKind.MOBILE]


def test_a_pdf_link_target_is_read():
    """Before: a link drawn as "联系我们" whose target is tel:/mailto: was not read by the scan."""
    from reportlab.pdfgen import canvas

    from core.textextract import PDF

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(100, 505, "call us")
    page.linkURL("tel:13912345678", (100, 500, 200, 520))
    page.linkURL("mailto:zhangsan@example.com", (100, 400, 200, 420))
    page.save()
    text = extract(out.getvalue(), PDF, max_chars=10_000).text
    assert [hit.kind for hit in scan_text(text)] == [HitKind.MOBILE, HitKind.EMAIL]

"""Scanned documents (issue 14): the text of image-only PDF pages and of pictures is read by OCR (Tesseract with
the Simplified Chinese model), bounded in pages and time; where OCR is missing or fails, the page counts as not
scanned and approval needs the reviewer's acknowledgement.

The scans are generated: printed Chinese text with an ID, a mobile and a bank-card number, rendered with a Noto CJK
font, blurred, tilted and speckled like a scanner's output, and embedded as an image-only PDF."""

import io

import pytest
from pypdf import PdfReader

from core import textextract
from core.textextract import PDF, extract
from disclosures import services
from disclosures.models import DisclosureStatus
from disclosures.privacy import HitKind, scan_text
from tests.factories import make_disclosure, upload
from tests.scans import BANK_CARD, MOBILE, VALID_ID, needs_ocr, scanned_pdf, scanned_png

EVERY_KIND = {HitKind.ID_CARD, HitKind.MOBILE, HitKind.BANK_CARD}


def test_the_generated_pdf_is_image_only():
    reader = PdfReader(io.BytesIO(scanned_pdf()))
    assert not (reader.pages[0].extract_text() or "").strip()
    assert list(reader.pages[0].images)


@needs_ocr
@pytest.mark.django_db
def test_a_scanned_pdf_is_read_and_its_numbers_found():
    """Before: findings=[] and unscanned=[] for this file."""
    disclosure = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(disclosure=disclosure, uploaded=upload("公示名单.pdf", scanned_pdf()))
    report = services.privacy_scan(disclosure=disclosure)
    found = {finding.hit.kind for finding in report.findings if finding.source == "公示名单.pdf"}
    assert found >= EVERY_KIND
    masked = {finding.hit.masked for finding in report.findings}
    assert "1101**********002X" in masked and "138****5678" in masked
    assert report.unscanned == []


@needs_ocr
@pytest.mark.django_db
def test_a_scanned_picture_is_read():
    disclosure = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(disclosure=disclosure, uploaded=upload("名单.png", scanned_png()))
    report = services.privacy_scan(disclosure=disclosure)
    assert {finding.hit.kind for finding in report.findings} >= EVERY_KIND


@needs_ocr
def test_the_numbers_are_read_exactly():
    text = extract(scanned_pdf(), PDF, max_chars=10_000, seconds=60).text
    values = {hit.value for hit in scan_text(text)}
    assert {VALID_ID, MOBILE, BANK_CARD} <= values
    assert "奖学金" in text


@needs_ocr
def test_ocr_stops_at_its_page_cap(settings):
    settings.OCR_MAX_PAGES = 1
    clean = ["关于2024年暑假放假安排的通知", "全校师生：", "现将暑假安排通知如下。"]
    extraction = extract(scanned_pdf(clean, clean), PDF, max_chars=10_000, seconds=60)
    assert "暑假" in extraction.text  # the first page was read
    assert not extraction.complete  # the second was not, and the file says so


@needs_ocr
def test_ocr_that_runs_out_of_time_is_a_gap():
    extraction = extract(scanned_pdf(), PDF, max_chars=10_000, seconds=0.6)
    assert not extraction.complete


@pytest.mark.django_db
def test_without_ocr_a_scanned_page_is_not_scanned(settings):
    settings.OCR_COMMAND = "no-such-tesseract"
    disclosure = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(disclosure=disclosure, uploaded=upload("公示名单.pdf", scanned_pdf()))
    report = services.privacy_scan(disclosure=disclosure)
    assert not report.clean
    assert any("公示名单.pdf" in problem and "OCR" in problem for problem in report.unscanned)


def test_ocr_that_fails_leaves_the_page_unscanned(settings, tmp_path):
    failing = tmp_path / "tesseract"
    failing.write_text(
        "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then printf 'x\\nchi_sim\\neng\\n'; exit 0; fi\nexit 1\n"
    )
    failing.chmod(0o755)
    settings.OCR_COMMAND = str(failing)
    extraction = extract(scanned_pdf(), PDF, max_chars=10_000)
    assert not extraction.complete
    assert "1" in textextract.gap_message(extraction.gaps[0])  # the page it could not read


@needs_ocr
def test_a_page_scanned_sideways_or_upside_down_is_read():
    """Before: a page scanned at 90° or 180° was OCR'd as garbage, with no finding and no gap: reported clean."""
    from core.textextract import extract
    from tests.scans import scanned_page

    for angle in (90, 180):
        picture = io.BytesIO()
        scanned_page().rotate(angle, expand=True).save(picture, format="PNG")
        result = extract(picture.getvalue(), "image/png", max_chars=10_000, seconds=60)
        assert VALID_ID in result.text and MOBILE in result.text, angle


@needs_ocr
def test_a_small_picture_of_one_line_is_read():
    """Before: a picture under 120×120 px (one line: "电话 13812345678", 260×36) was skipped without a gap."""
    from PIL import Image, ImageDraw

    from core.textextract import extract
    from tests.scans import _font

    line = Image.new("RGB", (260, 36), "white")
    ImageDraw.Draw(line).text((4, 4), f"电话 {MOBILE}", font=_font(24), fill="black")
    picture = io.BytesIO()
    line.save(picture, format="PNG")
    assert MOBILE in extract(picture.getvalue(), "image/png", max_chars=10_000, seconds=60).text

"""Masking in one click on the review page (issue 14): the findings in the body become their masked form
(2301**********1234); a Word or Excel attachment is replaced by a masked copy, recorded in the audit trail; a PDF
cannot be masked here and needs a replacement or the reviewer's acknowledgement."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.textextract import DOCX, XLSX, extract
from disclosures import masking, services
from disclosures.models import AuditAction, AuditEvent, DisclosureStatus
from tests.factories import make_disclosure, reviewer, upload
from tests.scans import BANK_CARD, MOBILE, VALID_ID, docx_with_parts, scanned_pdf

pytestmark = pytest.mark.django_db
MASKED_ID = "1101**********002X"


def review(client, item):
    client.force_login(reviewer())
    return reverse("admin:disclosures_disclosure_review", args=[item.pk])


def test_the_body_is_masked_in_one_click(client):
    item = make_disclosure(
        status=DisclosureStatus.SUBMITTED, body=f"<p>获奖学生张三，身份证号 {VALID_ID}，电话 {MOBILE}。</p>"
    )
    url = review(client, item)
    assert (
        "Mask the findings in the text" in client.get(url).content.decode()
        or "一键遮盖" in client.get(url).content.decode()
    )
    assert client.post(url, {"mask": "text"}).status_code == 302
    item.refresh_from_db()
    assert VALID_ID not in item.body and MOBILE not in item.body
    assert MASKED_ID in item.body and "138****5678" in item.body and "获奖学生张三" in item.body
    event = AuditEvent.objects.filter(disclosure=item, action=AuditAction.EDITED).latest("pk")
    assert MASKED_ID in str(event.changes) and VALID_ID not in str(event.changes)
    assert not [f for f in services.privacy_scan(disclosure=item).findings if f.source in ("正文", "Body")]


def test_a_word_attachment_is_replaced_by_a_masked_copy(client):
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    data = docx_with_parts(body=f"名单：张三 {VALID_ID}", header=f"联系电话 {MOBILE}", footnote=f"卡号 {BANK_CARD}")
    attachment = services.attachment_add(disclosure=item, uploaded=upload("名单.docx", data))
    before = attachment.sha256
    assert client.post(review(client, item), {"mask": "attachment", "attachment": attachment.pk}).status_code == 302
    attachment.refresh_from_db()
    assert attachment.sha256 != before
    with attachment.file.open("rb") as handle:
        text = extract(handle.read(), DOCX, max_chars=10_000).text
    assert VALID_ID not in text and MOBILE not in text and BANK_CARD not in text
    assert MASKED_ID in text and "名单：张三" in text
    assert not services.privacy_scan(disclosure=item).findings
    event = AuditEvent.objects.filter(disclosure=item, action=AuditAction.ATTACHMENT_ADDED).latest("pk")
    assert before[:12] in str(event.changes) and MASKED_ID in event.comment


def test_an_excel_copy_keeps_the_sheet_and_masks_numbers_typed_as_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "手机", "金额"])
    sheet.append(["张三", VALID_ID, int(MOBILE), 3300])
    out = io.BytesIO()
    workbook.save(out)
    masked, hits = masking.mask_xlsx(out.getvalue())
    assert len(hits) == 2
    rows = list(openpyxl.load_workbook(io.BytesIO(masked)).active.iter_rows(values_only=True))
    assert rows == [("姓名", "身份证号", "手机", "金额"), ("张三", MASKED_ID, "138****5678", 3300)]
    assert VALID_ID not in extract(masked, XLSX, max_chars=10_000).text


def test_excel_comments_and_headers_are_masked_too():
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["张三", 100])
    sheet["A1"].comment = Comment(f"身份证 {VALID_ID}", "审核人")
    sheet.oddHeader.center.text = f"经办人电话 {MOBILE}"
    out = io.BytesIO()
    workbook.save(out)
    masked, hits = masking.mask_xlsx(out.getvalue())
    assert len(hits) == 2
    text = extract(masked, XLSX, max_chars=10_000).text
    assert VALID_ID not in text and MOBILE not in text and MASKED_ID in text and "138****5678" in text


def test_a_number_split_over_word_runs_is_masked_run_by_run():
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("身份证 ")
    paragraph.add_run(VALID_ID[:9])
    paragraph.add_run(VALID_ID[9:]).bold = True
    out = io.BytesIO()
    document.save(out)
    masked, hits = masking.mask_docx(out.getvalue())
    assert [hit.masked for hit in hits] == [MASKED_ID]
    runs = [run.text for run in docx.Document(io.BytesIO(masked)).paragraphs[0].runs]
    assert "".join(runs) == f"身份证 {MASKED_ID}" and len(runs) == 3  # the formatting of each run is kept


def test_a_pdf_cannot_be_masked_here(client, settings):
    settings.OCR_COMMAND = "no-such-tesseract"
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(disclosure=item, uploaded=upload("名单.pdf", scanned_pdf()))
    attachment = item.attachments.get()
    url = review(client, item)
    client.post(url, {"mask": "attachment", "attachment": attachment.pk})
    attachment.refresh_from_db()
    assert not services.privacy_scan(disclosure=item).clean  # still needs a replacement or an acknowledgement

"""Adversarial review of issue 14: personal numbers in the forms editors and askers really type them must be
found by the scan and masked (board, one-click masking), not only the plain 11/18 digits: groups with spaces or
hyphens, full-width digits, a +86 prefix, a number broken over two lines, split by HTML tags, in a picture's alt
text or a tel:/mailto: link."""

import pytest

from disclosures import services
from disclosures.models import DisclosureStatus
from disclosures.privacy import HitKind, mask_html, mask_text, scan_html, scan_text
from tests.factories import make_disclosure, reviewer
from tests.scans import VALID_ID

pytestmark = pytest.mark.django_db
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("电话 1381 234 5678", HitKind.MOBILE, "13812345678"),
        ("电话 138 1234 5678", HitKind.MOBILE, "13812345678"),
        ("电话 138-1234-5678", HitKind.MOBILE, "13812345678"),
        ("电话 138 - 1234 - 5678", HitKind.MOBILE, "13812345678"),
        ("电话 １３８１２３４５６７８", HitKind.MOBILE, "13812345678"),
        ("电话 +8613812345678", HitKind.MOBILE, "13812345678"),
        ("电话 +86 138 1234 5678", HitKind.MOBILE, "13812345678"),
        ("电话 ＋８６－１３８－１２３４－５６７８", HitKind.MOBILE, "13812345678"),
        ("电话 008613812345678", HitKind.MOBILE, "13812345678"),
        ("电话：1381234\n5678", HitKind.MOBILE, "13812345678"),
        (f"身份证号 {VALID_ID[:6]}-{VALID_ID[6:14]}-{VALID_ID[14:]}", HitKind.ID_CARD, VALID_ID),
        (f"身份证号 {VALID_ID.translate(FULL_WIDTH)}", HitKind.ID_CARD, VALID_ID),
        (f"身份证号 {VALID_ID[:10]}\n{VALID_ID[10:]}", HitKind.ID_CARD, VALID_ID),
        ("卡号 6222-0212-3456-7890-128", HitKind.BANK_CARD, "6222021234567890128"),
    ],
)
def test_a_number_in_the_form_people_type_it_is_found_and_masked(text, kind, value):
    hits = scan_text(text)
    assert [(hit.kind, hit.value) for hit in hits] == [(kind, value)]
    masked, _hits = mask_text(text)
    digits = "".join(c for c in masked.translate({0xFF10 + i: 0x30 + i for i in range(10)}) if c.isdigit())
    assert value[3:-4] not in digits


def test_counts_and_years_near_a_number_are_not_joined_into_one():
    assert scan_text("1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7") == []
    assert scan_text("电话 0451-86661234") == []
    assert [hit.value for hit in scan_text("电话13812345678 2023年入学")] == ["13812345678"]


def test_html_split_by_tags_alt_text_and_links_is_scanned_and_masked_in_its_source():
    html = (
        '<p>电话 138<span style="color:red">1234</span>5678</p>'
        '<p><img src="a.png" alt="身份证 ' + VALID_ID + '"></p>'
        '<p><a href="tel:+86-139-1234-5678">拨打</a> <a href="mailto:zhangsan@example.com">写信</a></p>'
        "<table><tr><td>2023</td><td>137&#49;2345678</td></tr></table>"
    )
    assert sorted(hit.value for hit in scan_html(html)) == sorted(
        ["13812345678", VALID_ID, "13912345678", "zhangsan@example.com", "13712345678"]
    )
    masked, hits = mask_html(html)
    assert len(hits) == 5 and scan_html(masked) == []
    assert '<span style="color:red">****</span>' in masked and "<td>2023</td>" in masked


def test_one_click_masking_masks_a_number_split_by_tags_in_the_body(client):
    from django.urls import reverse

    item = make_disclosure(
        status=DisclosureStatus.SUBMITTED,
        # An image the site stores (an image from elsewhere is dropped by the sanitiser, alt text and all).
        body=f'<p>电话 138<b>1234</b>5678，<img alt="{VALID_ID}" src="/media/editor/x.png"></p>',
    )
    assert len(services.privacy_scan(disclosure=item).findings) == 2
    client.force_login(reviewer())
    url = reverse("admin:disclosures_disclosure_review", args=[item.pk])
    assert client.post(url, {"mask": "text"}).status_code == 302
    item.refresh_from_db()
    assert not services.privacy_scan(disclosure=item).findings
    assert "<b>****</b>" in item.body and VALID_ID not in item.body


def test_keywords_and_attachment_titles_and_file_names_are_scanned_and_masked(client):
    """Before: the keywords (indexed for the search) and an attachment's title (the link text) were never
    scanned, and one-click masking left a number in the file name and the title."""
    from tests.factories import upload
    from tests.scans import docx_with_parts

    item = make_disclosure(status=DisclosureStatus.SUBMITTED, keywords="奖学金 张三 138 1234 5678")
    attachment = services.attachment_add(
        disclosure=item, uploaded=upload(f"名单{VALID_ID}.docx", docx_with_parts(body="名单", header="页眉"))
    )
    attachment.title = "张三（电话 139-1234-5678）的申请表"
    attachment.save(update_fields=["title"])
    values = sorted(finding.hit.value for finding in services.privacy_scan(disclosure=item).findings)
    assert values == sorted(["13812345678", "13912345678", VALID_ID])
    services.attachment_mask(attachment=attachment, user=reviewer())
    services.disclosure_mask_text(disclosure=item, user=reviewer())
    attachment.refresh_from_db()
    assert VALID_ID not in attachment.original_name and attachment.original_name.endswith(".docx")
    assert "1234" not in attachment.title and "张三" in attachment.title
    assert not services.privacy_scan(disclosure=item).findings


def _with_hyperlink(data: bytes, target: str) -> bytes:
    """The Word file ``data`` with an external hyperlink ("联系我们") to ``target`` in its body."""
    import io
    import zipfile

    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"'
        f' Target="{target}" TargetMode="External"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as copy:
        for item in source.infolist():
            if item.filename != "word/_rels/document.xml.rels":
                copy.writestr(item, source.read(item.filename))
        copy.writestr("word/_rels/document.xml.rels", rels)
    return out.getvalue()


def test_a_hyperlink_target_in_a_word_file_is_scanned_and_masked():
    """Before: a link whose text is "联系我们" and whose target is tel:/mailto: was never read, nor masked."""
    from core.textextract import DOCX, extract
    from disclosures.masking import mask_docx
    from tests.scans import docx_with_parts

    data = _with_hyperlink(docx_with_parts(body="联系我们"), "tel:+86-138-1234-5678")
    text = extract(data, DOCX, max_chars=10_000).text
    assert [hit.value for hit in scan_text(text)] == ["13812345678"]
    masked, hits = mask_docx(data)
    assert len(hits) == 1 and not scan_text(extract(masked, DOCX, max_chars=10_000).text)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("电话 1 3 8 1 2 3 4 5 6 7 8", ["13812345678"]),  # typed letter-spaced
        ("\n".join(VALID_ID), [VALID_ID]),  # a PDF that draws each character alone: one per line
        ("电话13812345678 X光检查费", ["13812345678"]),  # an X that is a word, not an ID's check character
        (f"{VALID_ID[:17]} {VALID_ID[17]}", [VALID_ID]),
    ],
)
def test_letter_spaced_numbers_and_a_detached_x(text, values):
    assert [hit.value for hit in scan_text(text)] == values
    masked = mask_text(text)[0]
    assert scan_text(masked) == [] and ("X光检查费" in masked or "X光" not in text)


def test_a_pdf_that_draws_each_digit_alone_is_scanned():
    import io

    from reportlab.pdfgen import canvas

    from core.textextract import PDF, extract

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for index, char in enumerate(VALID_ID):
        page.drawString(100 + 9 * index, 650, char)
    page.drawString(100, 600, "Tel 138")
    page.drawString(143, 600, "1234")
    page.drawString(170, 600, "5678")
    page.save()
    text = extract(out.getvalue(), PDF, max_chars=10_000).text
    assert sorted(hit.value for hit in scan_text(text)) == sorted([VALID_ID, "13812345678"])

"""core.documents: one formal document written as DOCX and PDF, read back by python-docx and pypdf."""

import datetime
import io
import re
import zipfile

import pytest
import time_machine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pypdf import PdfReader

from core.documents import FormalDocument, is_number

COLLEGE = "城市职业学院"
TITLE = "城市职业学院2025-2026学年度信息公开工作年度报告"


def build(rows: int = 120, seal: bool = True) -> FormalDocument:
    doc = FormalDocument(TITLE, author=COLLEGE, subject="信息公开年度报告", keywords="信息公开")
    doc.subtitle("（2025年9月1日至2026年8月31日）")
    doc.heading("一、概述")
    doc.paragraph("本学年，学校坚持以公开为常态、不公开为例外，主动公开信息1234条。")
    doc.heading("（一）主动公开情况", level=2)
    body = [[f"第{index}类信息（财务、资产及收费信息）", index, f"{index}%"] for index in range(rows)]
    doc.table(["类别", "信息条数", "占比"], [*body, ["合计", 7140, ""]], bold_rows=[rows], caption="表1 主动公开")
    doc.paragraph("注：数据截至2026年8月31日。", small=True)
    doc.signature(COLLEGE, datetime.date(2026, 10, 30), seal=seal)
    return doc


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


@time_machine.travel(datetime.datetime(2026, 12, 2, 4, 4, tzinfo=datetime.UTC), tick=False)
def test_pdf_has_text_page_numbers_signature_and_properties():
    reader, pages = pdf_text(build().pdf())
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text
        # the header row repeats on every page the table runs over
        if number > 1 and "合计" not in text[:40]:
            assert "信息条数" in text
    everything = re.sub(r"\s*\n\s*", "", "".join(pages))  # lines the PDF wrapped, joined up again
    assert TITLE in everything
    assert "本学年，学校坚持以公开为常态" in everything
    assert "第119类信息" in everything
    last = pages[-1]
    assert last.index("（盖章处）") < last.index(COLLEGE) < last.index("二〇二六年十月三十日")
    meta = reader.metadata
    assert meta.title == TITLE
    assert meta.author == COLLEGE
    assert meta.subject == "信息公开年度报告"
    assert meta.creation_date.astimezone(datetime.UTC) == datetime.datetime(2026, 12, 2, 4, 4, tzinfo=datetime.UTC)
    assert meta.modification_date.astimezone(datetime.UTC) == meta.creation_date.astimezone(datetime.UTC)


@time_machine.travel(datetime.datetime(2026, 12, 2, 4, 4, tzinfo=datetime.UTC), tick=False)
def test_docx_has_text_page_numbers_signature_and_properties():
    doc = build()
    data = doc.docx()
    word = Document(io.BytesIO(data))
    props = word.core_properties
    assert props.title == TITLE
    assert props.author == COLLEGE
    assert props.last_modified_by == COLLEGE
    assert "python-docx" not in (props.comments or "")
    assert props.created == props.modified == datetime.datetime(2026, 12, 2, 4, 4, tzinfo=datetime.UTC)
    app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode()
    assert f"<Company>{COLLEGE}</Company>" in app
    assert "Macintosh" not in app

    texts = [paragraph.text for paragraph in word.paragraphs]
    assert texts[0] == TITLE
    assert word.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "一、概述" in texts and "（一）主动公开情况" in texts
    assert texts[-3:] == ["（盖章处）", COLLEGE, "二〇二六年十月三十日"]
    assert all(word.paragraphs[-index].alignment == WD_ALIGN_PARAGRAPH.RIGHT for index in (1, 2, 3))

    footer = word.sections[0].footer
    pages = doc.page_count()
    assert footer.paragraphs[0].text == f"第 1 页 共 {pages} 页"
    instructions = [node.text.strip() for node in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE \\* Arabic", "NUMPAGES \\* Arabic"]

    table = word.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert [cell.text for cell in header.cells] == ["类别", "信息条数", "占比"]
    first = table.rows[1].cells
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    widths = [column.width for column in table.columns]
    assert widths[0] > 2 * widths[1]  # names get the room, figures what they need
    assert table.rows[-1].cells[0].paragraphs[0].runs[0].bold


def test_given_widths_are_relative_weights():
    doc = FormalDocument("表", author=COLLEGE)
    doc.table(["名称", "数量"], [["甲", 1]], widths=[3, 1])
    table = Document(io.BytesIO(doc.docx())).tables[0]
    first, second = (column.width for column in table.columns)
    assert abs(first / second - 3) < 0.01


def test_without_seal_there_is_no_seal_marker():
    doc = build(rows=2, seal=False)
    assert "（盖章处）" not in "".join(pdf_text(doc.pdf())[1])
    assert "（盖章处）" not in [paragraph.text for paragraph in Document(io.BytesIO(doc.docx())).paragraphs]


def test_markup_characters_are_text():
    doc = FormalDocument("A & B <C>", author=COLLEGE)
    doc.paragraph("x < y & z > w")
    text = "".join(pdf_text(doc.pdf())[1])
    assert "A & B <C>" in text and "x < y & z > w" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, True),
        (2.5, True),
        ("12", True),
        ("1,234", True),
        ("-3", True),
        ("4.5%", True),
        (True, False),
        ("第3项", False),
        ("", False),
        ("2026-12-02", False),
    ],
)
def test_is_number(value, expected):
    assert is_number(value) is expected


def test_bad_arguments_say_so():
    doc = FormalDocument("表", author=COLLEGE)
    with pytest.raises(ValueError):
        doc.heading("x", level=3)
    with pytest.raises(ValueError):
        doc.table(["a", "b"], [[1, 2]], widths=[1])

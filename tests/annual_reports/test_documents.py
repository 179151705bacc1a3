"""The report the province receives: DOCX and PDF of one formal document, the XLSX of its statistics."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from annual_reports import services
from tests.annual_reports.factories import make_report
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
COLLEGE = "城市职业学院"


def publish(report):
    return services.annual_report_publish(
        report=report, user=None, on=datetime.date(report.year + 1, 10, 20), acknowledge_warnings=True
    )


def compiled_report(year=2024):
    for month, day in ((10, 8), (11, 12), (3, 4)):
        y = year if month >= 9 else year + 1
        make_disclosure(
            title=f"{y}年{month}月招生信息",
            published_at=datetime.datetime(y, month, day, 10, tzinfo=SHANGHAI),
            date_written=datetime.date(y, month, day),
        )
    return publish(make_report(year=year))


@time_machine.travel(datetime.datetime(2025, 11, 3, 4, 4, tzinfo=datetime.UTC), tick=False)
def test_docx_has_the_college_name_page_numbers_signature_and_properties(client):
    compiled_report()
    response = client.get("/reports/2024-2025/download.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    title = doc.paragraphs[0].text
    assert title == f"{COLLEGE}2024-2025学年度信息公开工作年度报告"
    properties = doc.core_properties
    assert properties.title == title and properties.author == COLLEGE and properties.last_modified_by == COLLEGE
    assert properties.created == datetime.datetime(2025, 11, 3, 4, 4, tzinfo=datetime.UTC)
    assert properties.created.year != 2013 and "python-docx" not in (properties.author + (properties.comments or ""))
    footer = doc.sections[0].footer.paragraphs[0]
    assert re.fullmatch(r"第 1 页 共 \d+ 页", footer.text)
    assert [node.text.strip() for node in footer._element.iter(qn("w:instrText"))][0].startswith("PAGE")
    texts = [paragraph.text for paragraph in doc.paragraphs]
    assert texts[-2:] == [COLLEGE, "二〇二五年十月二十日"]  # 落款: the college and the date of publication
    assert doc.paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "一、概述" and "三、专项信息公开情况" in headings
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "类别")  # items per category
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.columns[0].width > 2 * table.columns[1].width
    assert table.rows[-1].cells[0].text == "总计" and table.rows[-1].cells[1].text == "3"


@time_machine.travel(datetime.datetime(2025, 11, 3, 4, 4, tzinfo=datetime.UTC), tick=False)
def test_pdf_of_the_same_document(client):
    compiled_report()
    response = client.get("/reports/2024-2025/download.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text
    flat = re.sub(r"\s*\n\s*", "", "".join(pages))
    assert f"{COLLEGE}2024-2025学年度信息公开工作年度报告" in flat
    assert "一、概述" in flat and "专项信息公开情况" in flat
    last = re.sub(r"\s*\n\s*", "", pages[-1])
    assert last.index(COLLEGE) < last.index("二〇二五年十月二十日")
    assert reader.metadata.title == f"{COLLEGE}2024-2025学年度信息公开工作年度报告"
    assert reader.metadata.author == COLLEGE
    assert reader.metadata.creation_date.astimezone(datetime.UTC) == datetime.datetime(
        2025, 11, 3, 4, 4, tzinfo=datetime.UTC
    )


def test_page_offers_pdf_beside_docx_and_xlsx(client):
    compiled_report()
    page = client.get("/reports/2024-2025/").content.decode()
    assert "/reports/2024-2025/download.pdf" in page and "/reports/2024-2025/download.docx" in page
    assert "/reports/2024-2025/statistics.xlsx" in page


def test_xlsx_in_local_time_with_date_cells_totals_and_frozen_headers(client):
    with time_machine.travel(datetime.datetime(2025, 10, 19, 20, 4, tzinfo=datetime.UTC), tick=False):
        compiled_report()  # compiled at 04:04 on 20 October, Beijing time
    response = client.get("/reports/2024-2025/statistics.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = book.worksheets[0]
    rows = {row[0].value: row[1:] for row in summary.iter_rows() if row[0].value}
    compiled = rows["汇总时间（北京时间）"][0].value
    assert compiled == datetime.datetime(2025, 10, 20, 4, 4)
    assert rows["统计期间"][0].value == datetime.datetime(2024, 9, 1)  # a date cell, not text
    assert rows["发布日期"][0].value == datetime.datetime(2025, 10, 20)
    sheet = next(ws for ws in book.worksheets if "分类别" in ws.title or "类别" in str(ws["A2"].value))
    assert sheet.freeze_panes == "B3"
    last = [cell.value for cell in list(sheet.iter_rows())[-1]]
    assert last[0] == "总计" and last[1] == 3
    assert list(sheet.iter_rows())[-1][0].font.bold


def test_year_over_year_when_the_previous_year_exists(client):
    compiled_report(2023)
    compiled_report(2024)
    page = client.get("/reports/2024-2025/").content.decode()
    assert "上学年" in page and "增减" in page
    first = client.get("/reports/2023-2024/").content.decode()
    assert "增减" not in first  # no report before 2023-2024

"""Exports are sent as they are written: CSV streamed row batch by row batch (with the BOM and formulas
neutralised), XLSX written in write-only mode into a temporary file that the response sends."""

import csv
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core import exports
from disclosures import compliance
from feedback import services as feedback_services
from tests.annual_reports.factories import make_report
from tests.factories import reviewer
from tests.feedback.factories import make_survey

pytestmark = pytest.mark.django_db


def test_csv_chunks_start_with_the_bom_neutralise_formulas_and_come_in_pieces():
    rows = [["编号", "内容"]] + [[n, "=1+1" if n == 7 else f"第{n}行"] for n in range(450)]
    chunks = list(exports.csv_chunks(rows))
    assert chunks[0] == b"\xef\xbb\xbf"
    assert len(chunks) == 1 + 3  # the BOM, then 200 + 200 + 51 rows
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert parsed[0] == ["编号", "内容"] and len(parsed) == 451
    assert parsed[8] == ["7", "'=1+1"]


def answered_survey(count: int):
    survey = make_survey()
    rating, choice, text = survey.questions.order_by("order")
    for n in range(count):
        feedback_services.survey_respond(
            survey=survey,
            values={rating.pk: str(n % 5 + 1), choice.pk: "微信", text.pk: "=HYPERLINK(1)" if n == 0 else f"建议{n}"},
        )
    return survey


def test_the_survey_csv_is_streamed_and_read_while_it_is_sent(staff_client, monkeypatch):
    monkeypatch.setattr(feedback_services, "EXPORT_BATCH", 2)  # five responses: three batches
    survey = answered_survey(5)
    url = reverse("admin:feedback_survey_export_csv", args=[survey.pk])
    with CaptureQueriesContext(connection) as in_view:
        response = staff_client.get(url)
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert quote(f"评议答卷-{survey.pk}.csv") in response["Content-Disposition"]  # a Chinese file name
    assert not any("surveyanswer" in query["sql"] for query in in_view.captured_queries)
    with CaptureQueriesContext(connection) as while_sent:
        body = b"".join(response.streaming_content)
    answer_queries = [q for q in while_sent.captured_queries if "surveyanswer" in q["sql"]]
    assert len(answer_queries) == 3
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][2:] == ["对信息公开工作的总体评价", "您主要通过什么途径获取学校信息？", "意见和建议"]
    assert [row[2] for row in rows[1:]] == ["1", "2", "3", "4", "5"]  # oldest first, each with its answers
    assert [row[4] for row in rows[1:]] == ["'=HYPERLINK(1)", "建议1", "建议2", "建议3", "建议4"]
    assert body == feedback_services.survey_export_csv(survey=survey)


def test_the_survey_xlsx_is_written_to_a_temporary_file_and_sent_from_it(staff_client, monkeypatch):
    survey = answered_survey(3)
    workbook = feedback_services.survey_export_workbook(survey=survey)
    assert workbook.write_only
    exports.workbook_bytes(workbook)  # saved (a write-only workbook left unsaved keeps its temporary files)
    files = []
    saved_workbook = exports.saved_workbook
    monkeypatch.setattr(exports, "saved_workbook", lambda book: files.append(saved_workbook(book)) or files[-1])
    response = staff_client.get(reverse("admin:feedback_survey_export_xlsx", args=[survey.pk]))
    assert isinstance(response, FileResponse) and response.streaming
    assert int(response["Content-Length"]) > 0
    content = response.getvalue()
    assert len(files) == 1 and files[0].closed  # sent, then closed: the temporary file is gone
    book = load_workbook(io.BytesIO(content))
    responses = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(responses) == 4 and responses[1][4] == "'=HYPERLINK(1)"
    assert book.worksheets[0]["A1"].font.b
    summary = list(book.worksheets[1].iter_rows(values_only=True))
    assert summary[-1][1] == 3


def test_the_compliance_exports_stream(client):
    client.force_login(reviewer())
    report = compliance.self_inspection(start_month=compliance.default_window())
    workbook = compliance.build_xlsx(report)
    assert workbook.write_only
    exports.workbook_bytes(workbook)
    csv_response = client.get(reverse("admin:disclosures_compliance_export", args=["csv"]))
    assert isinstance(csv_response, StreamingHttpResponse)
    assert csv_response.getvalue() == compliance.export_csv(report)
    xlsx_response = client.get(reverse("admin:disclosures_compliance_export", args=["xlsx"]))
    assert isinstance(xlsx_response, FileResponse)
    book = load_workbook(io.BytesIO(xlsx_response.getvalue()))
    assert len(book.sheetnames) == 4 and book.worksheets[0]["A1"].font.b


def test_the_annual_report_downloads_are_sent_from_temporary_files(client):
    from annual_reports import services

    services.annual_report_publish(report=make_report(year=2024), user=None, acknowledge_warnings=True)
    for url in ("/reports/2024-2025/download.docx", "/reports/2024-2025/statistics.xlsx"):
        response = client.get(url)
        assert isinstance(response, FileResponse), url
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.getvalue()[:2] == b"PK"

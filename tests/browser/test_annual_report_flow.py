"""A visitor opens the compiled demo report from the list, its print view, and downloads it as DOCX."""

import datetime

import pytest
from django.core.management import call_command
from docx import Document

from annual_reports.models import AnnualReport
from demo.reports import latest_complete_year
from tests.factories import make_disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_compiled_demo_report_print_view_and_docx(live_server, page, seeded_catalogue):
    year = latest_complete_year()
    make_disclosure(
        title="招生章程",
        published_at=datetime.datetime(year + 1, 3, 10, 10, tzinfo=datetime.UTC),
        date_written=datetime.date(year + 1, 3, 9),
    )
    call_command("load_demo_reports")
    report = AnnualReport.objects.get(year=year)
    label = f"{year}-{year + 1}"

    page.goto(live_server.url + "/reports/")
    assert page.get_by_role("heading", level=1).inner_text() == "信息公开年度报告"
    page.get_by_role("link", name=report.title).click()
    page.wait_for_url(f"**/reports/{label}/")
    assert page.get_by_role("heading", level=1).inner_text() == report.title
    assert page.get_by_role("heading", name="四、依申请公开和不予公开情况").is_visible()
    applications = report.snapshot["applications"]["received"][-1]  # the total, the last of seven columns
    assert applications > 0  # the demo files applications in every year it covers
    assert page.get_by_text(f"收到信息公开申请{applications}件").first.is_visible()
    assert page.locator("svg.chart").count() >= 4
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1

    page.get_by_role("link", name="打印本页").click()
    page.wait_for_url(f"**/reports/{label}/print/")
    assert page.get_by_role("heading", name="八、其他需要报告的事项").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".screen-only").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="返回报告").click()
    page.wait_for_url(f"**/reports/{label}/")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载（Word）").click()
    download = download_info.value
    assert download.suggested_filename == f"{report.title}.docx"
    doc = Document(download.path())
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、概述",
        "二、主动公开情况",
        "三、专项信息公开情况",
        "四、依申请公开和不予公开情况",
        "五、对信息公开的评议情况",
        "六、因学校信息公开工作受到举报的情况",
        "七、信息公开工作主要经验、存在的问题和改进措施",
        "八、其他需要报告的事项",
    ]

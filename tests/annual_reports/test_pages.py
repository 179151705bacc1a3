"""Warnings before publication, the public pages, the downloads, the admin and the demo command."""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from annual_reports import services
from annual_reports.checks import narrative_claims, report_warnings
from annual_reports.document import build_document
from annual_reports.export import export_docx
from annual_reports.findings import imported_findings
from annual_reports.models import AnnualReport
from tests.annual_reports.factories import make_report
from tests.factories import UserFactory, make_disclosure
from tests.feedback.factories import make_message

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[2] / "demo" / "data" / "annual-report-2021-2022.txt"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d):
    return datetime.datetime(y, m, d, 10, tzinfo=SHANGHAI)


def published(report, user=None):
    return services.annual_report_publish(
        report=report, user=user, on=datetime.date(report.year + 1, 10, 20), acknowledge_warnings=True
    )


# --- warnings -------------------------------------------------------------------------------------------


def test_counts_typed_in_the_narrative_are_checked_against_the_compiled_ones():
    for day in (2, 3, 4):
        make_message(now=at(2024, 12, day), subject=f"咨询{day}")
    report = make_report(year=2024, evaluation="<p>本学年度处理在线咨询32人次，回复网上留言0条。</p>")
    warnings = report_warnings(report)
    assert any("处理在线咨询32人次" in w and "3" in w for w in warnings)
    assert not any("留言0条" in w for w in warnings)  # agrees with the system (no reply given)

    report.evaluation = "<p>本学年度处理在线咨询3人次。</p>"
    services.annual_report_save(report=report, user=None)
    assert report_warnings(report) == []

    report.evaluation = "<p>本学年度处理在线咨询32余人次。</p>"  # not a count: no contradiction, but a warning
    services.annual_report_save(report=report, user=None)
    warnings = report_warnings(report)
    assert len(warnings) == 1 and "不是确切数字" in warnings[0]
    assert narrative_claims("处理在线咨询32余人次")[0].approximate


def test_empty_sections_and_a_wrong_year_label_are_flagged():
    report = make_report(year=2021, title="2021-2021学年度信息公开年度报告", overview="", other="")
    warnings = "\n".join(report_warnings(report))
    assert "一、概述" in warnings and "八、其他需要报告的事项" in warnings
    assert "2021-2021学年" in warnings
    assert "没有写明2021-2022学年度" in warnings


def test_publishing_with_warnings_needs_them_acknowledged(staff_user):
    report = make_report(year=2024, overview="")
    with pytest.raises(services.ValidationError) as error:
        services.annual_report_publish(report=report, user=staff_user)
    assert "一、概述" in " ".join(error.value.messages)
    report.refresh_from_db()
    assert not report.is_published
    report = services.annual_report_publish(report=report, user=staff_user, acknowledge_warnings=True)
    assert report.is_published and report.events.filter(action="published").exists()


# --- public pages and downloads ------------------------------------------------------------------------


def test_list_page_shows_published_reports_only(client, django_assert_max_num_queries):
    published(make_report(year=2023))
    published(make_report(year=2024))
    make_report(year=2025)
    with django_assert_max_num_queries(4):
        response = client.get("/reports/")
    page = response.content.decode()
    assert "城市职业学院2024-2025学年度信息公开工作年度报告" in page and "2023-2024" in page
    assert "2025-2026" not in page
    assert client.get("/reports/2025-2026/").status_code == 404
    assert client.get("/reports/2025-2027/").status_code == 404


def test_staff_preview_a_draft(staff_client):
    make_report(year=2025)
    response = staff_client.get("/reports/2025-2026/")
    assert response.status_code == 200 and "工作人员预览" in response.content.decode()


def test_report_page_states_zeros_and_draws_charts(client, django_assert_max_num_queries):
    make_disclosure(title="2024年招生章程", published_at=at(2024, 10, 15), date_written=datetime.date(2024, 10, 14))
    published(make_report(year=2024))
    with django_assert_max_num_queries(6):
        response = client.get("/reports/2024-2025/")
    page = response.content.decode()
    assert "四、依申请公开和不予公开情况" in page and "（一）收到和处理信息公开申请情况" in page
    assert "收到信息公开申请0件" in page and "收到针对信息公开工作的监督投诉0件" in page
    assert "主动公开信息1条" in page
    assert page.count("<svg") >= 4
    print_page = client.get("/reports/2024-2025/print/").content.decode()
    assert "report-print.css" in print_page and "八、其他需要报告的事项" in print_page


def test_docx_reads_back_the_same_headings(client):
    report = published(make_report(year=2024))
    response = client.get("/reports/2024-2025/download.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.getvalue()))
    assert doc.paragraphs[0].text == report.title and doc.paragraphs[0].style.name == "Title"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    document = build_document(report)
    assert headings == document.headings
    assert headings[0] == "一、概述" and "四、依申请公开和不予公开情况" in headings
    assert len(doc.tables) >= 8
    assert "本学年度，学校依法推进信息公开工作。" in [p.text for p in doc.paragraphs]


def test_docx_of_an_imported_report(db):
    """The DOCX reproduces the published text line for line, adds nothing to it, and gives the checks' findings
    in an appendix titled as such."""
    call_command("import_annual_report", "demo/data/annual-report-2021-2022.txt", "--year", "2021")
    report = AnnualReport.objects.get(year=2021)
    document = build_document(report)
    document.findings = imported_findings(report)
    doc = Document(io.BytesIO(export_docx(document)))
    texts = [p.text for p in doc.paragraphs]
    seed = [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert texts[0] == seed[0]
    start = texts.index(seed[1])
    assert texts[start : start + len(seed) - 1] == seed[1:]
    assert "原报告缺少本部分内容。" not in texts and "五、对信息公开的评议情况" not in texts
    appendix = texts.index("附录：导入报告核查意见")
    assert appendix > start + len(seed) - 2
    findings = "\n".join(texts[appendix:])
    assert "十四个部分" in findings and "学籍管理办法" in findings and "对外交流与合作信息" in findings


def test_xlsx_has_the_statistics(client):
    published(make_report(year=2024))
    response = client.get("/reports/2024-2025/statistics.xlsx")
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert len(workbook.sheetnames) >= 8
    table = next(workbook[name] for name in workbook.sheetnames if "收到和处理" in name)
    values = [[cell.value for cell in row] for row in table.iter_rows()]
    assert values[1] == ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    # Table 三 as the State Council's format (国办公开办函〔2021〕30号) writes its rows.
    assert values[2] == ["一、本年新收政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0]
    labels = [str(row[0]).lstrip("\u3000") for row in values]  # sub-rows are indented
    assert "三、本年度办理结果" in labels and "（七）总计" in labels and labels[-1] == "四、结转下年度继续办理"


# --- admin --------------------------------------------------------------------------------------------


def test_admin_write_compile_and_publish(staff_client):
    response = staff_client.get("/admin/annual_reports/annualreport/add/")
    assert response.status_code == 200
    report = make_report(year=2024, evaluation="<p>处理在线咨询5人次。</p>")
    change = staff_client.get(f"/admin/annual_reports/annualreport/{report.pk}/change/")
    assert change.status_code == 200 and "尚未汇总" in change.content.decode()
    staff_client.post(f"/admin/annual_reports/annualreport/{report.pk}/compile/")
    change = staff_client.get(f"/admin/annual_reports/annualreport/{report.pk}/change/").content.decode()
    assert "收到在线咨询0件" in change  # the figures beside the narrative
    assert "正文写的是“处理在线咨询5人次”，系统统计为0件在线咨询" in change

    url = f"/admin/annual_reports/annualreport/{report.pk}/publish/"
    page = staff_client.get(url).content.decode()
    assert "处理在线咨询5人次" in page
    response = staff_client.post(url, {"published_on": "2025-10-20"})
    assert response.status_code == 200
    report.refresh_from_db()
    assert not report.is_published
    response = staff_client.post(url, {"published_on": "2025-10-20", "acknowledge": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published and report.published_on == datetime.date(2025, 10, 20)
    # A published report is a record: its change page is read-only.
    page = staff_client.get(f"/admin/annual_reports/annualreport/{report.pk}/change/").content.decode()
    assert 'name="title"' not in page


def test_publishing_needs_the_permission(client):
    editor = UserFactory(username="report-editor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_annualreport", "change_annualreport", "add_annualreport"])
    )
    report = make_report(year=2024)
    client.force_login(editor)
    assert client.get(f"/admin/annual_reports/annualreport/{report.pk}/publish/").status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.annual_report_publish(report=report, user=editor, acknowledge_warnings=True)


def test_the_demo_reports_are_loaded_once(db, capsys):
    """A report for every complete academic year the demo covers (from 2023-2024), each counting that year's
    demo applications, consultations and complaints, with sections 一 and 七 written from its own figures."""
    make_disclosure(title="2025年招生章程", published_at=at(2025, 10, 15), date_written=datetime.date(2025, 10, 14))
    call_command("load_demo_reports")
    call_command("load_demo_reports")
    years = list(AnnualReport.objects.order_by("year").values_list("year", "status", "source"))
    latest = datetime.date.today().year - (1 if datetime.date.today().month >= 9 else 2)
    assert years == [(2021, "published", "imported")] + [
        (year, "published", "compiled") for year in range(2023, latest + 1)
    ]
    compiled = AnnualReport.objects.get(year=latest)
    assert compiled.title == f"城市职业学院{latest}-{latest + 1}学年度信息公开工作年度报告"
    for report in AnnualReport.objects.filter(year__gte=2023):
        figures = report.snapshot
        assert figures["applications"]["received"][-1] > 0
        assert figures["feedback"]["consultations"]["received"] > 0 and figures["complaints"]["received"] > 0
        # Every demo application is answered, on time (the last ones of a year in the next), and the text
        # states the figures of the table (its columns: 自然人, five kinds of organisation, 总计, the total last).
        a = figures["applications"]
        assert a["total"][-1] == a["received"][-1] + a["carried_in"][-1] - a["carried_over"][-1] > 0
        assert a["on_time"] == a["total"][-1] and a["late"] == 0
        assert (
            f"收到信息公开申请{a['received'][-1]}件，办结{a['total'][-1]}件，其中按期答复{a['on_time']}件"
            in report.overview
        )
    overviews = [r.overview for r in AnnualReport.objects.filter(year__gte=2023)]
    experiences = [r.experience for r in AnnualReport.objects.filter(year__gte=2023)]
    assert len(set(overviews)) == len(overviews) and len(set(experiences)) == len(experiences)
    assert "already there" in capsys.readouterr().out


def test_the_disclosure_office_may_publish_reports():
    from tests.factories import reviewer

    office = reviewer("office-reviewer")
    assert office.has_perm("annual_reports.change_annualreport") and office.has_perm(
        "annual_reports.publish_annualreport"
    )


def test_a_bad_year_is_answered_next_to_the_field(staff_client):
    response = staff_client.post(
        "/admin/annual_reports/annualreport/add/",
        {"year": "1999", "title": "我的报告", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "学年必须在2008至" in page and 'value="我的报告"' in page
    assert not AnnualReport.objects.exists()


def test_the_demo_opens_one_survey(db):
    from feedback.models import Survey

    call_command("load_demo_reports")
    call_command("load_demo_reports")
    survey = Survey.objects.get()
    assert survey.is_open_on(datetime.date.today()) and survey.questions.count() == 4

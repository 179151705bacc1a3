"""Compiling a year with known records gives known figures in every table; publishing freezes them."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from annual_reports import services
from annual_reports.document import build_document
from annual_reports.figures import compile_figures, figures_for
from disclosures import services as disclosure_services
from disclosures.models import NoticeKind
from feedback import services as feedback_services
from feedback.models import Channel, ComplaintResult, Mailbox
from requests_app import services as application_services
from tests.annual_reports.factories import make_report
from tests.factories import make_disclosure, pdf_bytes, upload
from tests.feedback.factories import make_message, make_survey
from tests.requests_app.factories import make_application, valid_credit_code

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=10):
    return datetime.datetime(y, m, d, hour, tzinfo=SHANGHAI)


@pytest.fixture
def records(staff_user):
    """Academic year 2024-2025: three items published (one late, one correction), one outside the year;
    two applications; consultations, a complaint, mailbox letters and one survey response."""
    first = make_disclosure(
        title="2024年招生章程", published_at=at(2024, 10, 15), date_written=datetime.date(2024, 10, 10)
    )
    fees = make_disclosure(
        title="2025年收费标准",
        category_code="10",
        item_code="10.01",
        department_code="finance",
        published_at=at(2025, 3, 10),
        date_written=datetime.date(2025, 1, 2),  # more than 20 working days before: late
    )
    disclosure_services.attachment_add(disclosure=fees, uploaded=upload("收费标准.pdf", pdf_bytes()))
    make_disclosure(
        title="关于2024年招生章程的更正",
        published_at=at(2025, 3, 12),
        date_written=datetime.date(2025, 3, 11),
        notice_kind=NoticeKind.CORRECTION,
        corrects=first,
    )
    make_disclosure(title="2025年招生章程", published_at=at(2025, 9, 5), date_written=datetime.date(2025, 9, 1))

    with time_machine.travel(at(2024, 11, 4), tick=False):
        disclosed, _c = make_application()
        refused, _c = make_application(
            applicant_type="organisation",
            name="某公司",
            id_type="",
            id_number="",
            credit_code=valid_credit_code(),
            legal_representative="李四",
            contact_person="王五",
            phone="13900000001",
        )
    with time_machine.travel(at(2024, 11, 15), tick=False):
        application_services.application_reply(application=disclosed, user=staff_user, kind="disclosed", letter="公开")
        application_services.application_record_fees(
            application=disclosed, user=staff_user, charged=Decimal("12"), waived=Decimal("3")
        )
        application_services.application_reply(
            application=refused,
            user=staff_user,
            kind="refused",
            refusal_reason="privacy",
            reason_text="涉及个人隐私",
            letter="不予公开",
        )

    asked, _c = make_message(now=at(2024, 12, 2))
    make_message(now=at(2025, 1, 6), subject="第二个咨询")
    with time_machine.travel(at(2024, 12, 3), tick=False):
        feedback_services.message_answer(message=asked, user=None, reply="已答复", publish=True)
    complaint, _c = make_message(channel=Channel.COMPLAINT, now=at(2025, 4, 1))
    with time_machine.travel(at(2025, 4, 3), tick=False):
        feedback_services.message_answer(
            message=complaint, user=None, reply="经核查", result=ComplaintResult.UNSUBSTANTIATED
        )
    make_message(channel=Channel.MAILBOX, mailbox=Mailbox.objects.get(slug="president"), now=at(2025, 5, 6))
    survey = make_survey(starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 6, 30))
    rating_q, choice_q, _text_q = survey.questions.order_by("order")
    values = {rating_q.pk: "4", choice_q.pk: "网站"}
    feedback_services.survey_respond(survey=survey, values=values, now=at(2025, 5, 20))


def rows(pairs):
    return {label: count for label, count in pairs}


def test_compiling_a_year_gives_known_figures_in_every_table(records):
    figures = compile_figures(2024)
    assert figures["period"] == ["2024-09-01", "2025-08-31"]

    p = figures["proactive"]
    assert (p["total"], p["attachments"], p["corrections"], p["clarifications"]) == (3, 1, 1, 0)
    assert rows(p["by_category"])["学生事务"] == 2 and rows(p["by_category"])["收费管理"] == 1
    assert sum(rows(p["by_category"]).values()) == 3 and len(p["by_category"]) == 14
    months = rows(p["by_month"])
    assert len(months) == 12 and months["2024-10"] == 1 and months["2025-03"] == 2 and sum(months.values()) == 3
    assert rows(p["by_department"]) == {"招生就业处": 2, "财务处": 1}
    coverage = {code: n for code, _t, _d, n in p["coverage"]}
    assert coverage["04.01"] == 2 and coverage["10.01"] == 1 and sum(coverage.values()) == 3
    assert [row[1] for row in p["late"]] == ["2025年收费标准"]

    special = {row[1]: row for row in figures["special"]}
    # [number, name, list items, not applicable, catalogue items, with a publication, items published]
    assert special["招生考试信息"][2:] == [8, 4, 4, 1, 2]  # 8 items, 4 研究生 ones not applicable; 04.01 twice
    assert special["财务、资产及收费信息"][5:] == [1, 1]
    assert sum(row[6] for row in figures["special"]) == 3

    a = figures["applications"]
    # The State Council table's columns: 自然人, five 法人或其他组织 (an untyped organisation is 其他), 总计.
    assert a["columns"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert a["received"] == [1, 0, 0, 0, 0, 1, 2] and a["carried_in"] == [0] * 7
    table = {row[0]: row[2:] for row in a["rows"]}
    assert table["（一）予以公开"] == [1, 0, 0, 0, 0, 0, 1]
    assert table["（三）不予公开"] == [0, 0, 0, 0, 0, 1, 1] and table["4.保护第三方合法权益"] == [0, 0, 0, 0, 0, 1, 1]
    # Table 三 as the format lays it out: every row, in order, labelled as the format writes it.
    assert [row[0] for row in a["table"]] == STATE_COUNCIL_FORMAT_ROWS
    full = {row[0]: row[2:] for row in a["table"]}
    assert full["一、本年新收政府信息公开申请数量"] == a["received"]
    assert full["三、本年度办理结果"] == [None] * 7
    assert full["（七）总计"] == a["total"] and full["四、结转下年度继续办理"] == a["carried_over"]
    assert a["total"] == [1, 0, 0, 0, 0, 1, 2] and a["carried_over"] == [0] * 7
    kinds = {row[0]: row[1:] for row in a["by_kind"]}
    assert kinds["予以公开（并告知获取方式）"] == [1, 0, 0, 0, 0, 0, 1]
    assert sum(row[-1] for row in a["by_kind"]) == 2
    assert (a["on_time"], a["late"]) == (2, 0)
    assert a["median_working_days"] == 9.0  # 4 → 15 November 2024: nine working days
    assert (a["fees_charged"], a["fees_waived"]) == ("12.00", "3.00")

    f = figures["feedback"]
    assert f["consultations"] == {"received": 2, "answered": 1, "published": 1, "open": 1}
    assert f["mailbox_total"] == 1 and ["校长信箱", 1, 0] in f["mailboxes"]
    assert f["surveys"]["responses"] == 1 and f["surveys"]["average_rating"] == 4.0

    c = figures["complaints"]
    assert c["received"] == 1 and rows(c["by_result"])["情况不属实"] == 1
    assert sum(n for _label, n in c["by_result"]) + c["pending"] == 1


def test_every_section_is_numbered_by_the_system_and_zero_is_stated(db):
    report = make_report(year=2024)
    document = build_document(report)
    assert [view.number for view in document.sections] == list("一二三四五六七八")
    proactive = document.sections[1]
    assert [block.number for block in proactive.blocks][:3] == ["（一）", "（二）", "（三）"]
    applications = document.sections[3]
    assert applications.blocks[0].table.rows[0][1:] == [0] * 7  # zeros, never blank
    assert "0" in applications.blocks[0].paragraphs[0]


def test_the_published_snapshot_stays_fixed(records, staff_user):
    report = make_report(year=2024)
    report = services.annual_report_publish(
        report=report, user=staff_user, on=datetime.date(2025, 10, 20), acknowledge_warnings=True
    )
    frozen = report.snapshot
    assert frozen["proactive"]["total"] == 3

    # The records change after publication: a new item in the year, an application answered differently.
    make_disclosure(title="补发的2025年招生计划", published_at=at(2025, 6, 1), date_written=datetime.date(2025, 5, 30))
    assert compile_figures(2024)["proactive"]["total"] == 4

    report.refresh_from_db()
    assert report.snapshot == frozen
    assert figures_for(report)["proactive"]["total"] == 3
    with pytest.raises(ValidationError):
        services.annual_report_compile(report=report, user=staff_user)
    with pytest.raises(ValidationError):
        services.annual_report_save(report=report, user=staff_user)


def test_a_draft_shows_live_figures(records):
    report = make_report(year=2024)
    assert figures_for(report)["proactive"]["total"] == 3
    make_disclosure(title="补发的2025年招生计划", published_at=at(2025, 6, 1), date_written=datetime.date(2025, 5, 30))
    assert figures_for(report)["proactive"]["total"] == 4


# 国办公开办函〔2021〕30号, table 三, as the format writes it (every row, in order).
STATE_COUNCIL_FORMAT_ROWS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]

"""Sections 一 and 七 of the demo reports read as a lawyer reads them: every figure they state is the figure the
report's tables give, and no figure is stated twice with two values."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from annual_reports.models import AnnualReport
from demo.reports import _overview
from disclosures.models import Audience
from tests.factories import make_disclosure


def _figures(by_category, **proactive):
    return {
        "proactive": {
            "total": sum(n for _name, n in by_category),
            "by_category": by_category,
            "by_department": [["招生就业处", 1]] if any(n for _name, n in by_category) else [],
            "late": [],
            "attachments": 0,
            "corrections": 0,
            "clarifications": 0,
            **proactive,
        },
        "feedback": {"consultations": {"received": 2, "answered": 1, "published": 1, "open": 1}},
        # The State Council table's columns: 自然人, five kinds of organisation, 总计 (the total last).
        "applications": {"received": [1, 0, 0, 0, 0, 0, 1], "total": [1, 0, 0, 0, 0, 0, 1], "on_time": 1, "late": 0},
    }


def test_the_overview_names_every_category_that_ties_and_none_when_nothing_was_published():
    text = _overview(2024, _figures([["学校概况", 3], ["学生事务", 3], ["财务", 1]]))
    assert "其中“学校概况”“学生事务”类最多，各为3条" in text
    text = _overview(2024, _figures([["学校概况", 0], ["学生事务", 0]]))
    assert "全年主动公开信息0条" in text and "最多" not in text
    assert "附件0个均完成" not in text and "发布的信息均无附件" in text


def test_the_overview_says_campus_only_items_are_not_counted():
    text = _overview(2024, _figures([["学生事务", 2]], campus_only=3))
    assert "全年主动公开信息2条" in text and "另有3条信息仅在校内公开，未计入主动公开数" in text


def _numbers(pattern, text):
    return [int(n) for n in re.findall(pattern, re.sub(r"<[^>]+>", "", text))]


@pytest.mark.django_db
def test_sections_one_and_seven_of_a_compiled_demo_report_agree_with_its_tables():
    year = 2024
    at = timezone.make_aware(datetime.datetime(2024, 10, 15, 10))
    make_disclosure(title="2024年招生章程", published_at=at, date_written=datetime.date(2024, 10, 14))
    # late: written two months before it was published
    make_disclosure(title="招生咨询渠道", item_code="04.04", published_at=at, date_written=datetime.date(2024, 8, 1))
    make_disclosure(
        title="校内通知",
        item_code="09.04",
        category_code="09",
        department_code="hr",
        published_at=at,
        audience=Audience.CAMPUS,
    )
    call_command("load_demo_reports")
    report = AnnualReport.objects.get(year=year)
    f = report.snapshot
    p = f["proactive"]
    assert p["total"] == sum(n for _name, n in p["by_category"]) == 2 and p["campus_only"] == 1
    one, seven = report.overview, report.experience
    assert _numbers(r"全年主动公开信息(\d+)条", one) == [p["total"]]
    assert _numbers(r"(\d+)个部门在网上发布了信息", one) == [len(p["by_department"])]
    assert _numbers(r"另有(\d+)条信息仅在校内公开", one) == [p["campus_only"]]
    assert _numbers(r"全年有(\d+)条信息超过规定时限发布", one) == [len(p["late"])] == [1]
    assert _numbers(r"(\d+)条信息未能在规定时限内发布", seven) == [len(p["late"])]
    a = f["applications"]
    assert _numbers(r"收到信息公开申请(\d+)件", one) == [a["received"][-1]]
    assert _numbers(r"办结(\d+)件", one) == [a["total"][-1]]
    assert _numbers(r"其中按期答复(\d+)件", one) == [a["on_time"]]
    assert _numbers(r"在线咨询(\d+)件", one) == [f["feedback"]["consultations"]["received"]]
    busiest = max(n for _name, n in p["by_category"])
    assert _numbers(r"类最多，各?为(\d+)条", one) == [busiest]
    # the published report raises no contradiction between its text and its figures
    from annual_reports.checks import report_warnings

    with translation.override("en"):
        assert not [w for w in report_warnings(report) if "the system counted" in str(w)]

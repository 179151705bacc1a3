"""The report admin: the title follows the year until edited; the publish form's date; corrections as versions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from annual_reports import services
from annual_reports.models import AnnualReport, ReportAction
from annual_reports.sections import default_title
from tests.annual_reports.factories import make_report

pytestmark = pytest.mark.django_db


def test_the_title_follows_the_year_until_someone_edits_it():
    report = make_report(year=2023)
    assert report.title == default_title(2023)
    report.year = 2024
    services.annual_report_save(report=report, user=None)
    assert AnnualReport.objects.get(pk=report.pk).title == default_title(2024)

    report.title = "城市职业学院2024-2025学年度信息公开工作年度报告（修订稿）"
    services.annual_report_save(report=report, user=None)
    report.year = 2022
    services.annual_report_save(report=report, user=None)
    assert AnnualReport.objects.get(pk=report.pk).title.endswith("（修订稿）")  # edited: kept


def test_admin_add_form_with_another_year_gets_that_years_title(staff_client):
    initial = staff_client.get("/admin/annual_reports/annualreport/add/").context["adminform"].form.initial
    response = staff_client.post(
        "/admin/annual_reports/annualreport/add/",
        {
            "year": initial["year"] - 1,
            "title": initial["title"],
            "published_on": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert AnnualReport.objects.get(year=initial["year"] - 1).title == default_title(initial["year"] - 1)


def test_publish_form_gives_the_date_in_the_date_inputs_format(staff_client):
    report = make_report(year=2024)
    AnnualReport.objects.filter(pk=report.pk).update(published_on=datetime.date(2025, 10, 20))
    html = staff_client.get(f"/admin/annual_reports/annualreport/{report.pk}/publish/").content.decode()
    assert 'type="date"' in html and 'value="2025-10-20"' in html
    response = staff_client.post(
        f"/admin/annual_reports/annualreport/{report.pk}/publish/", {"published_on": "2025-10-20", "acknowledge": "on"}
    )
    assert response.status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).published_on == datetime.date(2025, 10, 20)


def _published(year=2024):
    report = make_report(year=year, other="<p>无其他需要报告的事项。</p>")
    return services.annual_report_publish(
        report=report, user=None, on=datetime.date(year + 1, 10, 20), acknowledge_warnings=True
    )


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(client, staff_client):
    report = _published()
    response = staff_client.post(
        f"/admin/annual_reports/annualreport/{report.pk}/correct/",
        {
            "title": report.title,
            "reason": "原文误将学年写为2023-2024学年。",
            "preface": report.preface,
            **{key: getattr(report, key) for key in services.SECTION_KEYS},
            "other": "<p>本学年无其他需要报告的事项。</p>",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.version == 2 and report.is_published
    assert "其他需要报告的事项" in report.correction_note and "原文误将学年写为" in report.correction_note
    page = client.get("/reports/2024-2025/").content.decode()
    assert "更正说明" in page and report.correction_note in page and "/reports/2024-2025/v1/" in page
    assert "本学年无其他需要报告的事项。" in page
    old = client.get("/reports/2024-2025/v1/").content.decode()
    assert "无其他需要报告的事项。" in old and "本学年无其他需要报告的事项。" not in old
    assert "/reports/2024-2025/" in old and "更正前" in old
    assert client.get("/reports/2024-2025/v2/").status_code == 302  # the current version's own page
    assert client.get("/reports/2024-2025/v3/").status_code == 404
    actions = list(report.events.order_by("created_at", "id").values_list("action", flat=True))
    assert actions[-2:] == [ReportAction.PUBLISHED, ReportAction.CORRECTED]


def test_a_correction_needs_a_reason_and_a_change():
    report = _published()
    with pytest.raises(ValidationError):
        services.annual_report_correct(report=report, user=None, changes={"other": "<p>x</p>"}, reason=" ")
    with pytest.raises(ValidationError):
        services.annual_report_correct(report=report, user=None, changes={"other": report.other}, reason="无")
    draft = make_report(year=2025)
    with pytest.raises(ValidationError):
        services.annual_report_correct(report=draft, user=None, changes={"other": "<p>x</p>"}, reason="改")


def test_the_correction_form_keeps_what_was_typed_on_error(staff_client):
    report = _published()
    response = staff_client.post(
        f"/admin/annual_reports/annualreport/{report.pk}/correct/",
        {"title": report.title, "reason": "", "other": "<p>新的文字</p>"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "新的文字" in html
    assert AnnualReport.objects.get(pk=report.pk).version == 1

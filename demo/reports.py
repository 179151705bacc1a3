"""Demo annual reports for `make run`: the seed report of 2021-2022 imported as written, and a report
compiled from the demo records of the latest complete academic year, with a short narrative that states
its figures as the system counted them."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from annual_reports import services
from annual_reports.models import AnnualReport
from core.progress import ProgressFactory, no_progress
from disclosures.models import academic_year_of

SEED_FILE = Path(__file__).resolve().parent / "data" / "annual-report-2021-2022.txt"
SEED_YEAR = 2021


def _narrative(year: int) -> dict[str, str]:
    label = f"{year}-{year + 1}"
    return {
        "preface": (
            f"<p>按照《高等学校信息公开办法》（教育部令第29号）的要求，现发布学校{label}学年度信息公开工作年度报告。"
            f"本报告中的统计数据均由学校信息公开网根据{year}年9月1日至{year + 1}年8月31日的记录自动汇总。</p>"
        ),
        "overview": (
            f"<p>{label}学年度，学校坚持“以公开为常态、不公开为例外”的原则，依托信息公开网统一发布各类信息，"
            "落实保密审查和发布审批制度，每项信息均经审核后发布，并按双月自查制度检查各部门的更新情况。</p>"
        ),
        "proactive": "<p>各部门按照信息公开目录确定的更新周期发布信息，发布情况统计如下。</p>",
        "special": "<p>学校对照《高等学校信息公开事项清单》逐项落实公开要求，各类事项的发布情况见下表。</p>",
        "applications": "<p>学校依法受理信息公开申请，按规定时限答复，具体情况见下表。</p>",
        "evaluation": "<p>学校通过在线咨询、网上留言、领导信箱和评议问卷听取师生和社会公众的意见，情况如下。</p>",
        "complaints": "<p>因学校信息公开工作受到举报、投诉的情况如下。</p>",
        "experience": (
            "<p>学校信息公开工作仍存在部分部门发布不够及时、个别公开事项更新周期执行不严等问题。"
            "下一学年度，学校将加强对各部门信息公开联系人的培训，把逾期发布情况纳入双月自查通报，"
            "并继续完善信息公开目录。</p>"
        ),
        "other": "<p>无其他需要报告的事项。</p>",
    }


def latest_complete_year(today: datetime.date | None = None) -> int:
    return academic_year_of(today or timezone.localdate()) - 1


def load_demo_reports(*, today: datetime.date | None = None, progress: ProgressFactory = no_progress) -> list[str]:
    """Idempotent: adds what is missing and says what it did. ``progress`` makes the bar counting the
    reports added (see core.progress)."""
    done = []
    year = latest_complete_year(today)
    import_seed = not AnnualReport.objects.filter(year=SEED_YEAR).exists()
    compile_latest = year != SEED_YEAR and not AnnualReport.objects.filter(year=year).exists()
    with progress("Adding demo reports", int(import_seed) + int(compile_latest)) as bar:
        if import_seed:
            report = services.annual_report_import(text=SEED_FILE.read_text(encoding="utf-8"), year=SEED_YEAR)
            done.append(f"imported {report.label} ({len(report.import_notes)} notes)")
            bar.advance()
        if compile_latest:
            report = AnnualReport(year=year, title="")
            for field, html in _narrative(year).items():
                setattr(report, field, html)
            services.annual_report_save(report=report, user=None)
            due = datetime.date(year + 1, 10, 31)
            publish_on = min(today or timezone.localdate(), due)
            report = services.annual_report_publish(report=report, user=None, on=publish_on, acknowledge_warnings=True)
            done.append(f"compiled and published {report.label}")
            bar.advance()
    return done

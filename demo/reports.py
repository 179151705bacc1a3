"""Demo annual reports for `make run`: the seed report of 2021-2022 imported as written, and a report compiled
from the demo records for every complete academic year the demo covers (demo.context.FIRST_ACADEMIC_YEAR on),
each with that year's demo applications, consultations and complaints (demo.activity) and sections 一 and 七
written from the year's own figures, as a college writes them."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from annual_reports import services
from annual_reports.figures import compile_figures
from annual_reports.models import AnnualReport
from core.chinese import cn_number
from core.progress import ProgressFactory, no_progress
from demo.activity import add_activity, ensure_open_survey
from demo.context import FIRST_ACADEMIC_YEAR
from disclosures.models import academic_year_of

SEED_FILE = Path(__file__).resolve().parent / "data" / "annual-report-2021-2022.txt"
SEED_YEAR = 2021


def _busiest(by_category: list) -> str:
    """Which categories published most, every one of them when several tie; empty when nothing was published."""
    top = max((n for _name, n in by_category), default=0)
    if not top:
        return ""
    names = "".join(f"“{name}”" for name, n in by_category if n == top)
    return f"其中{names}类最多，{'各为' if names.count('“') > 1 else '为'}{top}条；"


def _overview(year: int, f: dict) -> str:
    """Section 一 as a college writes it: what was done this year, in the year's own figures, each figure the
    one the tables of the report give (the same keys of the figures)."""
    label = f"{year}-{year + 1}"
    p, fb, a = f["proactive"], f["feedback"], f["applications"]
    departments = len(p["by_department"])
    late = len(p["late"])
    campus = p.get("campus_only", 0)
    paragraphs = [
        f"{label}学年度，学校认真贯彻《高等学校信息公开办法》和《高等学校信息公开事项清单》，"
        f"以信息公开网为主渠道，全年主动公开信息{p['total']}条，{_busiest(p['by_category'])}"
        f"{departments}个部门在网上发布了信息"
        + (f"；另有{campus}条信息仅在校内公开，未计入主动公开数。" if campus else "。"),
        "（一）健全工作机制。学校信息公开工作领导小组年内召开专题会议，部署年度公开重点；各部门信息公开联系人"
        "对照目录逐项核对更新周期，"
        + ("发布均在规定时限内完成。" if not late else f"全年有{late}条信息超过规定时限发布，已逐一通报整改。"),
        "（二）落实审查制度。每条信息发布前均经保密审查和发布审批，"
        + (f"附件{p['attachments']}个均完成个人信息检查；" if p["attachments"] else "发布的信息均无附件；")
        + f"年内发布更正{p['corrections']}条、澄清{p['clarifications']}条。",
        f"（三）回应社会关切。收到信息公开申请{a['received'][-1]}件，办结{a['total'][-1]}件，"
        f"其中按期答复{a['on_time']}件；在线咨询{fb['consultations']['received']}件，"
        f"答复{fb['consultations']['answered']}件，其中{fb['consultations']['published']}件经提问人同意在留言板公开。",
    ]
    return "".join(f"<p>{text}</p>" for text in paragraphs)


EXPERIENCE = [
    ("部分部门对“变动即更”事项的更新不够及时", "把变动后的更新时限纳入双月自查，逾期的在全校通报"),
    ("个别附件为扫描图片，无法检索、不便读屏软件朗读", "要求发布文字版附件，扫描件同时附可检索的文本"),
    ("政策文件的解读材料偏少", "对涉及学生切身利益的制度同步发布政策解读，并在文件页面互相链接"),
    ("留言板答复的格式和用语不够统一", "编写答复规范，由信息公开办公室统一审核后公开"),
]


def _experience(year: int, f: dict) -> str:
    """Section 七: this year's problems and what will be done, not the same paragraph every year."""
    index = year % len(EXPERIENCE)
    problems = [EXPERIENCE[index], EXPERIENCE[(index + 1) % len(EXPERIENCE)]]
    late = len(f["proactive"]["late"])
    lines = [
        "一年来，学校信息公开工作取得了一定成效，主要经验是：领导重视、制度先行，审查在前、公开在后，"
        "以信息公开网统一发布，做到有据可查。"
        + (f"存在的问题是：{late}条信息未能在规定时限内发布；" if late else "存在的问题是：")
        + "；".join(problem for problem, _fix in problems)
        + "。"
    ]
    for number, (_problem, fix) in enumerate(problems, start=1):
        lines.append(f"（{cn_number(number)}）{fix}。")
    lines.append(f"{year + 1}-{year + 2}学年度，学校将继续对照《清单》完善目录，提高公开质量。")
    return "".join(f"<p>{text}</p>" for text in lines)


def _narrative(year: int, figures: dict | None = None) -> dict[str, str]:
    label = f"{year}-{year + 1}"
    f = figures or compile_figures(year)
    return {
        "preface": (
            f"<p>按照《高等学校信息公开办法》（教育部令第29号）的要求，现发布学校{label}学年度信息公开工作年度报告。"
            f"本报告中的统计数据均由学校信息公开网根据{year}年9月1日至{year + 1}年8月31日的记录自动汇总。</p>"
        ),
        "overview": _overview(year, f),
        "proactive": "<p>各部门按照信息公开目录确定的更新周期发布信息，发布情况统计如下。</p>",
        "special": "<p>学校对照《高等学校信息公开事项清单》逐项落实公开要求，各类事项的发布情况见下表。</p>",
        "applications": (
            "<p>学校依法受理信息公开申请，"
            + (f"其中{f['applications']['late']}件超过规定期限答复，" if f["applications"]["late"] else "")
            + "具体情况见下表。</p>"
        ),
        "evaluation": "<p>学校通过在线咨询、网上留言、领导信箱和评议问卷听取师生和社会公众的意见，情况如下。</p>",
        "complaints": "<p>因学校信息公开工作受到举报、投诉的情况如下。</p>",
        "experience": _experience(year, f),
        "other": "<p>无其他需要报告的事项。</p>",
    }


def latest_complete_year(today: datetime.date | None = None) -> int:
    return academic_year_of(today or timezone.localdate()) - 1


def load_demo_reports(*, today: datetime.date | None = None, progress: ProgressFactory = no_progress) -> list[str]:
    """Idempotent: adds what is missing and says what it did. ``progress`` makes the bar counting the
    reports added (see core.progress)."""
    done = []
    today = today or timezone.localdate()
    latest = latest_complete_year(today)
    import_seed = not AnnualReport.objects.filter(year=SEED_YEAR).exists()
    years = [
        year
        for year in range(FIRST_ACADEMIC_YEAR, latest + 1)
        if year != SEED_YEAR and not AnnualReport.objects.filter(year=year).exists()
    ]
    if ensure_open_survey(today=today):
        done.append("opened the demo survey")
    with progress("Adding demo reports", int(import_seed) + len(years)) as bar:
        if import_seed:
            report = services.annual_report_import(text=SEED_FILE.read_text(encoding="utf-8"), year=SEED_YEAR)
            done.append(f"imported {report.label} ({len(report.import_notes)} notes)")
            bar.advance()
        for year in years:
            added = add_activity(year, today=today)
            report = AnnualReport(year=year, title="")
            for field, html in _narrative(year).items():
                setattr(report, field, html)
            services.annual_report_save(report=report, user=None)
            publish_on = min(today, datetime.date(year + 1, 10, 28))
            report = services.annual_report_publish(report=report, user=None, on=publish_on, acknowledge_warnings=True)
            done.append(f"compiled and published {report.label} ({added} demo applications and messages)")
            bar.advance()
    return done

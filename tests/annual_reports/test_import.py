"""Importing the seed report: its sections are found by their headings, its text kept as written, and what
could not be mapped (the missing 依申请公开和不予公开情况 section) recorded on the report."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annual_reports.importer import import_note_text, parse_report_text
from annual_reports.models import AnnualReport

SEED = Path(__file__).resolve().parents[2] / "demo" / "data" / "annual-report-2021-2022.txt"


def test_parse_finds_the_sections_despite_the_numbering_faults():
    parsed = parse_report_text(SEED.read_text(encoding="utf-8"), year=2021)
    assert parsed.title == "哈尔滨城市职业学院2021-2022学年度信息公开年度报告"
    assert set(parsed.sections) == {"overview", "proactive", "special", "evaluation", "complaints", "experience"}
    assert parsed.headings["complaints"] == "六、因学校信息公开工作受到举报的情况"
    kinds = [(note["kind"], note.get("section")) for note in parsed.notes]
    assert ("missing", "applications") in kinds
    assert {
        "kind": "numbering",
        "previous": "四",
        "written": "六",
        "heading": "六、因学校信息公开工作受到举报的情况",
    } in (parsed.notes)
    assert {"kind": "year_label", "written": "2021-2021学年", "expected": "2021-2022"} in parsed.notes
    assert {"kind": "approximate", "text": "32余人次"} in parsed.notes
    # The sub-headings and the text stay as written, the word processor's bookmark does not.
    assert parsed.sections["proactive"][0] == "（一）通过学校信息公开网站公开信息情况"
    assert any("处理在线咨询32余人次" in line for line in parsed.sections["proactive"])
    assert not any("[bookmark" in line for line in parsed.preface)


def test_the_command_imports_a_published_report_with_its_notes(db, capsys):
    call_command("import_annual_report", str(SEED), "--year", "2021")
    report = AnnualReport.objects.get(year=2021)
    assert report.is_published and report.is_imported and report.label == "2021-2022"
    assert "<p>2021-2022学年度，未产生因信息公开工作引起举报的情况。</p>" == report.complaints
    assert report.applications == ""
    assert "评议" in report.evaluation and "199份" in report.evaluation
    notes = [import_note_text(note) for note in report.import_notes]
    assert any("依申请公开和不予公开情况" in note for note in notes)
    out = capsys.readouterr().out
    assert "依申请公开和不予公开情况" in out

    with pytest.raises(CommandError):
        call_command("import_annual_report", str(SEED), "--year", "2021")  # one report per year


def test_the_report_page_shows_the_missing_section(db, client):
    call_command("import_annual_report", str(SEED), "--year", "2021")
    page = client.get("/reports/2021-2022/").content.decode()
    # the missing section is a finding beside the text, not a heading put into it; the numbering is the author's
    assert "导入的原文缺少“依申请公开和不予公开情况”部分" in page
    assert "四、对信息公开的评议情况" in page and "五、对信息公开的评议情况" not in page
    assert "处理在线咨询32余人次" in page  # as written
    assert client.get("/reports/2021-2022/statistics.xlsx").status_code == 404


def test_bad_input_gets_a_clear_message(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="没有文字|no text"):
        call_command("import_annual_report", str(empty), "--year", "2021")
    with pytest.raises(CommandError):
        call_command("import_annual_report", str(tmp_path / "missing.txt"), "--year", "2021")
    with pytest.raises(CommandError):
        call_command("import_annual_report", str(SEED), "--year", "1990")


# --- the imported report exactly as written, findings beside it ------------------------------------------

SEED_FILE = Path(__file__).resolve().parents[2] / "demo" / "data" / "annual-report-2021-2022.txt"


def _page_lines(html: str) -> list[str]:
    import html as html_module

    block = html[html.index('<div class="imported-text"') :]
    block = block[: block.index("</div>")]
    return [html_module.unescape(text) for text in re.findall(r"<p>(.*?)</p>", block, flags=re.S)]


@pytest.mark.django_db
def test_the_imported_seed_report_is_shown_line_for_line(client):
    call_command("import_annual_report", str(SEED_FILE), "--year", "2021")
    html = client.get("/reports/2021-2022/").content.decode()
    seed = [line for line in SEED_FILE.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert _page_lines(html) == seed[1:]  # the title line is the page's heading
    assert "<h1>" + seed[0] + "</h1>" in html
    text = html[html.index('<div class="imported-text"') :]
    assert "原报告缺少本部分内容" not in text and "五、对信息公开的评议情况" not in text


@pytest.mark.django_db
def test_the_findings_panel_covers_the_seed_defects(client):
    call_command("import_annual_report", str(SEED_FILE), "--year", "2021")
    html = client.get("/reports/2021-2022/").content.decode()
    panel = html[html.index('class="notice import-notes"') : html.index('<div class="imported-text"')]
    for expected in (
        "从“四”跳到“六”",  # the skipped number
        "依申请公开和不予公开情况",  # the missing section
        "2021-2021",  # the typo'd year
        "32余人次",  # the approximate count
        "“2021年度”",  # calendar-year label
        "（八）科信息公开情况",  # truncated heading
        "十四个部分",  # the list has ten classes
        "学籍管理办法",  # reported under 学科
        "对外交流与合作信息",  # the class missing
    ):
        assert expected in panel, expected

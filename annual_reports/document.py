"""The annual report as a document: its numbered sections with their narrative, tables and charts.

One model of the document serves the web page, the print view, the DOCX and the XLSX (``build_document``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from annual_reports.figures import figures_for, key_figures
from annual_reports.sections import SECTION_KEYS, SECTIONS
from core.chinese import cn_number
from core.tables import Table
from disclosures.models import academic_year_label


@dataclass
class Block:
    number: str  # （一）
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: list[tuple[str, float]] | None = None
    total_row: bool = False  # the table's last row is its total (合计)

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}"


@dataclass
class SectionView:
    key: str
    number: str
    title: str
    narrative: str  # sanitised HTML
    blocks: list[Block] = field(default_factory=list)
    missing: bool = False  # an imported report that lacks the section altogether

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"

    @property
    def is_empty(self) -> bool:
        return not self.blocks and not html_blocks(self.narrative)


@dataclass
class ReportDocument:
    title: str
    label: str
    period: tuple[datetime.date, datetime.date]
    preface: str
    sections: list[SectionView]
    compiled_at: str | None
    college: str = ""
    published_on: datetime.date | None = None
    imported: bool = False
    source_text: str = ""  # an imported report's text, exactly as it was published
    findings: list[str] = field(default_factory=list)  # what the checks found in an imported report
    previous_label: str = ""  # the previous academic year, when its figures are there to compare
    correction_note: str = ""  # 更正说明 of a corrected report

    @property
    def headings(self) -> list[str]:
        """Every heading under the title, in order: what the DOCX's Heading 1/2 paragraphs read back."""
        result = []
        for view in self.sections:
            result.append(view.heading)
            result.extend(block.heading for block in view.blocks)
        return result


def _n(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _number_blocks(blocks: list[Block]) -> list[Block]:
    for index, block in enumerate(blocks, start=1):
        block.number = f"（{cn_number(index)}）"
    return blocks


def _with_total(rows: list[list], label: str | None = None) -> list[list]:
    """The rows and a 合计 row summing every numeric column."""
    if not rows:
        return rows
    total = [label or _("Total")]
    for column in range(1, len(rows[0])):
        values = [row[column] for row in rows]
        total.append(sum(values) if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values) else "")
    return [*rows, total]


def _change(now: int, before: int | None) -> str:
    if before is None:
        return "—"
    return f"{now - before:+d}"


def _year_on_year(rows: list[list], previous: list[list] | None) -> tuple[list[str], list[list]]:
    """[name, n] rows with last year's n and the change beside, when last year's rows are given."""
    if previous is None:
        return [], rows
    before = {row[0]: row[1] for row in previous}
    return [_("Previous year"), pgettext("year over year", "Change")], [
        [name, n, before.get(name, "—"), _change(n, before.get(name))] for name, n in rows
    ]


def _overview_blocks(f: dict, previous: dict | None = None) -> list[Block]:
    """The main figures of the year, beside the previous year's when its report has them."""
    now, before = key_figures(f), key_figures(previous) if previous else {}
    labels = {
        "published": _("Items published"),
        "applications": _("Applications received"),
        "consultations": _("Online consultations"),
        "mailbox": _("Messages to the leaders' mailboxes"),
        "survey_responses": _("Survey responses"),
        "complaints": _("Complaints received"),
    }
    if before:
        header = [_("Figure"), _("This year"), _("Previous year"), pgettext("year over year", "Change")]
        rows = [[labels[key], now[key], before.get(key, "—"), _change(now[key], before.get(key))] for key in labels]
    else:
        header = [_("Figure"), _("This year")]
        rows = [[labels[key], now[key]] for key in labels]
    return [Block("", _("Main figures of the academic year"), table=Table(header, rows))]


def _counting_rule(p: dict) -> list[str]:
    """The rule of what counts as published in the year, for readers (disclosures.statistics states it for
    code); figures compiled before the rule (no "campus_only") do not get it."""
    if "campus_only" not in p:
        return []
    return [
        _(
            "An item counts in the academic year in which it was published. An item withdrawn later counts, as it "
            "was public then; a scheduled item withdrawn before its publication time does not. Items open to the "
            "campus only are not proactive disclosure to the public and are not counted: %(campus)s such items were "
            "published in the academic year."
        )
        % {"campus": p["campus_only"]}
    ]


def _proactive_blocks(f: dict, previous: dict | None = None) -> list[Block]:
    p = f["proactive"]
    covered = sum(1 for row in p["coverage"] if row[3])
    extra, by_category = _year_on_year(
        [list(row) for row in p["by_category"]], previous["proactive"]["by_category"] if previous else None
    )
    return [
        Block(
            "",
            _("Items published in the academic year"),
            [
                _(
                    "In the academic year the disclosure site published %(total)s items with %(attachments)s "
                    "attachments; %(late)s were published more than %(limit)s working days after they were written. "
                    "%(corrections)s corrections and %(clarifications)s clarifications were issued."
                )
                % {
                    "total": p["total"],
                    "attachments": p["attachments"],
                    "late": len(p["late"]),
                    "limit": f["limit_days"],
                    "corrections": p["corrections"],
                    "clarifications": p["clarifications"],
                }
            ]
            + _counting_rule(p),
        ),
        Block(
            "",
            _("Items published per category"),
            table=Table([_("Category"), _("Items"), *extra], _with_total(by_category)),
            chart=[tuple(row) for row in p["by_category"]],
            total_row=True,
        ),
        Block(
            "",
            _("Items published per month"),
            table=Table([_("Month"), _("Items")], _with_total([list(row) for row in p["by_month"]])),
            chart=[(row[0][2:], row[1]) for row in p["by_month"]],
            total_row=True,
        ),
        Block(
            "",
            _("Items published per department"),
            [] if p["by_department"] else [_("No department published an item in the academic year (0 items).")],
            table=Table([_("Department"), _("Items")], _with_total([list(row) for row in p["by_department"]]))
            if p["by_department"]
            else None,
            total_row=bool(p["by_department"]),
        ),
        Block(
            "",
            _("Coverage of the disclosure catalogue"),
            [
                _(
                    "Of the %(items)s disclosure items of the catalogue, %(covered)s had at least one publication in "
                    "the academic year and %(missing)s had none."
                )
                % {"items": len(p["coverage"]), "covered": covered, "missing": len(p["coverage"]) - covered}
            ],
            table=Table(
                [_("Code"), _("Disclosure item"), _("Responsible department"), _("Items published")],
                [list(row) for row in p["coverage"]],
            ),
        ),
        Block(
            "",
            _("Items published late"),
            [_("%(count)s items were published late.") % {"count": len(p["late"])}],
            table=Table(
                [_("Index number"), _("Title"), _("Department"), _("Publication date"), _("Working days late")],
                [list(row) for row in p["late"]],
            )
            if p["late"]
            else None,
        ),
    ]


def _special_blocks(f: dict) -> list[Block]:
    """专项信息公开情况: per class of the 2014 list, from the catalogue items' list numbers (figures version 2 on;
    a snapshot of version 1 has no list-item columns)."""
    rows = [list(row[1:]) for row in f["special"]]
    if rows and len(rows[0]) == 4:
        header = [_("Class"), _("Catalogue items"), _("Items with a publication"), _("Items published")]
    else:
        header = [
            _("Class"),
            _("Items of the list"),
            _("Not applicable"),
            _("Catalogue items"),
            _("Items with a publication"),
            _("Items published"),
        ]
    return [
        Block(
            "",
            _("Items of the Ministry of Education's list, per class"),
            [
                _(
                    "The catalogue's disclosure items are mapped onto the ten classes of the Ministry of Education's "
                    "list of disclosure items (2014); the table gives, per class, the items of the list, those that do "
                    "not apply to the college, the catalogue items implementing them, how many of those had a "
                    "publication in the academic year, and the items published. A catalogue item implementing items of "
                    "two classes counts in both, so the rows are not added up. Items are counted as in the previous "
                    "part."
                )
            ],
            table=Table(header, rows),
            chart=[(row[0], row[-1]) for row in rows],
        )
    ]


def _applications_blocks(f: dict) -> list[Block]:
    a = f["applications"]
    # The State Council table's columns (自然人, five 法人或其他组织, 总计) since FIGURES_VERSION 2.
    columns = a.get("columns") or [_("Citizens"), _("Legal persons and other organisations"), _("Total")]
    if a.get("table"):  # table 三 exactly as the State Council's format lays it out (row labels in Chinese)
        rows = [[label, *("" if cell is None else cell for cell in cells)] for label, _level, *cells in a["table"]]
        levels = [level for _label, level, *_cells in a["table"]]
    else:
        rows = [[_("New applications received this year"), *a["received"]]]
        levels = [0]
        rows.append([_("Carried over from the previous year"), *a["carried_in"]])
        levels.append(0)
        for label, level, *counts in a["rows"]:
            rows.append([label, *counts])
            levels.append(level + 1)
        rows.append([_("Total handled"), *a["total"]])
        levels.append(0)
        rows.append([_("Carried over to next year"), *a["carried_over"]])
        levels.append(0)
    median = a["median_working_days"]
    return [
        Block(
            "",
            _("Applications received and how they were handled"),
            [
                _(
                    "%(received)s applications were received in the academic year and %(carried_in)s carried over "
                    "from the previous one; %(total)s were concluded and %(carried_over)s are carried over to the "
                    "next year."
                )
                % {
                    "received": a["received"][-1],
                    "carried_in": a["carried_in"][-1],
                    "total": a["total"][-1],
                    "carried_over": a["carried_over"][-1],
                }
            ],
            table=Table([_("Item"), *columns], rows, levels),
            chart=[(label, counts[-1]) for label, level, *counts in a["rows"] if level == 0],
        ),
        Block(
            "",
            _("Replies by the kinds of the Measures"),
            table=Table([_("Kind of reply"), *columns], [list(row) for row in a["by_kind"]]),
        ),
        Block(
            "",
            _("Timeliness"),
            [
                _("%(on_time)s replies were given within the time limit and %(late)s after it.")
                % {"on_time": a["on_time"], "late": a["late"]},
                _("Median time to reply: %(days)s working days.") % {"days": _n(median)}
                if median is not None
                else _("Median time to reply: none (no application was answered in the academic year)."),
            ],
        ),
        Block(
            "",
            _("Fees charged and waived"),
            [
                _("Fees charged: %(charged)s yuan; fees waived: %(waived)s yuan; fee waivers requested: %(requested)s.")
                % {"charged": a["fees_charged"], "waived": a["fees_waived"], "requested": a["fee_waivers_requested"]}
            ],
        ),
    ]


def _evaluation_blocks(f: dict) -> list[Block]:
    fb = f["feedback"]
    c = fb["consultations"]
    s = fb["surveys"]
    average = s["average_rating"]
    return [
        Block(
            "",
            _("Online consultations and the message board"),
            [
                _(
                    "%(received)s online consultations were received; %(answered)s replies were given and "
                    "%(published)s answered messages were published on the message board."
                )
                % {"received": c["received"], "answered": c["answered"], "published": c["published"]}
            ],
        ),
        Block(
            "",
            _("Leaders' mailboxes"),
            [_("The leaders' mailboxes received %(total)s messages.") % {"total": fb["mailbox_total"]}],
            table=Table([_("Mailbox"), _("Received"), _("Answered")], [list(row) for row in fb["mailboxes"]])
            if fb["mailboxes"]
            else None,
        ),
        Block(
            "",
            _("Evaluation survey responses"),
            [
                _("%(responses)s survey responses were received; average rating %(average)s of 5.")
                % {"responses": s["responses"], "average": _n(average)}
                if average is not None
                else _("%(responses)s survey responses were received; no rating was given.")
                % {"responses": s["responses"]}
            ],
            table=Table(
                [_("Survey"), _("Responses"), _("Average rating")],
                [[title, n, "—" if avg is None else _n(avg)] for title, n, avg in s["surveys"]],
            )
            if s["surveys"]
            else None,
        ),
    ]


def _complaints_blocks(f: dict) -> list[Block]:
    c = f["complaints"]
    rows = [list(row) for row in c["by_result"]] + [[_("Not yet concluded"), c["pending"]]]
    return [
        Block(
            "",
            _("Supervision complaints"),
            [_("%(count)s complaints about the disclosure work were received.") % {"count": c["received"]}],
            table=Table([_("Result"), _("Complaints")], rows),
            chart=[tuple(row) for row in rows],
        )
    ]


BLOCK_BUILDERS = {
    "overview": _overview_blocks,
    "proactive": _proactive_blocks,
    "special": _special_blocks,
    "applications": _applications_blocks,
    "evaluation": _evaluation_blocks,
    "complaints": _complaints_blocks,
}


# Builders that set this year's figures beside the previous year's.
YEAR_ON_YEAR = {"overview", "proactive"}


def previous_figures(report) -> dict | None:
    """The figures of the previous academic year's report, when there is one with figures to compare (an
    imported report states its own in its text and has none)."""
    previous = type(report).objects.filter(year=report.year - 1).first()
    if previous is None:
        return None
    figures = figures_for(previous)
    return figures if figures.get("proactive") else None


def report_title(report) -> str:
    """The title as the document carries it: with the college's full name (PORTAL_COLLEGE_NAME) when the
    report's own title lacks it."""
    college = settings.PORTAL_COLLEGE_NAME
    return report.title if college in report.title else f"{college}{report.title}"


def build_document(report, figures: dict | None = None) -> ReportDocument:
    figures = figures_for(report) if figures is None else figures
    previous = previous_figures(report) if figures else None
    missing = {note.get("section") for note in report.import_notes if note.get("kind") == "missing"}
    sections = []
    for index, sec in enumerate(SECTIONS, start=1):
        builder = BLOCK_BUILDERS.get(sec.key)
        if builder and figures:
            blocks = _number_blocks(builder(figures, previous) if sec.key in YEAR_ON_YEAR else builder(figures))
        else:
            blocks = []
        sections.append(
            SectionView(
                key=sec.key,
                number=cn_number(index),
                title=str(sec.title),
                narrative=getattr(report, sec.key) or "",
                blocks=blocks,
                missing=sec.key in missing,
            )
        )
    return ReportDocument(
        title=report_title(report),
        label=report.label,
        period=report.period,
        preface=report.preface or "",
        sections=sections,
        compiled_at=figures.get("compiled_at") if figures else None,
        college=settings.PORTAL_COLLEGE_NAME,
        published_on=report.published_on,
        imported=report.is_imported,
        source_text=report.source_text or "",
        previous_label=academic_year_label(report.year - 1) if previous else "",
        correction_note=report.correction_note or "",
    )


# --- plain text of rich text ------------------------------------------------------------------------------


class _BlockParser(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "div", "pre", "figcaption", "caption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _flush(self):
        text = "".join(self.current).strip()
        if text:
            self.blocks.append(re.sub(r"[ \t]+", " ", text))
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
        elif tag == "br":
            self._flush()
        elif tag in ("td", "th") and self.current:
            self.current.append("\t")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self.current.append(data.replace("\n", " "))

    def close(self):
        super().close()
        self._flush()


def html_blocks(html: str) -> list[str]:
    """The paragraphs of a rich text, as plain text (table rows as tab-separated cells)."""
    if not html:
        return []
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


def narrative_text(report) -> str:
    return "\n".join(line for key in ["preface", *SECTION_KEYS] for line in html_blocks(getattr(report, key) or ""))

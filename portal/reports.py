"""The annual report (信息公开年度报告): its statutory sections, the figures compiled from both apps, the
document built from them (shared by the web page, the print view, the DOCX and the XLSX), and the checks
made before publication.

Figures are read through the apps' plain statistics functions and stored as plain JSON (``compile_figures``),
so a published report keeps the figures it was published with whatever happens to the records later.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosures.models import academic_year_bounds, academic_year_label
from disclosures.statistics import proactive_statistics
from requests_app.feedback_statistics import feedback_statistics
from requests_app.models import ReplyKind
from requests_app.statistics import application_statistics

FIGURES_VERSION = 1
CN_DIGITS = "零一二三四五六七八九"


def cn_number(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十."""
    if value < 10:
        return CN_DIGITS[value]
    tens, ones = divmod(value, 10)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


def cn_value(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20; None for anything else."""
    for value in range(1, 100):
        if cn_number(value) == numeral:
            return value
    return None


@dataclass(frozen=True)
class Section:
    key: str  # also the name of the report's narrative field
    title: object  # lazy translation
    keywords: tuple[str, ...]  # how an imported heading is recognised (most specific sections first)
    narrative_required: bool = False


# The statutory order (DESIGN.md, "Annual report sections"); the system numbers them 一、二、…
SECTIONS: list[Section] = [
    Section("overview", gettext_lazy("Overview"), ("概述", "概况"), narrative_required=True),
    Section("proactive", gettext_lazy("Proactive disclosure"), ("主动公开",)),
    Section("special", gettext_lazy("Disclosure of special information"), ("专项",)),
    Section("applications", gettext_lazy("Disclosure on application and refusals"), ("依申请", "不予公开")),
    Section("evaluation", gettext_lazy("Evaluation of the information disclosure"), ("评议",)),
    Section(
        "complaints",
        gettext_lazy("Complaints received about the college's disclosure work"),
        ("举报", "投诉", "复议", "诉讼"),
    ),
    Section(
        "experience",
        gettext_lazy("Main experience, problems and improvements of the disclosure work"),
        ("经验", "存在的问题", "存在问题", "改进"),
        narrative_required=True,
    ),
    Section("other", gettext_lazy("Other matters to report"), ("其他",), narrative_required=True),
]
SECTION_KEYS = [section.key for section in SECTIONS]
# Which section an imported heading belongs to: the most specific keywords are tried first.
MATCH_ORDER = ["applications", "complaints", "evaluation", "experience", "special", "proactive", "overview", "other"]


def section(key: str) -> Section:
    return SECTIONS[SECTION_KEYS.index(key)]


def section_heading(key: str) -> str:
    index = SECTION_KEYS.index(key)
    return f"{cn_number(index + 1)}、{section(key).title}"


def default_title(year: int) -> str:
    """In the site's language (Chinese): a report's title is part of the published document."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(label)s academic year information disclosure annual report") % {"label": academic_year_label(year)}


# --- compiling -----------------------------------------------------------------------------------------


def _counts(counts: dict) -> list[int]:
    return [counts["citizen"], counts["organisation"], counts["total"]]


def compile_figures(year: int) -> dict:
    """Every figure the report states, for the academic year starting 1 September ``year``, as plain JSON.

    Labels are stored in Chinese, the language the report is published in."""
    start, end = academic_year_bounds(year)
    with translation.override("zh-hans"):
        proactive = proactive_statistics(start=start, end=end)
        applications = application_statistics(start=start, end=end)
        feedback = feedback_statistics(start=start, end=end)
        rows = []
        for row in applications.table.values():
            rows.append([row["label"], 0, *_counts(row["counts"])])
            for sub in row["subrows"].values():
                rows.append([sub["label"], 1, *_counts(sub["counts"])])
        complaints = feedback.complaints
        result_rows = [[complaints.labels[value], n] for value, n in complaints.by_result.items() if value != "pending"]
        return {
            "version": FIGURES_VERSION,
            "period": [start.isoformat(), end.isoformat()],
            "compiled_at": timezone.now().isoformat(),
            "limit_days": settings.PUBLICATION_LIMIT_WORKING_DAYS,
            "proactive": {
                "total": proactive.total,
                "attachments": proactive.attachments,
                "corrections": proactive.corrections,
                "clarifications": proactive.clarifications,
                "by_category": [list(row) for row in proactive.by_category],
                "by_month": [list(row) for row in proactive.by_month],
                "by_department": [list(row) for row in proactive.by_department],
                "coverage": [[r.code, r.title, r.department, r.published] for r in proactive.coverage],
                "late": [
                    [
                        late.disclosure.index_number,
                        late.disclosure.title,
                        late.disclosure.department.name,
                        late.published.isoformat(),
                        late.working_days_late,
                    ]
                    for late in proactive.late
                ],
            },
            "special": [
                [r.number, r.name, r.catalogue_items, r.items_published, r.published] for r in proactive.moe_classes
            ],
            "applications": {
                "received": _counts(applications.received),
                "carried_in": _counts(applications.carried_in),
                "rows": rows,
                "total": _counts(applications.total),
                "carried_over": _counts(applications.carried_over),
                "by_kind": [
                    [str(ReplyKind(kind).label), *_counts(counts)] for kind, counts in applications.by_kind.items()
                ],
                "on_time": applications.on_time,
                "late": applications.late,
                "median_working_days": applications.median_working_days,
                "fees_charged": f"{applications.fees_charged:.2f}",
                "fees_waived": f"{applications.fees_waived:.2f}",
                "fee_waivers_requested": applications.fee_waivers_requested,
            },
            "feedback": {
                "consultations": {
                    "received": feedback.consultations.received,
                    "answered": feedback.consultations.answered,
                    "published": feedback.consultations.published,
                    "open": feedback.consultations.open,
                },
                "mailboxes": [[box.name, box.received, box.answered] for box in feedback.mailboxes],
                "mailbox_total": feedback.mailbox_total,
                "surveys": {
                    "responses": feedback.surveys.responses,
                    "average_rating": feedback.surveys.average_rating,
                    "surveys": [[s.title, s.responses, s.average_rating] for s in feedback.surveys.surveys],
                },
            },
            "complaints": {
                "received": complaints.received,
                "by_result": result_rows,
                "pending": complaints.by_result.get("pending", 0),
            },
        }


def figures_for(report) -> dict:
    """The figures a report shows: its frozen snapshot once published (empty for an imported report, which
    states its own), otherwise a fresh compilation of the records."""
    if report.is_published or report.is_imported:
        return report.snapshot or {}
    return compile_figures(report.year)


def key_figures(figures: dict) -> dict[str, int]:
    """The counts a narrative is most likely to repeat, for the contradiction check."""
    if not figures:
        return {}
    feedback = figures["feedback"]
    return {
        "published": figures["proactive"]["total"],
        "consultations": feedback["consultations"]["received"],
        "messages": feedback["consultations"]["answered"],
        "mailbox": feedback["mailbox_total"],
        "survey_responses": feedback["surveys"]["responses"],
        "complaints": figures["complaints"]["received"],
        "applications": figures["applications"]["received"][2],
    }


# --- the document ---------------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[list]
    levels: list[int] = field(default_factory=list)  # indentation of each row (sub-rows of the State table)


@dataclass
class Block:
    number: str  # （一）
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: list[tuple[str, float]] | None = None

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


def _proactive_blocks(f: dict) -> list[Block]:
    p = f["proactive"]
    covered = sum(1 for row in p["coverage"] if row[3])
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
            ],
        ),
        Block(
            "",
            _("Items published per category"),
            table=Table([_("Category"), _("Items")], [list(row) for row in p["by_category"]]),
            chart=[tuple(row) for row in p["by_category"]],
        ),
        Block(
            "",
            _("Items published per month"),
            table=Table([_("Month"), _("Items")], [list(row) for row in p["by_month"]]),
            chart=[(row[0][2:], row[1]) for row in p["by_month"]],
        ),
        Block(
            "",
            _("Items published per department"),
            [] if p["by_department"] else [_("No department published an item in the academic year (0 items).")],
            table=Table([_("Department"), _("Items")], [list(row) for row in p["by_department"]])
            if p["by_department"]
            else None,
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
    rows = [list(row[1:]) for row in f["special"]]
    return [
        Block(
            "",
            _("Items of the Ministry of Education's list, per class"),
            [
                _(
                    "The catalogue's disclosure items are mapped onto the ten classes of the Ministry of Education's "
                    "list of disclosure items (2014); the table gives, per class, the catalogue items, how many of "
                    "them had a publication in the academic year, and the items published."
                )
            ],
            table=Table([_("Class"), _("Catalogue items"), _("Items with a publication"), _("Items published")], rows),
            chart=[(row[0], row[3]) for row in rows],
        )
    ]


def _applications_blocks(f: dict) -> list[Block]:
    a = f["applications"]
    columns = [_("Citizens"), _("Legal persons and other organisations"), _("Total")]
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
                    "received": a["received"][2],
                    "carried_in": a["carried_in"][2],
                    "total": a["total"][2],
                    "carried_over": a["carried_over"][2],
                }
            ],
            table=Table([_("Item"), *columns], rows, levels),
            chart=[(label, counts[2]) for label, level, *counts in a["rows"] if level == 0],
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
    "proactive": _proactive_blocks,
    "special": _special_blocks,
    "applications": _applications_blocks,
    "evaluation": _evaluation_blocks,
    "complaints": _complaints_blocks,
}


def build_document(report, figures: dict | None = None) -> ReportDocument:
    figures = figures_for(report) if figures is None else figures
    missing = {note.get("section") for note in report.import_notes if note.get("kind") == "missing"}
    sections = []
    for index, sec in enumerate(SECTIONS, start=1):
        builder = BLOCK_BUILDERS.get(sec.key)
        blocks = _number_blocks(builder(figures)) if builder and figures else []
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
        title=report.title,
        label=report.label,
        period=report.period,
        preface=report.preface or "",
        sections=sections,
        compiled_at=figures.get("compiled_at") if figures else None,
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


# --- checks before publication ----------------------------------------------------------------------------

YEAR_LABEL = re.compile(r"(\d{4})\s*[-－—–~～至到]\s*(\d{4})\s*学年")
APPROXIMATE = re.compile(r"\d+\s*(?:余|多)\s*(?:人次|件|条|份|次|封|人|个|项)")
_GAP = r"[^\d。；;，,！？\n]{0,12}?"
_NUMBER = r"(\d+)\s*(余|多)?\s*"
CLAIMS: list[tuple[str, re.Pattern]] = [
    ("consultations", re.compile(r"咨询" + _GAP + _NUMBER + r"(?:人次|件|条|次|个)")),
    ("messages", re.compile(r"留言" + _GAP + _NUMBER + r"(?:条|件)")),
    ("complaints", re.compile(r"投诉" + _GAP + _NUMBER + r"(?:件|条|起|次)")),
    ("mailbox", re.compile(r"信箱" + _GAP + _NUMBER + r"(?:件|封|条)")),
    ("applications", re.compile(r"(?:收到|受理)" + _GAP + r"申请" + _GAP + _NUMBER + r"(?:件|份)")),
    ("published", re.compile(r"(?:信息公开网|主动公开)" + _GAP + _NUMBER + r"(?:条|项)")),
    ("survey_responses", re.compile(r"(?:问卷|评议表)" + _GAP + _NUMBER + r"份")),
]
METRIC_LABELS = {
    "published": gettext_lazy("items published"),
    "consultations": gettext_lazy("online consultations received"),
    "messages": gettext_lazy("replies to messages"),
    "mailbox": gettext_lazy("messages to the leaders' mailboxes"),
    "survey_responses": gettext_lazy("survey responses"),
    "complaints": gettext_lazy("complaints received"),
    "applications": gettext_lazy("applications received"),
}


@dataclass(frozen=True)
class Claim:
    metric: str
    number: int
    approximate: bool
    text: str


def narrative_claims(text: str) -> list[Claim]:
    """Counts stated in a narrative that the system also counts ("处理在线咨询32人次" → consultations, 32)."""
    claims = []
    for metric, pattern in CLAIMS:
        for found in pattern.finditer(text):
            # Quote the clause up to the number, so staff find the sentence: "本学年度处理在线咨询32人次".
            clause_start = max(text.rfind(mark, 0, found.start()) for mark in "。；;，,！？\n") + 1
            quoted = text[max(clause_start, found.start() - 20) : found.end()].strip()
            claims.append(Claim(metric, int(found.group(1)), bool(found.group(2)), quoted))
    return claims


def year_label_faults(text: str, year: int) -> list[str]:
    """Academic-year labels in ``text`` that are not this year's ("2021-2021学年")."""
    return [m.group(0) for m in YEAR_LABEL.finditer(text) if (int(m.group(1)), int(m.group(2))) != (year, year + 1)]


def report_warnings(report, figures: dict | None = None, document: ReportDocument | None = None) -> list[str]:
    """What staff should look at before publishing: empty sections, a year label that does not match the
    period, counts typed into the narrative that contradict the compiled ones, a late publication date."""
    figures = figures_for(report) if figures is None else figures
    document = document or build_document(report, figures)
    warnings = []
    for view in document.sections:
        required = section(view.key).narrative_required
        if view.is_empty or (required and not html_blocks(view.narrative)):
            warnings.append(_("Section “%(heading)s” has no text.") % {"heading": view.heading})
    label = report.label
    if label not in (report.title or ""):
        warnings.append(
            _("The title does not name the academic year %(label)s (the report covers %(start)s to %(end)s).")
            % {"label": label, "start": report.period[0].isoformat(), "end": report.period[1].isoformat()}
        )
    text = "\n".join([report.title or "", narrative_text(report)])
    for fault in year_label_faults(text, report.year):
        warnings.append(
            _("“%(text)s” does not match the period of the report (%(label)s).") % {"text": fault, "label": label}
        )
    counted = key_figures(figures)
    for claim in narrative_claims(narrative_text(report)):
        if claim.metric not in counted:
            continue
        actual = counted[claim.metric]
        if claim.approximate:
            warnings.append(
                _("“%(text)s” is not a count: state the exact figure (the system counted %(actual)s %(what)s).")
                % {"text": claim.text, "actual": actual, "what": METRIC_LABELS[claim.metric]}
            )
        elif claim.number != actual:
            warnings.append(
                _("The text says “%(text)s” but the system counted %(actual)s %(what)s.")
                % {"text": claim.text, "actual": actual, "what": METRIC_LABELS[claim.metric]}
            )
    if report.published_on and report.published_on > report.due_on:
        warnings.append(
            _("The publication date %(date)s is after the deadline of %(due)s.")
            % {"date": report.published_on.isoformat(), "due": report.due_on.isoformat()}
        )
    return warnings


# --- import notes -----------------------------------------------------------------------------------------


def import_note_text(note: dict) -> str:
    kind = note.get("kind")
    if kind == "missing":
        return _("The section “%(title)s” is missing from the imported text.") % {
            "title": section(note["section"]).title
        }
    if kind == "numbering":
        return _("The numbering of the headings jumps from %(previous)s to %(written)s (“%(heading)s”).") % note
    if kind == "sub_numbering":
        return _("Inconsistent numbering inside a section: “%(heading)s”.") % note
    if kind == "unmapped":
        return (
            _("The heading “%(heading)s” matches no statutory section; its text was kept in the section before it.")
            % note
        )
    if kind == "duplicate":
        return _("A second heading for the same section (“%(heading)s”); its text was added to that section.") % note
    if kind == "year_label":
        return _("“%(written)s” does not match the report's academic year %(expected)s; kept as written.") % note
    if kind == "approximate":
        return _("“%(text)s” is not a count; kept as written.") % note
    if kind == "no_headings":
        return _("No section headings were found; the whole text was kept as the overview.")
    return str(note)

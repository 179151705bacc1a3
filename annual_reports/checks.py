"""What staff should look at before publishing a report: the checks of its text against its figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_reports.document import ReportDocument, build_document, html_blocks, narrative_text
from annual_reports.figures import figures_for, key_figures
from annual_reports.sections import section

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

"""What the site finds in an imported report, shown beside its text (never inside it) and as an appendix of its
DOCX: the notes the import recorded (annual_reports.importer) and checks of the text against the 2014 list
(《高等学校信息公开事项清单》, as data in disclosures.ListClass / ListItem):

- a calendar-year label ("2021年度") where the report covers an academic year (1 September to 31 August);
- the number of parts the text says the list has ("十四个部分": the list has ten classes and fifty items);
- a sub-heading of the special section (专项信息公开情况) that names no class of the list ("（八）科信息公开情况");
- an item of the list reported under another class's sub-heading (学籍管理办法, list item 36, under 学位、学科);
- a class of the list with no part in the special section (对外交流与合作信息).
"""

from __future__ import annotations

import difflib
import re

from django.utils.translation import gettext as _

from annual_reports.importer import HEADING, SUB_HEADING, import_note_text, match_section
from core.chinese import cn_value
from disclosures.models import ListClass, ListItem

CALENDAR_YEAR = re.compile(r"(?<![\d\-－—–~～至到])(\d{4})\s*年度")
PARTS_CLAIM = re.compile(r"《清单》[^。]{0,40}?([一二三四五六七八九十百]+|\d+)\s*个\s*(部分|大类|类别|方面)")
FRAGMENT = re.compile(r"[、，,；;]|及|和")


def _class_key(name: str) -> str:
    """基本信息 → 基本; 财务、资产及收费信息 → 财务、资产及收费: the words a sub-heading names a class by."""
    return name.removesuffix("信息")


def _special_parts(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The sub-headings of the special section, each with the lines under it."""
    parts: list[tuple[str, list[str]]] = []
    inside = False
    for line in lines:
        text = line.strip()
        heading = HEADING.match(text)
        if heading and match_section(heading.group(2)):
            inside = match_section(heading.group(2)) == "special"
            continue
        if not inside:
            continue
        if SUB_HEADING.match(text):
            parts.append((text, []))
        elif parts:
            parts[-1][1].append(text)
    return parts


def list_findings(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    findings: list[str] = []
    seen = set()
    for found in CALENDAR_YEAR.finditer(text):
        if found.group(0) not in seen:
            seen.add(found.group(0))
            findings.append(
                _(
                    "“%(written)s” is a calendar-year label; the report covers an academic year (1 September to "
                    "31 August)."
                )
                % {"written": found.group(0)}
            )
    classes = list(ListClass.objects.order_by("number"))
    items = list(ListItem.objects.select_related("list_class"))
    for found in PARTS_CLAIM.finditer(text):
        written = found.group(1)
        value = int(written) if written.isdigit() else cn_value(written)
        if value != len(classes):
            findings.append(
                _(
                    "The text says the list has “%(written)s” parts; the Ministry of Education's list (2014) has "
                    "%(classes)s classes and %(items)s items."
                )
                % {"written": f"{written}个{found.group(2)}", "classes": len(classes), "items": len(items)}
            )
    parts = _special_parts(lines)
    if not parts:
        return findings
    covered = set()
    for heading, body in parts:
        marker = SUB_HEADING.match(heading).group(1)
        number = int(marker) if marker.isdigit() else cn_value(marker)
        named = [klass for klass in classes if _class_key(klass.name) in heading]
        if named:
            klass = named[0]
        else:
            klass = next((c for c in classes if c.number == number), None)
            closest = difflib.get_close_matches(heading, [c.name for c in classes], n=1, cutoff=0.2)
            findings.append(
                _("The sub-heading “%(heading)s” names no class of the list%(hint)s.")
                % {
                    "heading": heading,
                    "hint": _(" (perhaps “%(name)s”, truncated)") % {"name": (klass.name if klass else closest[0])}
                    if klass or closest
                    else "",
                }
            )
        if klass is None:
            continue
        covered.add(klass.number)
        body_text = "".join(body)
        for item in items:
            if item.list_class_id == klass.pk:
                continue
            fragments = [part for part in FRAGMENT.split(item.text) if len(part) >= 6]  # shorter ones are common words
            hit = next((part for part in fragments if part in body_text), None)
            if hit:
                findings.append(
                    _("“%(text)s” (item %(number)s of the list, class “%(class)s”) is reported under “%(heading)s”.")
                    % {"text": hit, "number": item.number, "class": item.list_class.name, "heading": heading}
                )
    for klass in classes:
        if klass.number not in covered:
            findings.append(
                _("The class “%(class)s” of the list has no part in the section on special disclosure.")
                % {"class": klass.name}
            )
    return findings


def imported_findings(report) -> list[str]:
    """Everything found in an imported report, in the site's words."""
    if not report.is_imported:
        return []
    return [import_note_text(note) for note in report.import_notes] + list_findings(report.source_text or "")

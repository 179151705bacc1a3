"""Reading a plain-text annual report written elsewhere (e.g. typed in Word) into the statutory sections.

``parse_report_text(text, year=...)`` is a pure function: it finds the top-level headings (一、概述 …) by their
words rather than their numbers, so a skipped number or a mistyped year does not lose a section; it keeps
every paragraph exactly as written and lists what it could not map, as structured notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _

from annual_reports.checks import APPROXIMATE, YEAR_LABEL
from annual_reports.sections import MATCH_ORDER, SECTION_KEYS, section
from core.chinese import cn_number, cn_value

HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.{0,40})$")
SUB_HEADING = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]")
# Conversion leftovers of word processors ("[bookmark: _GoBack]"), not part of what the author wrote.
ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]")


@dataclass
class ParsedReport:
    title: str
    preface: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)  # key → paragraphs as written
    headings: dict[str, str] = field(default_factory=dict)  # key → the heading as written
    notes: list[dict] = field(default_factory=list)

    def html(self, key: str) -> str:
        lines = self.preface if key == "preface" else self.sections.get(key, [])
        return "".join(f"<p>{escape(line)}</p>" for line in lines)


def match_section(title: str) -> str | None:
    for key in MATCH_ORDER:
        if any(word in title for word in section(key).keywords):
            return key
    return None


def _is_heading(line: str) -> re.Match | None:
    found = HEADING.match(line)
    if not found or line.endswith(("。", "；", "，")):
        return None
    return found


def parse_report_text(text: str, *, year: int) -> ParsedReport:
    lines = [ARTEFACTS.sub("", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("empty text")
    parsed = ParsedReport(title=lines[0])
    current: str | None = None
    previous_number: int | None = None
    sub_numbers: dict[str, list[tuple[int | None, str]]] = {}
    for line in lines[1:]:
        found = _is_heading(line)
        key = match_section(found.group(2)) if found else None
        if found and key:
            number = cn_value(found.group(1))
            if previous_number is not None and number is not None and number != previous_number + 1:
                parsed.notes.append(
                    {
                        "kind": "numbering",
                        "previous": cn_number(previous_number),
                        "written": found.group(1),
                        "heading": line,
                    }
                )
            previous_number = number if number is not None else previous_number
            if key in parsed.sections:
                parsed.notes.append({"kind": "duplicate", "heading": line, "section": key})
            else:
                parsed.sections[key] = []
                parsed.headings[key] = line
            current = key
            continue
        if found and not key:
            parsed.notes.append({"kind": "unmapped", "heading": line})
        if current is None:
            parsed.preface.append(line)
            continue
        parsed.sections[current].append(line)
        sub = SUB_HEADING.match(line)
        if sub:
            marker = sub.group(1)
            value = int(marker) if marker.isdigit() else cn_value(marker)
            sub_numbers.setdefault(current, []).append((value if not marker.isdigit() else None, line))
    for key, numbers in sub_numbers.items():
        for index, (value, line) in enumerate(numbers, start=1):
            if value != index:
                parsed.notes.append({"kind": "sub_numbering", "heading": line, "section": key})
                break
    if not parsed.sections:
        parsed.sections["overview"] = parsed.preface
        parsed.preface = []
        parsed.notes.append({"kind": "no_headings"})
    for key in SECTION_KEYS:
        if key not in parsed.sections:
            parsed.notes.append({"kind": "missing", "section": key})
    expected = f"{year}-{year + 1}"
    for found in YEAR_LABEL.finditer("\n".join(lines)):
        written = f"{found.group(1)}-{found.group(2)}"
        if written != expected:
            parsed.notes.append({"kind": "year_label", "written": found.group(0), "expected": expected})
    seen = set()
    for found in APPROXIMATE.finditer("\n".join(lines)):
        if found.group(0) not in seen:
            seen.add(found.group(0))
            parsed.notes.append({"kind": "approximate", "text": found.group(0)})
    return parsed


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

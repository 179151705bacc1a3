"""The text of a demo item: a list of blocks in the shape of its kind of document, rendered to HTML (the
body) and to lines of text (PDF attachments, lengths). The wording comes from items.json and texts.json."""

from __future__ import annotations

import datetime
import html
import random
import re
from dataclasses import dataclass
from typing import Any

from core.chinese import cn_numeric_date
from core.tables import Table
from demo.datafiles import COLLEGE, OFFICES, PLAN, TEXTS, Spec
from demo.draws import Ctx, fill
from disclosures.models import Department

BODY_MIN_CHARS, BODY_MAX_CHARS = PLAN["body_chars"]

Block = tuple[str, Any]  # ("p", str) | ("h3", str) | ("ol" / "ul", list[str]) | ("table", Table)


@dataclass
class Content:
    blocks: list[Block]

    @property
    def table(self) -> Table | None:
        return next((payload for kind, payload in self.blocks if kind == "table"), None)


def doc_type(title: str) -> str:
    """The kind of document a title names: rule, publicity, announcement, notice, report or info."""
    if "印发《" in title or re.fullmatch(rf"{COLLEGE}章程(（\d{{4}}年修订）)?", title):
        return "rule"
    if "公示" in title:
        return "publicity"
    if "公告" in title:
        return "announcement"
    if any(word in title for word in ("通知", "通报", "决定")):
        return "notice"
    if "报告" in title:
        return "report"
    return "info"


def rule_name(title: str) -> str:
    match = re.search(r"《(.+)》", title)
    return match.group(1) if match else title


def rule_word(name: str) -> str:
    """本办法, 本规定, … as the rule refers to itself."""
    base = re.sub(r"（.*?）$", "", name)
    for ending in ("规定", "细则", "规则", "章程", "规范", "要点"):
        if base.endswith(ending):
            return f"本{ending}"
    return "本办法"


def render_html(content: Content) -> str:
    parts = []
    for kind, payload in content.blocks:
        if kind in ("p", "h3"):
            parts.append(f"<{kind}>{html.escape(str(payload))}</{kind}>")
        elif kind in ("ol", "ul"):
            items = "".join(f"<li>{html.escape(text)}</li>" for text in payload)
            parts.append(f"<{kind}>{items}</{kind}>")
        elif kind == "table":
            parts.append(render_table(payload))
    return "".join(parts)


def render_table(table: Table) -> str:
    head = "".join(f'<th scope="col">{html.escape(cell)}</th>' for cell in table.header)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    caption = html.escape(table.caption)
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def plain_lines(content: Content) -> list[str]:
    """The body as lines of text (for PDF attachments and lengths)."""
    lines: list[str] = []
    for kind, payload in content.blocks:
        if kind in ("p", "h3"):
            lines.append(str(payload))
        elif kind in ("ol", "ul"):
            lines.extend(f"{i}. {text}" if kind == "ol" else f"· {text}" for i, text in enumerate(payload, 1))
        elif kind == "table":
            table: Table = payload
            lines.append(table.caption)
            lines.extend("  ".join(row) for row in [table.header, *table.rows])
    return lines


def text_length(content: Content) -> int:
    return sum(len(line) for line in plain_lines(content))


@dataclass
class BodyInput:
    title: str
    spec: Spec
    ctx: Ctx
    table: Table | None
    department: Department
    date_written: datetime.date
    meeting: str
    publicity_start: datetime.date
    publicity_end: datetime.date
    replaces: str = ""  # "《old》（doc no）" for a rule that replaces an older one


def build_content(rng: random.Random, body: BodyInput) -> Content:
    builder = {
        "rule": _rule_blocks,
        "publicity": _publicity_blocks,
        "announcement": _announcement_blocks,
        "notice": _notice_blocks,
        "report": _report_blocks,
    }.get(doc_type(body.title), _info_blocks)
    content = Content(builder(rng, body))
    for extra in TEXTS["padding"]:
        if text_length(content) >= BODY_MIN_CHARS:
            break
        content.blocks.append(("p", extra))
    content.blocks.extend(_footer_blocks(body))
    return content


def _points(rng: random.Random, body: BodyInput, low: int, high: int) -> list[str]:
    """Between ``low`` and ``high`` of the item's points, in their order."""
    points = [fill(point, body.ctx) for point in body.spec.points]
    count = min(len(points), rng.randint(low, high))
    keep = sorted(rng.sample(range(len(points)), count))
    return [points[i] for i in keep]


def _lead(body: BodyInput) -> str:
    return fill(body.spec.lead, body.ctx)


def _rule_blocks(rng: random.Random, body: BodyInput) -> list[Block]:
    texts = TEXTS["rule"]
    name = rule_name(body.title)
    word = rule_word(name)
    lead = _lead(body).replace("本办法", word).replace("本章程", word)
    if body.replaces:
        closing = texts["in_force_replacing"].format(word=word, replaces=body.replaces)
    else:
        closing = texts["in_force"].format(word=word)
    points = [point.replace("本办法", word) for point in _points(rng, body, 3, 5)]
    return [
        ("p", TEXTS["addressees"]),
        ("p", texts["issued"].format(name=name, meeting=body.meeting)),
        ("h3", name),
        ("p", texts["first_article"].format(lead=lead)),
        ("ol", points),
        ("p", closing),
    ]


def _publicity_blocks(rng: random.Random, body: BodyInput) -> list[Block]:
    texts = TEXTS["publicity"]
    blocks: list[Block] = [("p", texts["opening"].format(lead=_lead(body)))]
    if body.table:
        blocks.append(("table", body.table))
    blocks.append(("ul", _points(rng, body, 1, 2)))
    start, end = cn_numeric_date(body.publicity_start), cn_numeric_date(body.publicity_end)
    blocks.append(("p", texts["period"].format(start=start, end=end, department=body.department.name)))
    return blocks


def _announcement_blocks(rng: random.Random, body: BodyInput) -> list[Block]:
    texts = TEXTS["announcement"]
    blocks: list[Block] = [("p", _lead(body)), ("p", texts["opening"]), ("ol", _points(rng, body, 3, 5))]
    if body.table:
        blocks.append(("table", body.table))
    blocks.append(("p", texts["closing"]))
    return blocks


def _notice_blocks(rng: random.Random, body: BodyInput) -> list[Block]:
    texts = TEXTS["notice"]
    blocks: list[Block] = [
        ("p", TEXTS["addressees"]),
        ("p", _lead(body)),
        ("p", texts["opening"]),
        ("ol", _points(rng, body, 3, 5)),
    ]
    if body.table:
        blocks.append(("table", body.table))
    blocks.append(("p", texts["closing"]))
    return blocks


def _report_blocks(rng: random.Random, body: BodyInput) -> list[Block]:
    """Lead, then 基本情况 (the first half of the points and the table), 主要工作及成效, 存在的问题和改进措施."""
    situation, work, improvement = TEXTS["report"]["headings"]
    points = _points(rng, body, 3, 5)
    middle = max(1, len(points) // 2)
    blocks: list[Block] = [("p", _lead(body)), ("h3", situation), ("p", "".join(points[:middle]))]
    if body.table:
        blocks.append(("table", body.table))
    blocks += [
        ("h3", work),
        ("p", "".join(points[middle:])),
        ("h3", improvement),
        ("p", TEXTS["report"]["improvement"]),
    ]
    return blocks


def _info_blocks(rng: random.Random, body: BodyInput) -> list[Block]:
    blocks: list[Block] = [("p", _lead(body)), ("ul", _points(rng, body, 3, 5))]
    if body.table:
        blocks.append(("table", body.table))
    return blocks


def _footer_blocks(body: BodyInput) -> list[Block]:
    texts = TEXTS["footer"]
    phones = OFFICES["phones"]
    phone = phones.get(body.department.code, phones[OFFICES["default_phone"]])
    department = body.department.name
    return [
        ("p", texts["contact"].format(department=department, phone=phone)),
        (
            "p",
            texts["signature"].format(college=COLLEGE, department=department, date=cn_numeric_date(body.date_written)),
        ),
    ]


def fit_content(content: Content) -> Content:
    """Trim list items and table rows until the HTML is at most BODY_MAX_CHARS long."""
    while len(render_html(content)) > BODY_MAX_CHARS:
        if not _trim_once(content):
            break
    return content


def _trim_once(content: Content) -> bool:
    for kind, payload in content.blocks:
        if kind == "table" and len(payload.rows) > 3:
            payload.rows.pop()
            return True
    for kind, payload in content.blocks:
        if kind in ("ol", "ul") and len(payload) > 2:
            payload.pop()
            return True
    for index, (kind, _payload) in enumerate(content.blocks):
        if kind == "table":
            del content.blocks[index]
            return True
    return False

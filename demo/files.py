"""The demo items' attachments, made in memory from their content: PDF (core.pdf), DOCX and XLSX."""

from __future__ import annotations

import io
import re

import docx
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.pdf import pdf_document, text_width
from core.tables import Table
from demo.bodies import Content, plain_lines, rule_name
from demo.datafiles import COLLEGE, TEXTS


def make_attachment(kind: str, title: str, content: Content) -> tuple[str, bytes]:
    """The file name and bytes of a ``kind`` (pdf, docx or xlsx) attachment of the item ``title``."""
    stem = attachment_stem(title)
    if kind == "pdf":
        return f"{stem}.pdf", pdf_document(title, plain_lines(content))
    if kind == "docx":
        return f"{stem}.docx", docx_document(title, content)
    table = content.table or fallback_table(title, content)
    name = table.caption if content.table else TEXTS["attachments"]["list_name"].format(stem=stem)
    name = re.sub(r'（单位：万元）|（部分）|[\\/:*?"<>|]', "", name)[:60]
    return f"{name}.xlsx", xlsx_document(title, table)


def attachment_stem(title: str) -> str:
    """A file name for the item ``title``: the rule's name, or the title without 关于… and …的通知."""
    stem = rule_name(title) if "《" in title else title
    stem = re.sub(r"^关于(印发|公布|做好|开展)?", "", stem)
    stem = re.sub(r"的(通知|公告|公示|通报|决定|报告)$", "", stem)
    stem = re.sub(r'[\\/:*?"<>|]', "", stem)
    return stem[:60] or TEXTS["attachments"]["default_stem"]


def fallback_table(title: str, content: Content) -> Table:
    """The table of an XLSX attachment whose item has none: its list points, numbered."""
    items = next((payload for kind, payload in content.blocks if kind in ("ol", "ul")), [])
    rows = [[str(i), text] for i, text in enumerate(items, start=1)] or [["1", title]]
    return Table(header=list(TEXTS["attachments"]["list_header"]), rows=rows, caption=attachment_stem(title)[:31])


def docx_document(title: str, content: Content) -> bytes:
    document = docx.Document()
    _slim_docx(document)
    normal = document.styles["Normal"]
    normal.font.name = "宋体"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    document.core_properties.title = title
    document.core_properties.author = COLLEGE
    document.add_heading(title, level=1)
    for kind, payload in content.blocks:
        if kind == "p":
            document.add_paragraph(str(payload))
        elif kind == "h3":
            document.add_heading(str(payload), level=2)
        elif kind in ("ol", "ul"):
            style = "List Number" if kind == "ol" else "List Bullet"
            for text in payload:
                document.add_paragraph(text, style=style)
        elif kind == "table":
            _docx_table(document, payload)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _slim_docx(document) -> None:
    """Drop the parts of python-docx's template that the file does not need (keeps it a few KB smaller)."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)


def _docx_table(document, table: Table) -> None:
    document.add_paragraph(table.caption)
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text


def xlsx_document(title: str, table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", "", table.caption)[:31] or "Sheet1"
    workbook.properties.title = title
    workbook.properties.creator = COLLEGE
    sheet.append(list(table.header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_cell_value(text) for text in row])
    for index, header in enumerate(table.header):
        widest = max([text_width(header)] + [text_width(row[index]) for row in table.rows])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(60, 4 + 2 * widest)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell_value(text: str) -> object:
    """Figures become numbers (keeping codes such as 专业代码 and zero-padded numbers as text)."""
    if re.fullmatch(r"[1-9]\d{0,5}", text):
        return int(text)
    if re.fullmatch(r"\d{1,6}\.\d{1,2}", text):
        return float(text)
    return text

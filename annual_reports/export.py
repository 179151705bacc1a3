"""The annual report as files: DOCX (python-docx; what the education department receives) and the
statistics as XLSX (openpyxl). Both are written from the same ``ReportDocument`` as the web page."""

from __future__ import annotations

import io
import tempfile
from typing import IO

from django.utils.translation import gettext as _

from annual_reports.document import ReportDocument, html_blocks
from core import exports

BODY_FONT = "宋体"
HEADING_FONT = "黑体"


def _set_font(style, name: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = name
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size_pt:
        style.font.size = Pt(size_pt)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def build_docx(document: ReportDocument):
    """The report as a python-docx document (save it with ``.save(file)``)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    for part in doc.sections:
        part.page_height, part.page_width = Cm(29.7), Cm(21.0)
        part.top_margin = part.bottom_margin = Cm(2.0)
        part.left_margin = part.right_margin = Cm(1.8)
    _set_font(doc.styles["Normal"], BODY_FONT, 12)
    _set_font(doc.styles["Title"], HEADING_FONT, 18, True)
    _set_font(doc.styles["Heading 1"], HEADING_FONT, 15, True)
    _set_font(doc.styles["Heading 2"], HEADING_FONT, 13, True)
    title = doc.add_heading(document.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = doc.add_paragraph(
        _("Period: %(start)s to %(end)s")
        % {"start": document.period[0].isoformat(), "end": document.period[1].isoformat()}
    )
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def paragraphs(html: str) -> None:
        for text in html_blocks(html):
            paragraph = doc.add_paragraph(text)
            paragraph.paragraph_format.first_line_indent = Pt(24)

    paragraphs(document.preface)
    for view in document.sections:
        doc.add_heading(view.heading, level=1)
        if view.missing:
            doc.add_paragraph(_("This section is missing from the original report."))
        paragraphs(view.narrative)
        if view.is_empty and not view.missing:
            doc.add_paragraph(_("None."))
        for block in view.blocks:
            doc.add_heading(block.heading, level=2)
            for text in block.paragraphs:
                doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(24)
            if block.table:
                table = doc.add_table(rows=1, cols=len(block.table.header))
                table.style = "Table Grid"
                for cell, text in zip(table.rows[0].cells, block.table.header, strict=True):
                    cell.text = str(text)
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                for index, row in enumerate(block.table.rows):
                    cells = table.add_row().cells
                    level = block.table.levels[index] if index < len(block.table.levels) else 0
                    for position, (cell, value) in enumerate(zip(cells, row, strict=True)):
                        cell.text = ("　" * level if position == 0 else "") + str(value)
    return doc


def export_docx(document: ReportDocument) -> bytes:
    out = io.BytesIO()
    build_docx(document).save(out)
    return out.getvalue()


def docx_file(document: ReportDocument) -> IO[bytes]:
    """The DOCX written into an anonymous temporary file (gone once closed), ready to be sent."""
    handle = tempfile.TemporaryFile(prefix="report-", suffix=".docx")
    try:
        build_docx(document).save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def build_xlsx(document: ReportDocument):
    """The statistics as a write-only workbook: a summary sheet with the texts, then one sheet a table
    (send it with core.exports.xlsx_response)."""
    from openpyxl.styles import Alignment, Font

    workbook = exports.new_workbook()
    summary = workbook.create_sheet(_("Summary")[:31])
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["B"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    summary.append([exports.styled(summary, document.title, font=Font(bold=True, size=14))])
    lines = [[_("Period"), f"{document.period[0].isoformat()} – {document.period[1].isoformat()}"]]
    if document.compiled_at:
        lines.append([_("Compiled at"), document.compiled_at[:19].replace("T", " ")])
    for view in document.sections:
        for block in view.blocks:
            for text in block.paragraphs:
                lines.append([f"{view.number}{block.number}", text])
    for label, text in lines:
        summary.append([exports.safe_cell(label), exports.styled(summary, text, alignment=wrap)])
    used = set()
    for view in document.sections:
        for block in view.blocks:
            if not block.table:
                continue
            name = f"{view.number}{block.number}{block.title}"
            for bad in "[]:*?/\\":
                name = name.replace(bad, " ")
            name = name[:31]
            while name in used:
                name = name[:29] + f"{len(used) % 100:02d}"
            used.add(name)
            sheet = workbook.create_sheet(title=name)
            header = [str(text) for text in block.table.header]
            rows = []
            for index, row in enumerate(block.table.rows):
                level = block.table.levels[index] if index < len(block.table.levels) else 0
                values = [exports.safe_cell(value) for value in row]
                if level and isinstance(values[0], str):
                    values[0] = "　" * level + values[0]
                rows.append(values)
            exports.column_widths(sheet, [header, *rows])
            exports.append_row(sheet, [block.heading], font=Font(bold=True))
            exports.append_row(sheet, header, font=Font(bold=True))
            for values in rows:
                exports.append_row(sheet, values)
    return workbook


def export_xlsx(document: ReportDocument) -> bytes:
    return exports.workbook_bytes(build_xlsx(document))

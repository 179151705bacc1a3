"""The annual report as files: DOCX (python-docx; what the education department receives) and the
statistics as XLSX (openpyxl). Both are written from the same ``ReportDocument`` as the web page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from portal.reports import ReportDocument, html_blocks

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


def export_docx(document: ReportDocument) -> bytes:
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
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _safe_cell(value):
    """Spreadsheet programs run text starting with =, +, - or @ as a formula: keep it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_xlsx(document: ReportDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary.append([_safe_cell(document.title)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Period"), f"{document.period[0].isoformat()} – {document.period[1].isoformat()}"])
    if document.compiled_at:
        summary.append([_("Compiled at"), document.compiled_at[:19].replace("T", " ")])
    for view in document.sections:
        for block in view.blocks:
            for text in block.paragraphs:
                summary.append([f"{view.number}{block.number}", _safe_cell(text)])
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["B"].width = 100
    for row in summary.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
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
            sheet.append([_safe_cell(block.heading)])
            sheet["A1"].font = Font(bold=True)
            sheet.append([str(text) for text in block.table.header])
            for cell in sheet[2]:
                cell.font = Font(bold=True)
            for index, row in enumerate(block.table.rows):
                level = block.table.levels[index] if index < len(block.table.levels) else 0
                values = [_safe_cell(value) for value in row]
                if level and isinstance(values[0], str):
                    values[0] = "　" * level + values[0]
                sheet.append(values)
            for column in sheet.iter_cols(min_row=2):
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 2))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

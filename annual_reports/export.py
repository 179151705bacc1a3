"""The annual report as files: DOCX and PDF of the same formal document (core.documents: the college's name
in the title, page numbers 第 X 页 共 Y 页, the 落款 with the college and the Chinese date of publication, real
document properties, tables with sensible widths, repeated header rows and right-aligned figures), and the
statistics as XLSX (openpyxl: local time, date cells, totals, frozen header rows). All are written from the
same ``ReportDocument`` as the web page."""

from __future__ import annotations

import datetime
import tempfile
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from annual_reports.document import Block, ReportDocument, html_blocks
from core import exports
from core.chinese import cn_numeric_date
from core.documents import FormalDocument, is_number


def _widths(block: Block) -> list[float]:
    """The first column (names) gets the room; figure columns what a figure and its header need."""
    columns = len(block.table.header)
    if columns == 1:
        return [1]
    numeric = [all(is_number(row[i]) or row[i] in ("", "—") for row in block.table.rows) for i in range(columns)]
    return [4.5 if index == 0 else (1.2 if numeric[index] else 2.5) for index in range(columns)]


def formal_document(document: ReportDocument) -> FormalDocument:
    """The report as a formal document (write it with ``.docx()`` or ``.pdf()``)."""
    doc = FormalDocument(
        document.title,
        author=document.college,
        subject=_("Information disclosure annual report %(label)s") % {"label": document.label},
        keywords=_("information disclosure, annual report"),
    )
    doc.subtitle(
        _("(%(start)s to %(end)s)")
        % {"start": cn_numeric_date(document.period[0]), "end": cn_numeric_date(document.period[1])}
    )
    if document.correction_note:
        doc.paragraph(_("Correction note: %(note)s") % {"note": document.correction_note}, small=True)
    if document.imported:
        doc.paragraph(
            _("Published text of the report, reproduced as written; the checks' findings are in the appendix."),
            small=True,
            indent=False,
        )
        for line in document.source_text.replace("\r\n", "\n").split("\n")[1:]:
            if line.strip():
                doc.paragraph(line, indent=False)  # as written: its own spaces, no indent added
    else:
        for text in html_blocks(document.preface):
            doc.paragraph(text)
        for view in document.sections:
            doc.heading(view.heading, level=1)
            for text in html_blocks(view.narrative):
                doc.paragraph(text)
            if view.is_empty:
                doc.paragraph(_("None."))
            for block in view.blocks:
                doc.heading(block.heading, level=2)
                for text in block.paragraphs:
                    doc.paragraph(text)
                if block.table:
                    rows = []
                    for index, row in enumerate(block.table.rows):
                        level = block.table.levels[index] if index < len(block.table.levels) else 0
                        rows.append([("　" * level) + str(row[0]), *row[1:]])
                    doc.table(
                        block.table.header,
                        rows,
                        widths=_widths(block),
                        bold_rows=[len(rows) - 1] if block.total_row else (),
                    )
    if not document.imported:  # an imported report's text is reproduced as it was signed, nothing added
        doc.signature(document.college, document.published_on or timezone.localdate())
    if document.imported and document.findings:
        doc.page_break()
        doc.heading(_("Appendix: findings of the checks on the imported report"), level=1)
        doc.paragraph(
            _(
                "These notes were written by the disclosure site when the report was imported; "
                "they are not part of the published text."
            ),
            small=True,
        )
        for index, finding in enumerate(document.findings, start=1):
            doc.paragraph(f"{index}. {finding}", indent=False)
    return doc


def export_docx(document: ReportDocument) -> bytes:
    return formal_document(document).docx()


def export_pdf(document: ReportDocument) -> bytes:
    return formal_document(document).pdf()


def _temporary(data: bytes, suffix: str) -> IO[bytes]:
    handle = tempfile.TemporaryFile(prefix="report-", suffix=suffix)
    try:
        handle.write(data)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def docx_file(document: ReportDocument) -> IO[bytes]:
    """The DOCX written into an anonymous temporary file (gone once closed), ready to be sent."""
    return _temporary(export_docx(document), ".docx")


def pdf_file(document: ReportDocument) -> IO[bytes]:
    return _temporary(export_pdf(document), ".pdf")


def _local(moment: str) -> datetime.datetime:
    """A stored ISO time (UTC) as the site's local time, without a zone (spreadsheet cells have none)."""
    return timezone.localtime(datetime.datetime.fromisoformat(moment)).replace(tzinfo=None)


def _cell_value(value):
    """Dates written as text in the figures ("2026-03-02") become date cells."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return exports.safe_cell(value)


def build_xlsx(document: ReportDocument):
    """The statistics as a write-only workbook: a summary sheet with the texts, then one sheet a table, its
    header row frozen, totals in bold, dates as date cells and times in the site's time zone (send it with
    core.exports.xlsx_response)."""
    from openpyxl.styles import Alignment, Font

    workbook = exports.new_workbook()
    summary = workbook.create_sheet(_("Summary")[:31])
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["B"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    summary.append([exports.styled(summary, document.title, font=Font(bold=True, size=14))])
    summary.append(
        [
            exports.safe_cell(_("Period")),
            exports.styled(summary, document.period[0], number_format="yyyy-mm-dd"),
            exports.styled(summary, document.period[1], number_format="yyyy-mm-dd"),
        ]
    )
    if document.compiled_at:
        summary.append(
            [
                exports.safe_cell(_("Compiled at (Beijing time)")),
                exports.styled(summary, _local(document.compiled_at), number_format="yyyy-mm-dd hh:mm"),
            ]
        )
    if document.published_on:
        summary.append(
            [
                exports.safe_cell(_("Publication date")),
                exports.styled(summary, document.published_on, number_format="yyyy-mm-dd"),
            ]
        )
    for view in document.sections:
        for block in view.blocks:
            for text in block.paragraphs:
                summary.append(
                    [exports.safe_cell(f"{view.number}{block.number}"), exports.styled(summary, text, alignment=wrap)]
                )
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
                values = [_cell_value(value) for value in row]
                if level and isinstance(values[0], str):
                    values[0] = "　" * level + values[0]
                rows.append(values)
            exports.column_widths(sheet, [header, *[[str(v) for v in row] for row in rows]])
            sheet.freeze_panes = "B3"  # the block's title and the header row stay in view
            sheet.print_title_rows = "2:2"
            exports.append_row(sheet, [block.heading], font=Font(bold=True))
            exports.append_row(sheet, header, font=Font(bold=True))
            for index, values in enumerate(rows):
                total = block.total_row and index == len(rows) - 1
                cells = []
                for value in values:
                    styles = {"font": Font(bold=True)} if total else {}
                    if isinstance(value, datetime.date):
                        styles["number_format"] = "yyyy-mm-dd"
                    cells.append(exports.styled(sheet, value, **styles) if styles else value)
                sheet.append(cells)
    return workbook


def export_xlsx(document: ReportDocument) -> bytes:
    return exports.workbook_bytes(build_xlsx(document))

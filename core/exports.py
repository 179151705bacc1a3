"""Spreadsheet exports for staff and the public, written as they are sent.

- CSV: rows from any iterator, encoded chunk by chunk into a ``StreamingHttpResponse``; UTF-8 with a
  byte-order mark so that Excel reads the Chinese, and text that a spreadsheet would run as a formula kept
  as text (CSV/formula injection).
- XLSX: an openpyxl workbook in write-only mode (rows go straight to its compressed file, not into a tree of
  cells in memory), saved into a temporary file that a ``FileResponse`` sends and then deletes.

The same builders also give bytes (for e-mail or tests) through ``csv_bytes`` and ``workbook_bytes``.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_CHUNK = 200
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Spreadsheet programs run text starting with =, +, - or @ as a formula: keep it text."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_chunks(rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The CSV file in pieces: the byte-order mark, then a few hundred rows at a time."""
    yield BOM.encode("utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pending = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        pending += 1
        if pending >= ROWS_PER_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8")


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    return b"".join(csv_chunks(rows))


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """Rows are produced while the response is sent, after the view returned: each piece is made in the
    language of the request, whatever thread the server reads it from."""
    chunks = _in_language(csv_chunks(rows), translation.get_language())
    response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
    return _as_download(response, filename)


def _in_language(chunks: Iterator[bytes], language: str | None) -> Iterator[bytes]:
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def new_workbook():
    """An empty write-only workbook: add sheets with ``create_sheet`` and rows with ``append``."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def styled(sheet, value, **styles):
    """A cell for a write-only sheet carrying styles (``font=Font(bold=True)``, ``alignment=…``)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    for name, style in styles.items():
        setattr(cell, name, style)
    return cell


def append_row(sheet, values: Iterable, **styles) -> None:
    """One row of neutralised values, each cell styled alike when styles are given."""
    if styles:
        sheet.append([styled(sheet, value, **styles) for value in values])
    else:
        sheet.append([safe_cell(value) for value in values])


def column_widths(sheet, rows: list[list], *, minimum: int = 10, maximum: int = 60) -> None:
    """Widths from the longest text in each column (two units a character: most of it is Chinese). A
    write-only sheet takes them before its first row."""
    from openpyxl.utils import get_column_letter

    longest: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            longest[index] = max(longest.get(index, 0), len(str(value if value is not None else "")))
    for index, width in longest.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(maximum, max(minimum, width * 2))


def saved_workbook(workbook) -> IO[bytes]:
    """The workbook written into an anonymous temporary file (gone once closed), ready to be read."""
    handle = tempfile.TemporaryFile(prefix="export-", suffix=".xlsx")
    try:
        workbook.save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def workbook_bytes(workbook) -> bytes:
    with saved_workbook(workbook) as handle:
        return handle.read()


def xlsx_response(workbook, filename: str) -> FileResponse:
    return file_response(saved_workbook(workbook), filename, XLSX_CONTENT_TYPE)


def file_response(handle: IO[bytes], filename: str, content_type: str) -> FileResponse:
    """Send an open file (closed, and so deleted when temporary, once sent) as a download."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _as_download(response, filename: str):
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response

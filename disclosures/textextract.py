"""Plain text out of PDF, Word (.docx) and Excel (.xlsx) attachments, bounded in size and time.

Used by the privacy scan before approval (and reusable by search). ``extract_text`` never runs longer
than about ``seconds`` per file, never keeps more than ``max_chars`` characters, refuses archives that
would unpack to more than ``MAX_UNPACKED_BYTES``, and raises ``ExtractionError`` with a readable message
when a file cannot be read.
"""

from __future__ import annotations

import time
import zipfile

from django.utils.translation import gettext as _

from disclosures.uploads import DOCX, PDF, XLSX

SUPPORTED = frozenset({PDF.content_type, DOCX.content_type, XLSX.content_type})
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PDF_PAGES = 2000


class ExtractionError(Exception):
    pass


def is_supported(content_type: str) -> bool:
    return content_type in SUPPORTED


class _Collector:
    def __init__(self, max_chars: int, seconds: float):
        self.parts: list[str] = []
        self.size = 0
        self.max_chars = max_chars
        self.deadline = time.monotonic() + seconds
        self.truncated = False

    def add(self, text: str | None) -> bool:
        """Keep ``text``; False once the budget of characters or time is used up."""
        if text:
            room = self.max_chars - self.size
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        if self.size >= self.max_chars or time.monotonic() > self.deadline:
            self.truncated = True
            return False
        return True

    def text(self) -> str:
        return "\n".join(self.parts)


def _check_archive(file) -> None:
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError(_("The file is damaged and could not be read.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExtractionError(_("The file unpacks to more than the scan allows."))
    file.seek(0)


def _pdf(file, out: _Collector) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            raise ExtractionError(_("The PDF is encrypted and could not be read."))
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES or not out.add(page.extract_text() or ""):
                out.truncated = True
                break
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ExtractionError(_("The PDF is damaged and could not be read.")) from exc


def _docx(file, out: _Collector) -> None:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_archive(file)
    try:
        document = docx.Document(file)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ExtractionError(_("The Word file is damaged and could not be read.")) from exc
    for paragraph in document.paragraphs:
        if not out.add(paragraph.text):
            return
    for table in document.tables:
        for row in table.rows:
            if not out.add(" ".join(cell.text for cell in row.cells)):
                return


def _xlsx(file, out: _Collector) -> None:
    import openpyxl

    _check_archive(file)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ExtractionError(_("The Excel file is damaged and could not be read.")) from exc
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                line = " ".join(str(value) for value in row if value is not None)
                if not out.add(line):
                    return
    finally:
        workbook.close()


def extract_text(file, content_type: str, *, max_chars: int, seconds: float = 10) -> str:
    """The text of ``file`` (an open binary file or Django File) of the given sniffed content type.

    Unsupported types give an empty string; check ``is_supported`` first to tell them apart.
    """
    if not is_supported(content_type):
        return ""
    out = _Collector(max_chars, seconds)
    file.seek(0)
    if content_type == PDF.content_type:
        _pdf(file, out)
    elif content_type == DOCX.content_type:
        _docx(file, out)
    else:
        _xlsx(file, out)
    return out.text()

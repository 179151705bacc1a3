"""Plain text out of PDF, Word (.docx) and Excel (.xlsx) attachments, bounded in size, time and work.

One extractor serves both the search index (text stored when an attachment is saved) and the privacy scan
before approval. Extraction runs in a forked child process with a wall-clock timeout and a CPU limit, reads
at most ``MAX_PAGES`` pages, ``MAX_ROWS`` rows and ``max_chars`` characters, and refuses archives that would
unpack to more than ``MAX_UNPACKED_BYTES``: a hostile file (a decompression bomb, a looping page tree, a
million empty rows) costs a few seconds at most and never hangs the request that saved it.

``extract_text`` returns ``""`` for types it does not read (``is_supported`` tells them apart) and raises
``ExtractionError`` with a readable message when a file of a supported type cannot be read in time.
"""

from __future__ import annotations

import importlib
import io
import logging
import multiprocessing
import os
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import uploads

logger = logging.getLogger(__name__)

PDF = uploads.PDF.content_type
DOCX = uploads.DOCX.content_type
XLSX = uploads.XLSX.content_type

MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
MAX_ROWS = 20000
TIMEOUT_SECONDS = 10.0
CPU_SECONDS = 10


class ExtractionError(Exception):
    pass


class _Collector:
    """Accumulates text up to a character cap; ``full`` tells the readers to stop."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length >= self.max_chars

    def add(self, text: str | None) -> None:
        text = (text or "").strip()
        if not text or self.full:
            return
        text = text[: self.max_chars - self.length]
        self.parts.append(text)
        self.length += len(text) + 1

    def text(self) -> str:
        return "\n".join(self.parts)[: self.max_chars]


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError(_("The file is damaged and could not be read.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExtractionError(_("The file unpacks to more than the scan allows."))


def _pdf(data: bytes, out: _Collector) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ExtractionError(_("The PDF is encrypted and could not be read."))
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or out.full:
            break
        out.add(page.extract_text())


def _docx(data: bytes, out: _Collector) -> None:
    import docx

    _check_archive(data)
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if out.full:
            return
        out.add(paragraph.text)
    rows = 0
    for table in document.tables:
        for row in table.rows:
            rows += 1
            if rows > MAX_ROWS or out.full:
                return
            out.add(" ".join(cell.text for cell in row.cells))


def _xlsx(data: bytes, out: _Collector) -> None:
    import openpyxl

    _check_archive(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = 0
        for sheet in workbook.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                if rows > MAX_ROWS or out.full:
                    return
                out.add(" ".join(str(value) for value in row if value is not None))
    finally:
        workbook.close()


READERS = {PDF: _pdf, DOCX: _docx, XLSX: _xlsx}
LIBRARIES = {PDF: "pypdf", DOCX: "docx", XLSX: "openpyxl"}
DAMAGED = {
    PDF: gettext_noop("The PDF is damaged and could not be read."),
    DOCX: gettext_noop("The Word file is damaged and could not be read."),
    XLSX: gettext_noop("The Excel file is damaged and could not be read."),
}


def is_supported(content_type: str) -> bool:
    return content_type in READERS


def _child(connection, data: bytes, content_type: str, max_chars: int) -> None:  # pragma: no cover - in the child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    except (ImportError, ValueError, OSError):
        pass
    try:
        out = _Collector(max_chars)
        READERS[content_type](data, out)
        connection.send(("text", out.text()))
    except ExtractionError as exc:
        connection.send(("refused", str(exc)))
    except BaseException as exc:  # noqa: BLE001 - any failure of a hostile file is reported, never raised here
        connection.send(("failed", exc.__class__.__name__))
    finally:
        connection.close()
        os._exit(0)


def _read_all(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file[: MAX_INPUT_BYTES + 1])
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_INPUT_BYTES + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def extract_text(file, content_type: str, *, max_chars: int, seconds: float = TIMEOUT_SECONDS) -> str:
    """The text of ``file`` (bytes or a readable binary file) of the given sniffed content type.

    At most ``max_chars`` characters; a child process that has not answered after ``seconds`` is killed.
    """
    if not is_supported(content_type) or max_chars <= 0:
        return ""
    data = _read_all(file)
    if len(data) > MAX_INPUT_BYTES:
        raise ExtractionError(_("The file is too large to be read."))
    if not data:
        raise ExtractionError(_("The file is empty."))
    # Imported here, once, so that each forked child starts with the library loaded.
    importlib.import_module(LIBRARIES[content_type])
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, content_type, max_chars), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            logger.warning("Text extraction timed out for a %s file of %d bytes", content_type, len(data))
            raise ExtractionError(_("Reading the file took longer than %(seconds)s seconds.") % {"seconds": seconds})
        outcome, value = receiver.recv()
    except (EOFError, OSError):
        logger.warning("Text extraction stopped without an answer for a %s file", content_type)
        raise ExtractionError(_(DAMAGED[content_type])) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(1)
    if outcome == "text":
        return value
    if outcome == "refused":
        raise ExtractionError(value)
    logger.info("Text extraction failed (%s) for a %s file", value, content_type)
    raise ExtractionError(_(DAMAGED[content_type]))

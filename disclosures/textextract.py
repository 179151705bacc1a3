"""The text of PDF, DOCX and XLSX attachments, for the search index.

Extraction runs in a forked child process with a wall-clock timeout and a CPU limit, and reads at most
``MAX_PAGES`` pages, ``MAX_ROWS`` spreadsheet rows and ``max_chars`` characters: a hostile file (a
decompression bomb, a page tree that loops, a million empty rows) costs at most a few seconds and never
hangs the request that saved it. Any failure gives an empty string: an attachment that cannot be read is
still published, it is only not searchable by its content.
"""

from __future__ import annotations

import importlib
import io
import logging
import multiprocessing
import os

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTRACTABLE = (PDF, DOCX, XLSX)

MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_PAGES = 200
MAX_ROWS = 5000
TIMEOUT_SECONDS = 10.0
CPU_SECONDS = 10


class _Collector:
    """Accumulates text up to a character cap; ``full`` tells the readers to stop."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length >= self.max_chars

    def add(self, text: str) -> None:
        text = (text or "").strip()
        if not text or self.full:
            return
        text = text[: self.max_chars - self.length]
        self.parts.append(text)
        self.length += len(text) + 1

    def text(self) -> str:
        return "\n".join(self.parts)[: self.max_chars]


def _pdf(data: bytes, out: _Collector) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or out.full:
            break
        out.add(page.extract_text())


def _docx(data: bytes, out: _Collector) -> None:
    import docx

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


def _extract_bytes(data: bytes, content_type: str, max_chars: int) -> str:
    out = _Collector(max_chars)
    READERS[content_type](data, out)
    return out.text()


def _child(connection, data: bytes, content_type: str, max_chars: int) -> None:  # pragma: no cover - in the child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    except (ImportError, ValueError, OSError):
        pass
    try:
        connection.send((True, _extract_bytes(data, content_type, max_chars)))
    except BaseException as exc:  # noqa: BLE001 - any failure of a hostile file is reported as no text
        connection.send((False, exc.__class__.__name__))
    finally:
        connection.close()
        os._exit(0)


def _read_all(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file[: MAX_INPUT_BYTES + 1])
    if hasattr(file, "seek"):
        try:
            file.seek(0)
        except (OSError, ValueError):
            pass
    data = file.read(MAX_INPUT_BYTES + 1)
    if hasattr(file, "seek"):
        try:
            file.seek(0)
        except (OSError, ValueError):
            pass
    return data


def extract_text(file, content_type: str, *, max_chars: int) -> str:
    """The text of ``file`` (bytes or a readable file) if it is a PDF, DOCX or XLSX, else ``""``.

    At most ``max_chars`` characters; bounded in time (a child process killed after ``TIMEOUT_SECONDS``).
    """
    if content_type not in READERS or max_chars <= 0:
        return ""
    data = _read_all(file)
    if not data or len(data) > MAX_INPUT_BYTES:
        return ""
    # Imported here, once, so that each forked child starts with the library loaded.
    importlib.import_module(LIBRARIES[content_type])
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, content_type, max_chars), daemon=True)
    process.start()
    sender.close()
    result: str | None = None
    try:
        if receiver.poll(TIMEOUT_SECONDS):
            ok, value = receiver.recv()
            if ok:
                result = value
            else:
                logger.info("Text extraction failed (%s) for a %s file", value, content_type)
        else:
            logger.warning("Text extraction timed out for a %s file of %d bytes", content_type, len(data))
    except (EOFError, OSError):
        logger.warning("Text extraction stopped without an answer for a %s file", content_type)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(1)
    return result if isinstance(result, str) else ""

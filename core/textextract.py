"""Plain text out of attachments (PDF, Word .docx, Excel .xlsx, PowerPoint .pptx, images), bounded in size,
time and work, and honest about what it did not read.

One extractor serves both the search index and the privacy scan before approval; it runs once, when an
attachment is stored, outside any database transaction, and its result is kept (``AttachmentText``).
Extraction runs in a forked child process with a wall-clock timeout and a CPU limit, reads at most
``MAX_PAGES`` pages, ``MAX_ROWS`` rows and ``max_chars`` characters, and refuses archives that would unpack to
more than ``MAX_UNPACKED_BYTES``: a hostile file costs a few seconds at most and never hangs the request.

Every part of a file is read: a Word file's body, tables, text boxes, headers, footers, comments, footnotes and
endnotes (deleted tracked changes too: they are still in the file); an Excel file's cells, cell comments and
printed headers and footers; a PowerPoint file's slides and notes. Text
inside pictures (scanned PDF pages, images, pictures inside Office files) is read by OCR with Tesseract
(``OCR_COMMAND``, languages ``OCR_LANGUAGES``, Simplified Chinese by default), bounded by ``OCR_MAX_PAGES``.

``extract`` returns an ``Extraction``: the text, and its ``gaps``, each a reason the file was not read in full
(a cap reached, a page whose pictures could not be read because OCR is missing or failed). A file with gaps is
never reported clean. ``extract_text`` returns the text alone, ``""`` for types it does not read
(``is_supported`` tells them apart), and both raise ``ExtractionError`` with a readable message when a file of a
supported type cannot be read at all.
"""

from __future__ import annotations

import functools
import importlib
import io
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import uploads

logger = logging.getLogger(__name__)

PDF = uploads.PDF.content_type
DOCX = uploads.DOCX.content_type
XLSX = uploads.XLSX.content_type
PPTX = uploads.PPTX.content_type
IMAGES = tuple(kind.content_type for kind in uploads.IMAGE_KINDS)

MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
MAX_ROWS = 20000
TIMEOUT_SECONDS = 10.0
CPU_SECONDS = 10
# Pictures smaller than this (in pixels), or thinner than OCR_MIN_SIDE, are rules and bullets, not text worth
# reading; a single line of text (a phone number as a 200×24 picture) is read.
OCR_MIN_PIXELS = 1200
OCR_MIN_SIDE = 10
# Pictures lower than this are scaled up (at most 4×) before OCR, which reads small print poorly.
OCR_MIN_HEIGHT = 60
# Larger pictures are scaled down to this many pixels along their longer side before OCR.
OCR_MAX_SIDE = 3000
# Time kept back from the budget for the child to send what it read.
ANSWER_MARGIN_SECONDS = 0.5

# Why a file was not read in full; stored untranslated (see ``gap_message``).
GAP_CHARS = gettext_noop("Only the first %(limit)s characters were read.")
GAP_ROWS = gettext_noop("Only the first %(limit)s rows were read.")
GAP_PAGES = gettext_noop("Only the first %(limit)s pages were read.")
GAP_TIME = gettext_noop("Reading stopped after %(limit)s seconds.")
GAP_OCR_MISSING = gettext_noop(
    "Text in pictures (scanned pages) could not be read, because OCR (Tesseract with the Simplified Chinese "
    "model) is not installed: %(where)s."
)
GAP_OCR_FAILED = gettext_noop("Text in pictures (scanned pages) could not be read by OCR: %(where)s.")
GAP_WHERE_PAGES = gettext_noop("page(s) %(pages)s")
GAP_WHERE_PICTURES = gettext_noop("picture(s) %(names)s")
GAP_OCR_PAGES = gettext_noop("Pictures were read by OCR on the first %(limit)s pages or pictures only.")
GAP_LONG_NUMBER = gettext_noop(
    "Cell(s) %(cells)s hold a number of more than 15 digits stored as a number: Excel keeps only its first 15 "
    "digits, so an ID-card or bank-card number there cannot be recognised. Check the cells."
)
GAP_FORMULA = gettext_noop("Cell(s) %(cells)s hold a formula whose result is not stored in the file: not read.")


class ExtractionError(Exception):
    pass


def gap_message(gap: dict) -> str:
    """A stored gap, in the reader's language."""
    params = dict(gap.get("params", {}))
    where = []
    if params.pop("pages", None):
        where.append(_(GAP_WHERE_PAGES) % {"pages": gap["params"]["pages"]})
    if params.pop("names", None):
        where.append(_(GAP_WHERE_PICTURES) % {"names": gap["params"]["names"]})
    if where:
        params["where"] = "; ".join(where)
    return _(gap["message"]) % params


def _listing(values: list) -> str:
    shown = ", ".join(str(value) for value in values[:10])
    return shown + (" …" if len(values) > 10 else "")


@dataclass
class Extraction:
    text: str
    gaps: list[dict] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.gaps

    def messages(self) -> list[str]:
        return [gap_message(gap) for gap in self.gaps]


@dataclass(frozen=True)
class OcrOptions:
    command: str | None  # the tesseract program, None when it is not installed
    languages: str
    max_pages: int
    orientation: bool = False  # the orientation model ("osd") is installed: rotated pages are turned upright

    @classmethod
    def from_settings(cls) -> OcrOptions:
        command = ocr_command()
        orientation = command is not None and _ocr_program(settings.OCR_COMMAND or "", "osd") is not None
        return cls(command, settings.OCR_LANGUAGES, settings.OCR_MAX_PAGES, orientation)


def ocr_command() -> str | None:
    """The Tesseract program when it is installed with every language of ``OCR_LANGUAGES``, else None."""
    return _ocr_program(settings.OCR_COMMAND or "", settings.OCR_LANGUAGES)


@functools.lru_cache(maxsize=8)
def _ocr_program(name: str, languages: str) -> str | None:
    command = shutil.which(name)
    if command is None:
        return None
    try:
        listed = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    installed = {line.strip() for line in listed.splitlines()[1:]}
    return command if set(languages.split("+")) <= installed else None


class _Collector:
    """Accumulates text up to a character cap and records every cap reached; ``full`` tells readers to stop."""

    def __init__(self, max_chars: int, *, seconds: float | None = None, ocr: OcrOptions | None = None):
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.length = 0
        self.gaps: list[dict] = []
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + max(0.1, seconds - ANSWER_MARGIN_SECONDS)
        self.ocr = ocr
        self.ocr_done = 0
        self.unread: dict[str, dict[str, list]] = {}  # gap message → {"pages": [...], "names": [...]}

    def gap(self, message: str, **params) -> None:
        entry = {"message": message, "params": params}
        if entry not in self.gaps:
            self.gaps.append(entry)

    @property
    def full(self) -> bool:
        if self.length >= self.max_chars:
            return True
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.gap(GAP_TIME, limit=f"{self.seconds:g}")
            return True
        return False

    def add(self, text: str | None) -> None:
        text = (text or "").strip()
        if not text or self.length >= self.max_chars:
            if text:
                self.gap(GAP_CHARS, limit=self.max_chars)
            return
        if len(text) > self.max_chars - self.length:
            self.gap(GAP_CHARS, limit=self.max_chars)
            text = text[: self.max_chars - self.length]
        self.parts.append(text)
        self.length += len(text) + 1

    def text(self) -> str:
        return "\n".join(self.parts)[: self.max_chars]

    def finish(self) -> list[dict]:
        """Every gap, the pictures not read gathered into one gap per reason."""
        for message, where in self.unread.items():
            self.gap(message, **{key: _listing(values) for key, values in where.items() if values})
        self.unread = {}
        return self.gaps

    # --- pictures ---------------------------------------------------------------------------------------

    def _unread(self, message: str, *, page: int | None, name: str | None) -> None:
        where = self.unread.setdefault(message, {"pages": [], "names": []})
        if page is not None and page not in where["pages"]:
            where["pages"].append(page)
        elif page is None and name:
            where["names"].append(name)

    def picture(self, image, *, page: int | None = None, name: str | None = None) -> None:
        """Read the text in a picture (a Pillow image) by OCR, or record why it could not be read."""
        width, height = image.size
        if width * height < OCR_MIN_PIXELS or min(width, height) < OCR_MIN_SIDE:
            return
        if self.ocr is None or self.ocr.command is None:
            self._unread(GAP_OCR_MISSING, page=page, name=name)
            return
        if self.ocr_done >= self.ocr.max_pages:
            self.gap(GAP_OCR_PAGES, limit=self.ocr.max_pages)
            return
        if self.full:
            return
        self.ocr_done += 1
        left = (self.deadline - time.monotonic()) if self.deadline is not None else 60.0
        text = _ocr(image, self.ocr, seconds=max(0.1, left))
        if text is None:
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self.gap(GAP_TIME, limit=f"{self.seconds:g}")
            else:
                self._unread(GAP_OCR_FAILED, page=page, name=name)
            return
        self.add(text)


def _ocr(image, ocr: OcrOptions, *, seconds: float) -> str | None:
    """The text Tesseract reads in ``image``, or None when it fails or runs out of time."""
    from PIL import Image

    if max(image.size) > OCR_MAX_SIDE:
        image = image.copy()
        image.thumbnail((OCR_MAX_SIDE, OCR_MAX_SIDE))
    elif min(image.size) < OCR_MIN_HEIGHT:
        factor = min(4, -(-OCR_MIN_HEIGHT // min(image.size)), OCR_MAX_SIDE // max(image.size)) or 1
        image = image.resize((image.width * factor, image.height * factor))
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGBA") if "A" in image.getbands() or image.mode == "P" else image.convert("RGB")
        if image.mode == "RGBA":  # transparent parts read as white paper
            paper = Image.new("RGB", image.size, "white")
            paper.paste(image, mask=image.getchannel("A"))
            image = paper
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        done = subprocess.run(
            # Page segmentation 1 detects the orientation first (the "osd" model), so a page scanned sideways or
            # upside down is read; without that model, 6 (one block of text).
            [ocr.command, "stdin", "stdout", "-l", ocr.languages, "--psm", "1" if ocr.orientation else "6"],
            input=png.getvalue(),
            capture_output=True,
            timeout=seconds,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    text = done.stdout.decode("utf-8", "replace")
    # Tesseract puts spaces between Chinese characters; numbers keep theirs (the scan allows spaces in them).
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError(_("The file is damaged and could not be read.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExtractionError(_("The file unpacks to more than the scan allows."))


def _pictures_of_page(page):
    """The pictures drawn on a PDF page, as Pillow images (those pypdf cannot decode are skipped)."""
    try:
        names = list(page.images.keys())
    except Exception:  # noqa: BLE001 - a damaged resource dictionary: no pictures to read
        return []
    pictures = []
    for name in names:
        try:
            pictures.append(page.images[name].image)
        except Exception:  # noqa: BLE001 - an image pypdf cannot decode
            logger.info("A picture of a PDF page could not be decoded")
    return pictures


def _link_targets(page) -> list[str]:
    """The targets of a PDF page's links (mailto:, tel:): shown to whoever clicks, but not in the page's text."""
    from urllib.parse import unquote

    targets = []
    try:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = action.get_object().get("/URI") if hasattr(action, "get_object") else None
            if uri:
                targets.append(unquote(str(uri)))
    except Exception:  # noqa: BLE001 - a damaged annotation: the page's text is still read
        logger.info("The links of a PDF page could not be read")
    return targets


def _pdf(data: bytes, out: _Collector) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ExtractionError(_("The PDF is encrypted and could not be read."))
    pages = reader.pages
    for number, page in enumerate(pages):
        if number >= MAX_PAGES:
            out.gap(GAP_PAGES, limit=MAX_PAGES)
            return
        if out.full:
            return
        out.add(page.extract_text())
        out.add(" ".join(_link_targets(page)))
        for picture in _pictures_of_page(page):
            out.picture(picture, page=number + 1)


def _image(data: bytes, out: _Collector) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = 60_000_000  # a decompression bomb is refused, not read
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ExtractionError(_("The picture is damaged and could not be read.")) from exc
    out.picture(image, page=1)


# --- Office Open XML: every part that holds text ------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
WORD_PARTS = re.compile(r"word/(document|header\d*|footer\d*|comments|footnotes|endnotes)\.xml")
SLIDE_PARTS = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide|comments/comment)(\d+)\.xml")
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
X14 = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
XLSX_COMMENTS = re.compile(r"xl/(comments\d*|comments/comment\d+|threadedComments/threadedComment\d*)\.xml")
XLSX_SHEETS = re.compile(r"xl/worksheets/sheet\d+\.xml")
XLSX_MARGINS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
# Relationships: a hyperlink's target (mailto:, tel:, a URL with a number in it) is kept there, not in the text.
RELATIONSHIPS = re.compile(r"(word|ppt|xl)/(.+/)?_rels/[^/]+\.rels")
MEDIA = re.compile(r"(word|ppt|xl)/media/[^/]+\.(png|jpe?g|gif|bmp|tiff?|webp)", re.IGNORECASE)


def _xml(archive: zipfile.ZipFile, name: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    root = etree.fromstring(archive.read(name), parser)
    if root is None:
        raise ExtractionError(_("The file is damaged and could not be read."))
    for fallback in list(root.iter(MC_FALLBACK)):  # the same content again, for older programs
        fallback.getparent().remove(fallback)
    return root


def _paragraphs(root, *, paragraph: str, texts: tuple[str, ...], breaks: tuple[str, ...], row: str, out) -> None:
    """Add the text of every paragraph under ``root`` (text boxes and table cells included), in order."""
    rows = 0
    buffer: list[str] = []
    for element in root.iter():
        tag = element.tag
        if tag in texts:
            buffer.append(element.text or "")
        elif tag in breaks:
            buffer.append(" ")
        elif tag == paragraph:
            out.add("".join(buffer))
            buffer = []
            if out.full:
                return
        elif tag == row:
            rows += 1
            if rows > MAX_ROWS:
                out.gap(GAP_ROWS, limit=MAX_ROWS)
                return
    out.add("".join(buffer))


def _links(archive: zipfile.ZipFile, out: _Collector) -> None:
    """The targets of a file's external links (hyperlinks): their text shows only "联系我们"."""
    from urllib.parse import unquote

    for name in sorted(n for n in archive.namelist() if RELATIONSHIPS.fullmatch(n)):
        if out.full:
            return
        for relation in _xml(archive, name):
            if relation.get("TargetMode") == "External":
                out.add(unquote(relation.get("Target") or ""))


def _media(archive: zipfile.ZipFile, out: _Collector) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = 60_000_000
    for name in sorted(n for n in archive.namelist() if MEDIA.fullmatch(n)):
        if out.full:
            return
        try:
            image = Image.open(io.BytesIO(archive.read(name)))
            image.load()
        except (OSError, ValueError, Image.DecompressionBombError):
            continue  # not a picture Pillow reads (a vector drawing): no scanned text in it
        out.picture(image, name=name.rsplit("/", 1)[-1])


def _docx(data: bytes, out: _Collector) -> None:
    _check_archive(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise ExtractionError(_("The Word file is damaged and could not be read."))
        # The body first, then headers, footers, comments and notes.
        parts = sorted((n for n in names if WORD_PARTS.fullmatch(n)), key=lambda n: (n != "word/document.xml", n))
        for name in parts:
            if out.full:
                return
            root = _xml(archive, name)
            if name == "word/document.xml" and root.tag != f"{W}document":
                raise ExtractionError(_("The Word file is damaged and could not be read."))
            _paragraphs(
                root,
                paragraph=f"{W}p",
                texts=(f"{W}t", f"{W}delText"),
                breaks=(f"{W}tab", f"{W}br", f"{W}cr"),
                row=f"{W}tr",
                out=out,
            )
        _links(archive, out)
        _media(archive, out)


def _pptx(data: bytes, out: _Collector) -> None:
    _check_archive(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if SLIDE_PARTS.fullmatch(n)]
        if not any(n.startswith("ppt/slides/") for n in parts) and "ppt/presentation.xml" not in archive.namelist():
            raise ExtractionError(_("The PowerPoint file is damaged and could not be read."))
        # Slide by slide, each slide's notes after it.
        order = {"slides/slide": 0, "notesSlides/notesSlide": 1, "comments/comment": 2}
        parts.sort(key=lambda n: (int(SLIDE_PARTS.fullmatch(n).group(2)), order[SLIDE_PARTS.fullmatch(n).group(1)]))
        for number, name in enumerate(parts):
            if number >= 3 * MAX_PAGES:
                out.gap(GAP_PAGES, limit=MAX_PAGES)
                return
            if out.full:
                return
            _paragraphs(
                _xml(archive, name), paragraph=f"{A}p", texts=(f"{A}t",), breaks=(f"{A}br",), row=f"{A}tr", out=out
            )
        _links(archive, out)
        _media(archive, out)


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
                if rows > MAX_ROWS:
                    out.gap(GAP_ROWS, limit=MAX_ROWS)
                    return
                if out.full:
                    return
                out.add(" ".join(_cell_text(value) for value in row if value is not None))
    finally:
        workbook.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _xlsx_margins(archive, out)
        _links(archive, out)
        _media(archive, out)


def _cell_text(value) -> str:
    """A cell's value as text; a whole number stored as a float (1.10105199001011E+17) in its digits."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e10:
        from decimal import Decimal

        return format(Decimal(repr(value)), "f")
    return str(value)


def _xlsx_cells(archive: zipfile.ZipFile, name: str, out: _Collector) -> None:
    """Record the cells whose text the reader above cannot give: a number of more than 15 digits (an ID-card or
    bank-card number typed as a number has lost its last digits), a formula with no stored result."""
    from lxml import etree

    long_numbers: list[str] = []
    formulas: list[str] = []
    with archive.open(name) as sheet:
        for _event, cell in etree.iterparse(sheet, tag=f"{S}c", huge_tree=False):
            value, formula = cell.find(f"{S}v"), cell.find(f"{S}f")
            if formula is not None and (value is None or not (value.text or "").strip()):
                formulas.append(cell.get("r", "?"))
                out.add(formula.text)  # its literal text ("=\"138\"&\"12345678\"") is read at least
            elif cell.get("t", "n") == "n" and value is not None and value.text:
                try:
                    number = abs(float(value.text))
                except ValueError:
                    number = 0.0
                if number >= 1e15:
                    long_numbers.append(cell.get("r", "?"))
            cell.clear()
    sheet_name = name.rsplit("/", 1)[-1].removesuffix(".xml")
    if long_numbers:
        out.gap(GAP_LONG_NUMBER, cells=f"{sheet_name}: {_listing(long_numbers)}")
    if formulas:
        out.gap(GAP_FORMULA, cells=f"{sheet_name}: {_listing(formulas)}")


def _xlsx_margins(archive: zipfile.ZipFile, out: _Collector) -> None:
    """What an Excel file holds beside its cells: cell comments (notes and threaded comments) and the printed
    headers and footers of each sheet."""
    from lxml import etree

    for name in sorted(n for n in archive.namelist() if XLSX_COMMENTS.fullmatch(n)):
        if out.full:
            return
        root = _xml(archive, name)
        for comment in root.iter(f"{S}comment", f"{X14}threadedComment"):
            out.add("".join(t.text or "" for t in comment.iter(f"{S}t", f"{X14}text")))
    for name in sorted(n for n in archive.namelist() if XLSX_SHEETS.fullmatch(n)):
        if out.full:
            return
        with archive.open(name) as sheet:
            # Streamed: a sheet may be large; only its header and footer elements are kept.
            for _event, element in etree.iterparse(sheet, tag=[f"{S}{tag}" for tag in XLSX_MARGINS], huge_tree=False):
                out.add(element.text)
                element.clear()
        if out.full:
            return
        _xlsx_cells(archive, name, out)


READERS = {PDF: _pdf, DOCX: _docx, XLSX: _xlsx, PPTX: _pptx, **dict.fromkeys(IMAGES, _image)}
LIBRARIES = {
    PDF: "pypdf",
    DOCX: "lxml.etree",
    XLSX: "openpyxl",
    PPTX: "lxml.etree",
    **dict.fromkeys(IMAGES, "PIL.Image"),
}
DAMAGED = {
    PDF: gettext_noop("The PDF is damaged and could not be read."),
    DOCX: gettext_noop("The Word file is damaged and could not be read."),
    XLSX: gettext_noop("The Excel file is damaged and could not be read."),
    PPTX: gettext_noop("The PowerPoint file is damaged and could not be read."),
    **dict.fromkeys(IMAGES, gettext_noop("The picture is damaged and could not be read.")),
}


def is_supported(content_type: str) -> bool:
    return content_type in READERS


def _child(connection, data, content_type, max_chars, seconds, ocr) -> None:  # pragma: no cover - in the child
    try:
        import resource

        cpu = max(CPU_SECONDS, int(seconds) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (ImportError, ValueError, OSError):
        pass
    try:
        out = _Collector(max_chars, seconds=seconds, ocr=ocr)
        READERS[content_type](data, out)
        connection.send(("text", (out.text(), out.finish())))
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


def extract(
    file, content_type: str, *, max_chars: int, seconds: float = TIMEOUT_SECONDS, ocr: OcrOptions | None = None
) -> Extraction:
    """The text of ``file`` (bytes or a readable binary file) of the given sniffed content type, and its gaps.

    At most ``max_chars`` characters; the child stops reading after ``seconds`` (a gap) and is killed if it
    has not answered shortly after. ``ocr`` (default: from the settings) reads the text in pictures.
    """
    if not is_supported(content_type) or max_chars <= 0:
        return Extraction("")
    data = _read_all(file)
    if len(data) > MAX_INPUT_BYTES:
        raise ExtractionError(_("The file is too large to be read."))
    if not data:
        raise ExtractionError(_("The file is empty."))
    if ocr is None:
        ocr = OcrOptions.from_settings()
    # Imported here, once, so that each forked child starts with the library loaded.
    importlib.import_module(LIBRARIES[content_type])
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, content_type, max_chars, seconds, ocr), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds + ANSWER_MARGIN_SECONDS):
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
        return Extraction(*value)
    if outcome == "refused":
        raise ExtractionError(value)
    logger.info("Text extraction failed (%s) for a %s file", value, content_type)
    raise ExtractionError(_(DAMAGED[content_type]))


def extract_text(file, content_type: str, *, max_chars: int, seconds: float = TIMEOUT_SECONDS, ocr=None) -> str:
    """The text alone (see ``extract``)."""
    return extract(file, content_type, max_chars=max_chars, seconds=seconds, ocr=ocr).text

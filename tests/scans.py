"""Test documents that hide personal data where a careless reader misses it: scanned (image-only) PDFs and
pictures of printed Chinese text, Word files with it in headers, footers, text boxes, comments and notes,
PowerPoint files with it in slides and notes."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

VALID_ID = "11010519491231002X"
MOBILE = "13812345678"


def luhn_complete(first: str) -> str:
    """``first`` with the Luhn check digit appended (a bank-card number the scan recognises)."""
    for digit in "0123456789":
        number = first + digit
        total = 0
        for index, char in enumerate(reversed(number)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


BANK_CARD = luhn_complete("622202020011223344")

CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


def _font(size: int):
    from PIL import ImageFont

    for path in CJK_FONTS:
        if Path(path).exists():
            font = ImageFont.truetype(path, size, index=2)  # index 2: the Simplified Chinese face
            return font
    pytest.skip("No Noto CJK font (Debian's fonts-noto-cjk, installed by `make browser-deps`) to print Chinese")


def ocr_ready() -> bool:
    command = shutil.which("tesseract")
    if command is None:
        return False
    listed = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=10).stdout
    return "chi_sim" in listed.split()


needs_ocr = pytest.mark.skipif(
    not ocr_ready(),
    reason="Tesseract with the Simplified Chinese model is not installed (`make ocr-deps` installs Debian's "
    "tesseract-ocr and tesseract-ocr-chi-sim; .ci/run does in CI)",
)

SCHOLARSHIP_LINES = (
    "2024年国家奖学金获奖学生公示名单",
    f"张三  身份证号 {VALID_ID}",
    f"联系电话 {MOBILE}  银行卡号 {BANK_CARD}",
)


def scanned_page(lines=SCHOLARSHIP_LINES, *, size=(1654, 900), noise: bool = True):
    """A page of printed Chinese text as a scanner gives it: a grey picture, slightly tilted, a little noisy."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    page = Image.new("L", size, 250)
    draw = ImageDraw.Draw(page)
    font = _font(40)
    for number, line in enumerate(lines):
        draw.text((90, 90 + 110 * number), line, font=font, fill=25)
    if noise:
        rng = random.Random(14)
        for _ in range(1500):
            draw.point((rng.randrange(size[0]), rng.randrange(size[1])), fill=rng.randrange(120, 230))
        page = page.rotate(0.6, fillcolor=250, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.6))
    return page


def scanned_png(lines=SCHOLARSHIP_LINES) -> bytes:
    out = io.BytesIO()
    scanned_page(lines).save(out, "PNG")
    return out.getvalue()


def scanned_pdf(*pages) -> bytes:
    """An image-only PDF (no text layer), one scanned page per ``pages`` entry (lists of lines)."""
    images = [scanned_page(lines).convert("RGB") for lines in (pages or (SCHOLARSHIP_LINES,))]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


# --- Word: personal data in every part of the file ----------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTES = (
    '<w:{kind}s xmlns:w="' + W_NS + '"><w:{kind} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}>'
    "</w:{kind}s>"
)
TEXT_BOX = (
    '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
    'wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData>'
    '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>'
    "<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData>"
    "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>{text}"
    "</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
)


def docx_with_parts(*, body="正文没有个人信息", header="", footer="", text_box="", comment="", footnote="", endnote=""):
    """A Word file (made by python-docx, then given the parts it cannot write) with text in the given parts."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph(body)
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if comment:
        document.add_comment(paragraph.runs[0], text=comment, author="审核人")
    out = io.BytesIO()
    document.save(out)
    if not (text_box or footnote or endnote):
        return out.getvalue()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml" and text_box:
                data = data.replace(b"<w:sectPr", TEXT_BOX.format(text=text_box).encode() + b"<w:sectPr", 1)
            target.writestr(item, data)
        if footnote:
            target.writestr("word/footnotes.xml", NOTES.format(kind="footnote", text=footnote))
        if endnote:
            target.writestr("word/endnotes.xml", NOTES.format(kind="endnote", text=endnote))
    return rebuilt.getvalue()


# --- PowerPoint: slides and notes ---------------------------------------------------------------------

P_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)


def _slide(kind: str, text: str) -> str:
    return (
        f"<p:{kind} {P_NS}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p>"
        f"</p:txBody></p:sp></p:spTree></p:cSld></p:{kind}>"
    )


def pptx_with(slides: list[str], notes: dict[int, str] | None = None) -> bytes:
    """A PowerPoint file with one text per slide and speaker notes for some slides (numbered from 1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", f"<p:presentation {P_NS}/>")
        for number, text in enumerate(slides, start=1):
            archive.writestr(f"ppt/slides/slide{number}.xml", _slide("sld", text))
        for number, text in (notes or {}).items():
            archive.writestr(f"ppt/notesSlides/notesSlide{number}.xml", _slide("notes", text))
    return out.getvalue()

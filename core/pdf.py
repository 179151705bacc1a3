"""A minimal PDF writer: one A4 page of Chinese (and Latin) text that text extractors read back.

``pdf_document("2024年收费标准", ["学费每生每学年5000元。"])`` gives the bytes of a one-page PDF with the title
in 16 pt and the lines in 11 pt, each wrapped to the page width; what does not fit on the page ends in ……

The font is Adobe's STSong-Light, which PDF readers supply themselves, so nothing is embedded and a page is
a few KB. Text is encoded with the predefined CMap UniGB-UCS2-H (two bytes per character: its UCS-2 value),
and a ToUnicode CMap maps those codes back to Unicode for extractors (pypdf among them) that do not know the
predefined one. Characters outside the Basic Multilingual Plane cannot be written.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 595, 842, 64  # A4, in points
TITLE_SIZE, TEXT_SIZE = 16, 11
MAX_LINES = 44  # title and text lines that fit on the page


def text_width(text: str) -> float:
    """The width of ``text`` in ems: a Chinese character is one em, an ASCII character half of one."""
    return sum(0.5 if ord(char) < 0x80 else 1.0 for char in text)


def wrap(text: str, width: float) -> list[str]:
    """Break a line of mixed Chinese and Latin text into lines of at most ``width`` ems (at least one line)."""
    lines, current, used = [], "", 0.0
    for char in text:
        step = text_width(char)
        if used + step > width and current:
            lines.append(current)
            current, used = "", 0.0
        current += char
        used += step
    if current or not lines:
        lines.append(current)
    return lines


def pdf_document(title: str, lines: Sequence[str]) -> bytes:
    """A one-page PDF: ``title`` at the top (also the document's /Title), then ``lines``, wrapped."""
    text_ems = (PAGE_WIDTH - 2 * MARGIN) / TEXT_SIZE
    title_lines = wrap(title, (PAGE_WIDTH - 2 * MARGIN) / TITLE_SIZE)
    body_lines = [part for line in lines for part in wrap(line, text_ems)]
    if len(title_lines) + len(body_lines) > MAX_LINES:
        body_lines = body_lines[: MAX_LINES - len(title_lines) - 1] + ["……"]
    ops = ["BT", f"/F1 {TITLE_SIZE} Tf", f"{MARGIN} {PAGE_HEIGHT - MARGIN - 8} Td", "22 TL"]
    for index, line in enumerate(title_lines):
        ops.append(("T* " if index else "") + f"<{_utf16_hex(line)}> Tj")
    ops += [f"/F1 {TEXT_SIZE} Tf", "17 TL", "T*"]
    ops.extend(f"T* <{_utf16_hex(line)}> Tj" for line in body_lines)
    ops.append("ET")
    content = "\n".join(ops).encode("ascii")
    used_chars = "".join(title_lines) + "".join(body_lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 8 0 R /DW 1000 /W [1 95 500] >>",
        _stream(_to_unicode_cmap(used_chars)),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Title <FEFF%s> /Producer (core.pdf) >>" % _utf16_hex(title).encode("ascii"),
    ]
    return _file(objects)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(chars: Iterable[str]) -> bytes:
    """A ToUnicode CMap for the 2-byte codes used: with UniGB-UCS2-H a code is the character's UCS-2 value."""
    codes = sorted({ord(char) for char in chars})
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(codes), 100):
        chunk = codes[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{code:04X}> <{code:04X}>" for code in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _file(objects: list[bytes]) -> bytes:
    """The objects numbered from 1 in order, the cross-reference table and the trailer (the last object is
    the document information dictionary)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(objects), xref)
    )
    return out.getvalue()

"""Masking personal data in place: in text, and in Word (.docx) and Excel (.xlsx) files, whose masked copy keeps
everything else of the file (layout, styles, pictures) untouched.

Each number keeps its length (``230102199001011234`` → ``2301**********1234``) so that a value split over several
runs of a Word paragraph is masked run by run. Every part the privacy scan reads is masked: a Word file's body,
text boxes, headers, footers, comments and notes; an Excel file's shared strings, inline strings and numeric cells
(a mobile number typed as a number becomes the masked text). A PDF cannot be masked safely this way (its text may
also be drawn as pictures or kept in hidden layers): it needs a replacement file or the reviewer's
acknowledgement. Pure functions only.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from disclosures.privacy import Hit, mask_html, same_length, scan_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WORD_PARTS = re.compile(
    r"word/(document|header\d*|footer\d*|comments|footnotes|endnotes)\.xml|word/(.+/)?_rels/[^/]+\.rels"
)
SHEET_PARTS = re.compile(
    r"xl/(sharedStrings|worksheets/sheet\d+|comments\d*|comments/comment\d+)\.xml|xl/(.+/)?_rels/[^/]+\.rels"
)
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
SHEET_MARGINS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


__all__ = ["mask_docx", "mask_html", "mask_in_place", "mask_xlsx"]


def mask_in_place(text: str) -> tuple[str, list[Hit]]:
    """``text`` with every finding of the privacy scan masked, each keeping its length; and the findings."""
    hits = scan_text(text)
    chars = list(text)
    for hit in hits:
        chars[hit.start : hit.end] = same_length(text[hit.start : hit.end], hit)
    return "".join(chars), hits


def _parse(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _mask_runs(elements) -> list[Hit]:
    """Mask the text of ``elements`` (the text nodes of one paragraph) as one string, run by run."""
    texts = [element.text or "" for element in elements]
    masked, hits = mask_in_place("".join(texts))
    if hits:
        position = 0
        for element, text in zip(elements, texts, strict=True):
            element.text = masked[position : position + len(text)]
            position += len(text)
    return hits


def _rewrite(data: bytes, parts: re.Pattern, mask_part) -> tuple[bytes, list[Hit]]:
    found: list[Hit] = []
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if parts.fullmatch(item.filename):
                root = _parse(content)
                hits = mask_part(root)
                if hits:
                    found += hits
                    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, content)
    return out.getvalue(), found


def _links_part(root) -> list[Hit]:
    """A relationships part: the targets of external links (mailto:, tel:) are masked."""
    from urllib.parse import unquote

    hits: list[Hit] = []
    for relation in root.iter(RELATIONSHIP):
        if relation.get("TargetMode") == "External":
            masked, found = mask_in_place(unquote(relation.get("Target") or ""))
            if found:
                relation.set("Target", masked)
                hits += found
    return hits


def _docx_part(root) -> list[Hit]:
    if root.tag == RELATIONSHIP.replace("Relationship", "Relationships"):
        return _links_part(root)
    hits: list[Hit] = []
    for paragraph in root.iter(f"{W}p"):
        # This paragraph's own runs (a text box inside it has paragraphs of its own, masked in their turn).
        own = [t for t in paragraph.iter(f"{W}t", f"{W}delText") if next(t.iterancestors(f"{W}p")) is paragraph]
        hits += _mask_runs(own)
    return hits


def _xlsx_part(root) -> list[Hit]:
    if root.tag == RELATIONSHIP.replace("Relationship", "Relationships"):
        return _links_part(root)
    hits: list[Hit] = []
    if root.tag == f"{S}sst":  # shared strings: one string per <si>, maybe in several rich-text runs
        for item in root.iter(f"{S}si"):
            hits += _mask_runs(list(item.iter(f"{S}t")))
        return hits
    if root.tag == f"{S}comments":  # cell comments (notes)
        for comment in root.iter(f"{S}comment"):
            hits += _mask_runs(list(comment.iter(f"{S}t")))
        return hits
    for margin in root.iter(*(f"{S}{tag}" for tag in SHEET_MARGINS)):  # printed headers and footers
        hits += _mask_runs([margin])
    for cell in root.iter(f"{S}c"):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            hits += _mask_runs(list(cell.iter(f"{S}t")))
        elif kind in ("n", "str"):
            value = cell.find(f"{S}v")
            if value is None or not value.text:
                continue
            text = value.text[:-2] if value.text.endswith(".0") else value.text
            masked, found = mask_in_place(text)
            if not found:
                continue
            hits += found
            # A number that was personal data becomes the masked text, in an inline string.
            for child in list(cell):
                cell.remove(child)
            cell.set("t", "inlineStr")
            inline = etree.SubElement(cell, f"{S}is")
            etree.SubElement(inline, f"{S}t").text = masked
    return hits


def mask_docx(data: bytes) -> tuple[bytes, list[Hit]]:
    """A copy of a Word file with every finding masked in every part, and the findings."""
    return _rewrite(data, WORD_PARTS, _docx_part)


def mask_xlsx(data: bytes) -> tuple[bytes, list[Hit]]:
    """A copy of an Excel file with every finding masked in its strings and cells, and the findings."""
    return _rewrite(data, SHEET_PARTS, _xlsx_part)

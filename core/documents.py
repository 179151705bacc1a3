"""Formal Chinese documents (公文式文书) built once and written as DOCX (python-docx) and PDF (reportlab).

A ``FormalDocument`` is a list of blocks: the title, headings, body paragraphs, tables and the 落款 (the
signature block: the organisation's name and the Chinese date, optionally a place for the seal). Both
renderings carry the same text, page numbers in the footer ("第 X 页 共 Y 页") and real document properties
(title, author = the organisation, subject, keywords, created and modified now)::

    from core.documents import FormalDocument

    doc = FormalDocument("城市职业学院2025-2026学年度信息公开工作年度报告", author="城市职业学院")
    doc.subtitle("（2025年9月1日至2026年8月31日）")
    doc.heading("一、概述")
    doc.paragraph("本学年，学校坚持以公开为常态、不公开为例外……")
    doc.table(["类别", "信息条数"], [["招生考试信息", 12], ["财务、资产及收费信息", 8]], widths=[3, 1])
    doc.signature("城市职业学院", datetime.date(2026, 10, 30), seal=True)
    docx_bytes, pdf_bytes = doc.docx(), doc.pdf()

Layout follows 《党政机关公文格式》 (GB/T 9704-2012) where a web-generated document reasonably can: A4, the
title centred in a larger size, first-line indents of two characters, headings 一、/（一）, the 落款 on the
right under the text with the date written in Chinese (``core.chinese.cn_date``), page numbers at the foot.

Fonts. The DOCX names the usual Chinese fonts (方正小标宋简体/黑体/仿宋, with 宋体 fallbacks named in the
East-Asian slot); Word and WPS substitute what is installed. The PDF needs a font it can embed or reference:
a TrueType (glyf-outline) Chinese font would be embedded if one were installed, but the project installs only
Debian's fonts-noto-cjk, whose outlines are CFF (PostScript), which reportlab cannot embed; so the PDF uses
Adobe's STSong-Light CID font, which every PDF reader supplies (nothing embedded, a few KB a page, and text
extractors such as pypdf read the text back). ``PDF_FONT_FILE`` can point at a TrueType font to embed.

Tables. ``widths`` are relative weights (``[3, 1]``: the first column three times the second), scaled to the
text width; without them the widths follow the content (numbers narrow, names wide). The header rows repeat
on every page a table runs over (DOCX ``w:tblHeader``; reportlab ``repeatRows``); numeric cells are
right-aligned; a row is never split over two pages.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone

from core.chinese import cn_date

# A4 and the GB/T 9704 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]

TITLE_PT, SUBTITLE_PT, HEADING_PT, BODY_PT, TABLE_PT, NOTE_PT, FOOTER_PT = 20, 14, 15, 14, 10.5, 10.5, 10.5
TITLE_FONT, HEADING_FONTS, BODY_FONT = "方正小标宋简体", ("黑体", "楷体"), "仿宋"
FALLBACK_FONT = "宋体"
PAGE_LABEL = "第 {page} 页 共 {pages} 页"
SEAL_LABEL = "（盖章处）"
PDF_FONT_NAME = "STSong-Light"
PDF_FONT_FILE = os.environ.get("PDF_FONT_FILE", "")  # a TrueType font to embed instead (optional)

_NUMBER = re.compile(r"^[+\-−]?[\d,，]+(\.\d+)?%?$|^[+\-−]?\d+(\.\d+)?\s*(个百分点)?$")


def is_number(value) -> bool:
    """Whether a cell holds a figure (right-aligned): ints, floats, and strings like "12", "-3", "4.5%"."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMBER.match(value.strip()))


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _ems(text: str) -> float:
    return sum(0.55 if ord(char) < 0x80 else 1.0 for char in text)


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: 一、…  2: （一）…


@dataclass
class Paragraph:
    text: str
    align: str = "justify"  # justify | left | center | right
    indent: bool = True  # first line indented two characters
    small: bool = False  # a note: table notes, appendices


@dataclass
class TableBlock:
    header: list[list[str]]  # one or more header rows, repeated on every page
    rows: list[list]
    widths: list[float]  # relative weights, one a column
    numeric: list[bool]  # right-aligned columns
    bold_rows: set[int] = field(default_factory=set)  # indexes of body rows in bold (totals)
    caption: str = ""


@dataclass
class Signature:
    organisation: str
    day: datetime.date
    seal: bool = False


@dataclass
class PageBreak:
    pass


class FormalDocument:
    """A formal document: add blocks in order, then write it with ``docx()`` or ``pdf()``."""

    def __init__(
        self,
        title: str,
        *,
        author: str,
        subject: str = "",
        keywords: str = "",
        created: datetime.datetime | None = None,
        language: str = "zh-CN",
    ) -> None:
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.created = created or timezone.now()
        self.modified = timezone.now() if created is None else max(created, timezone.now())
        self.language = language
        self.blocks: list = []

    # Building -----------------------------------------------------------------------------------------

    def subtitle(self, text: str) -> None:
        """A centred line under the title (the period covered, a 文号)."""
        self.blocks.append(Paragraph(text, align="center", indent=False))

    def heading(self, text: str, level: int = 1) -> None:
        if level not in (1, 2):
            raise ValueError("A heading is of level 1 (一、) or 2 (（一）).")
        self.blocks.append(Heading(text, level))

    def paragraph(self, text: str, *, align: str = "justify", indent: bool = True, small: bool = False) -> None:
        if align not in ("justify", "left", "center", "right"):
            raise ValueError(f"Unknown alignment {align!r}.")
        self.blocks.append(Paragraph(text, align=align, indent=indent, small=small))

    def table(
        self,
        header: Sequence[str] | Sequence[Sequence[str]],
        rows: Sequence[Sequence],
        *,
        widths: Sequence[float] | None = None,
        numeric: Sequence[bool] | None = None,
        bold_rows: Sequence[int] = (),
        caption: str = "",
    ) -> None:
        """A table: ``header`` is one row of column names or a list of rows (all repeated on each page);
        ``widths`` relative weights; ``numeric`` which columns are right-aligned (by default: the columns whose
        every non-empty body cell is a figure); ``bold_rows`` body rows to set in bold (a totals row)."""
        header_rows = [list(header)] if header and isinstance(header[0], str) else [list(row) for row in header]
        columns = max([len(row) for row in header_rows] + [len(row) for row in rows] + [1])
        header_rows = [[cell_text(cell) for cell in row] + [""] * (columns - len(row)) for row in header_rows]
        body = [list(row) + [""] * (columns - len(row)) for row in rows]
        if numeric is None:
            numeric = [
                any(cell not in ("", None) for cell in column)
                and all(is_number(cell) for cell in column if cell not in ("", None))
                for column in zip(*body, strict=True)
            ] or [False] * columns
        if len(numeric) != columns:
            raise ValueError("numeric needs one value a column.")
        if widths is None:
            widths = self._natural_widths(header_rows, body, list(numeric))
        if len(widths) != columns or any(weight <= 0 for weight in widths):
            raise ValueError("widths needs one positive weight a column.")
        self.blocks.append(
            TableBlock(header_rows, body, [float(weight) for weight in widths], list(numeric), set(bold_rows), caption)
        )

    @staticmethod
    def _natural_widths(header: list[list[str]], body: list[list], numeric: list[bool]) -> list[float]:
        """Widths that follow the content: a figure column as wide as its longest figure or the words of its
        header wrapped on two or three lines, a text column as its longest cell (capped), never below 3 ems."""
        widths = []
        for index, is_numeric in enumerate(numeric):
            cells = [cell_text(row[index]) for row in body]
            names = [row[index] for row in header]
            longest_cell = max([_ems(text) for text in cells] + [0])
            longest_name = max([_ems(text) for text in names] + [0])
            if is_numeric:
                widths.append(max(3.0, longest_cell + 1, min(longest_name, 6.0)))
            else:
                widths.append(max(3.0, min(max(longest_cell, longest_name / 2), 24.0)))
        return widths

    def page_break(self) -> None:
        self.blocks.append(PageBreak())

    def signature(self, organisation: str, day: datetime.date, *, seal: bool = False) -> None:
        """The 落款: the organisation's name and the date in Chinese (二〇二六年十月三十日), on the right under
        the text; ``seal`` leaves a marked place for the seal (盖章处) over them."""
        self.blocks.append(Signature(organisation, day, seal))

    # Properties -----------------------------------------------------------------------------------------

    @property
    def texts(self) -> list[str]:
        """Every line of text in order (title, paragraphs, table cells, 落款): what both renderings hold."""
        lines = [self.title]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, TableBlock):
                lines.extend(cell for row in block.header for cell in row)
                lines.extend(cell_text(cell) for row in block.rows for cell in row)
            elif isinstance(block, Signature):
                lines += ([SEAL_LABEL] if block.seal else []) + [block.organisation, cn_date(block.day)]
        return lines

    # DOCX -----------------------------------------------------------------------------------------------

    def docx(self) -> bytes:
        out = io.BytesIO()
        self.docx_document().save(out)
        return out.getvalue()

    def page_count(self) -> int:
        """The number of pages of the PDF rendering (the DOCX's layout is the same page and margins)."""
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(self.pdf())).pages)

    def docx_document(self, pages: int | None = None):
        """The python-docx Document (to add to before saving, or to save into a file). Word and LibreOffice
        compute the footer's page fields as they lay it out; the values stored in the file for readers that do
        not (previews, text extractors) are page 1 of ``pages`` (by default the PDF rendering's count)."""
        from docx import Document
        from docx.enum.section import WD_SECTION
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Mm

        doc = Document()
        section = doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(20)
        self._docx_styles(doc)
        pages = pages or self.page_count()
        self._docx_footer(section, pages)
        self._docx_properties(doc, pages)

        ids = {style.name: style.style_id for style in doc.styles}
        self._style_ids = ids
        title = _add_paragraph(doc, self.title, ids["Title"])
        title.alignment = _docx_align("center")
        for block in self.blocks:
            if isinstance(block, Heading):
                _add_paragraph(doc, block.text, ids[f"Heading {block.level}"])
            elif isinstance(block, Paragraph):
                paragraph = _add_paragraph(doc, block.text, ids["Note" if block.small else "Normal"])
                paragraph.alignment = _docx_align(block.align)
                if not block.indent:
                    paragraph.paragraph_format.first_line_indent = 0
            elif isinstance(block, TableBlock):
                self._docx_table(doc, block, WD_TABLE_ALIGNMENT)
            elif isinstance(block, Signature):
                self._docx_signature(doc, block)
            elif isinstance(block, PageBreak):
                doc.add_page_break()
        return doc

    def _docx_styles(self, doc) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Pt

        normal = doc.styles["Normal"]
        _docx_font(normal, BODY_FONT, BODY_PT)
        normal.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        normal.paragraph_format.line_spacing = 1.5
        normal.paragraph_format.space_after = Pt(0)
        title = doc.styles["Title"]
        _docx_font(title, TITLE_FONT, TITLE_PT, bold=False)
        title.paragraph_format.first_line_indent = 0
        title.paragraph_format.space_after = Pt(12)
        _docx_no_border(title)
        for level, font in enumerate(HEADING_FONTS, start=1):
            style = doc.styles[f"Heading {level}"]
            _docx_font(style, font, HEADING_PT if level == 1 else BODY_PT, bold=level == 1)
            style.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
            style.paragraph_format.space_before = Pt(6)
            style.paragraph_format.space_after = Pt(3)
        note = doc.styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = normal
        _docx_font(note, FALLBACK_FONT, NOTE_PT)
        cell = doc.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        _docx_font(cell, FALLBACK_FONT, TABLE_PT)
        cell.paragraph_format.first_line_indent = 0
        cell.paragraph_format.line_spacing = 1.0
        footer = doc.styles["Footer"]
        _docx_font(footer, FALLBACK_FONT, FOOTER_PT)
        footer.paragraph_format.first_line_indent = 0

    def _docx_footer(self, section, pages: int) -> None:
        paragraph = section.footer.paragraphs[0]
        paragraph.style = "Footer"
        paragraph.alignment = _docx_align("center")
        before, middle_after = PAGE_LABEL.split("{page}")
        middle, after = middle_after.split("{pages}")
        paragraph.add_run(before)
        _docx_field(paragraph, "PAGE", "1")
        paragraph.add_run(middle)
        _docx_field(paragraph, "NUMPAGES", str(pages))
        paragraph.add_run(after)

    def _docx_properties(self, doc, pages: int) -> None:
        """Core properties (docProps/core.xml) of this document, not python-docx's template's ("python-docx",
        2013), and extended properties (docProps/app.xml) naming the organisation instead of the template's
        application."""
        for part in doc.part.package.parts:
            if str(part.partname) == "/docProps/app.xml":
                part._blob = _app_properties(self.author, pages)
        props = doc.core_properties
        props.title = self.title
        props.author = self.author
        props.last_modified_by = self.author
        props.subject = self.subject
        props.keywords = self.keywords
        props.comments = ""
        props.category = ""
        props.language = self.language
        props.revision = 1
        props.created = _naive_utc(self.created)
        props.modified = _naive_utc(self.modified)
        props.last_printed = _naive_utc(self.created)

    def _docx_table(self, doc, block: TableBlock, alignment) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        total = sum(block.widths)
        widths = [Mm(TEXT_WIDTH_MM * weight / total) for weight in block.widths]
        if block.caption:
            caption = _add_paragraph(doc, block.caption, self._style_ids["Table Text"])
            caption.alignment = _docx_align("center")
        table = doc.add_table(rows=0, cols=len(block.widths))
        table.style = "Table Grid"
        table.alignment = alignment.CENTER
        table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for index, values in enumerate([*block.header, *block.rows]):
            is_header = index < len(block.header)
            row = table.add_row()
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if is_header:
                properties.append(OxmlElement("w:tblHeader"))
            bold = is_header or (index - len(block.header)) in block.bold_rows
            for position, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = widths[position]
                paragraph = cell.paragraphs[0]
                _set_style(paragraph, self._style_ids["Table Text"])
                run = paragraph.add_run(cell_text(value))
                run.bold = bold
                if is_header:
                    paragraph.alignment = _docx_align("center")
                elif block.numeric[position]:
                    paragraph.alignment = _docx_align("right")
                else:
                    paragraph.alignment = _docx_align("left")
        _add_paragraph(doc, "", self._style_ids["Table Text"])

    def _docx_signature(self, doc, block: Signature) -> None:
        from docx.shared import Pt

        doc.add_paragraph("")
        lines = ([SEAL_LABEL] if block.seal else []) + [block.organisation, cn_date(block.day)]
        for text in lines:
            paragraph = doc.add_paragraph(text)
            paragraph.alignment = _docx_align("right")
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * 4 if text == lines[-1] else BODY_PT * 2)

    # PDF ------------------------------------------------------------------------------------------------

    def pdf(self) -> bytes:
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import PageBreak as PdfPageBreak
        from reportlab.platypus import Paragraph as PdfParagraph
        from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

        font = _pdf_font()
        styles = _pdf_styles(font)
        out = io.BytesIO()
        template = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=MARGINS_MM["left"] * mm,
            rightMargin=MARGINS_MM["right"] * mm,
            topMargin=MARGINS_MM["top"] * mm,
            bottomMargin=MARGINS_MM["bottom"] * mm,
            title=self.title,
            author=self.author,
            subject=self.subject,
            keywords=self.keywords,
            creator=self.author,
            lang=self.language,
        )
        story = [PdfParagraph(_markup(self.title), styles["title"])]
        for block in self.blocks:
            if isinstance(block, Heading):
                story.append(PdfParagraph(_markup(block.text), styles[f"h{block.level}"]))
            elif isinstance(block, Paragraph):
                style = styles["note" if block.small else "body"]
                story.append(PdfParagraph(_markup(block.text), _pdf_variant(style, block.align, block.indent)))
            elif isinstance(block, TableBlock):
                total = sum(block.widths)
                widths = [TEXT_WIDTH_MM * mm * weight / total for weight in block.widths]
                data = []
                for index, values in enumerate([*block.header, *block.rows]):
                    is_header = index < len(block.header)
                    bold = is_header or (index - len(block.header)) in block.bold_rows
                    row = []
                    for position, value in enumerate(values):
                        if is_header:
                            style = styles["th"]
                        elif block.numeric[position]:
                            style = styles["td_number"]
                        else:
                            style = styles["td"]
                        text = _markup(cell_text(value))
                        row.append(PdfParagraph(f"<b>{text}</b>" if bold and not is_header else text, style))
                    data.append(row)
                if block.caption:
                    story.append(PdfParagraph(_markup(block.caption), styles["caption"]))
                table = Table(data, colWidths=widths, repeatRows=len(block.header), splitByRow=1)
                table.setStyle(
                    TableStyle(
                        [
                            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                            ("BACKGROUND", (0, 0), (-1, len(block.header) - 1), colors.HexColor("#eeeeee")),
                            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                            ("TOPPADDING", (0, 0), (-1, -1), 2),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ]
                    )
                )
                story += [table, Spacer(1, 8)]
            elif isinstance(block, Signature):
                story.append(Spacer(1, BODY_PT * 2))
                if block.seal:
                    story.append(PdfParagraph(SEAL_LABEL, styles["seal"]))
                story.append(PdfParagraph(_markup(block.organisation), styles["signature"]))
                story.append(PdfParagraph(cn_date(block.day), styles["signature_date"]))
            elif isinstance(block, PageBreak):
                story.append(PdfPageBreak())
        template.build(story, canvasmaker=_numbered_canvas(font))
        return out.getvalue()


# Helpers ----------------------------------------------------------------------------------------------


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    """python-docx writes core-property dates as given, with a Z: hand it UTC."""
    if timezone.is_aware(moment):
        return moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def _app_properties(company: str, pages: int) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>python-docx</Application><Pages>{pages}</Pages><Company>{escape(company)}</Company>"
        "</Properties>"
    ).encode()


def _set_style(paragraph, style_id: str) -> None:
    """A paragraph style by its id, straight into the XML: python-docx's own setter looks the style up among
    all the styles for every paragraph (seconds for a report with many tables)."""
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id


def _add_paragraph(doc, text: str, style_id: str):
    paragraph = doc.add_paragraph(text)
    _set_style(paragraph, style_id)
    return paragraph


def _docx_align(name: str):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[name]


def _docx_font(style, east_asian: str, size_pt: float, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = "Times New Roman"
    style.font.size = Pt(size_pt)
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.italic = False
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _docx_no_border(style) -> None:
    """python-docx's Title style has a bottom border and a theme colour: a 公文 title has neither."""
    from docx.oxml.ns import qn

    properties = style.element.pPr
    if properties is not None:
        for border in properties.findall(qn("w:pBdr")):
            properties.remove(border)


def _docx_field(paragraph, instruction: str, cached: str) -> None:
    """A field (PAGE, NUMPAGES) Word and LibreOffice compute when they lay the document out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} \\* Arabic "
    run._r.append(text)
    char("separate")
    paragraph.add_run(cached)
    char("end")


def _markup(text: str) -> str:
    """Plain text for a reportlab Paragraph (which reads a little XML): escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


_registered: dict[str, str] = {}


def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics

    if "name" in _registered:
        return _registered["name"]
    if PDF_FONT_FILE:
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("DocumentFont", PDF_FONT_FILE))
        _registered["name"] = "DocumentFont"
    else:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT_NAME))
        _registered["name"] = PDF_FONT_NAME
    return _registered["name"]


def _pdf_styles(font: str) -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    def style(name, size, **options):
        options.setdefault("leading", size * 1.5)
        return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **options)

    return {
        "title": style("title", TITLE_PT, alignment=TA_CENTER, spaceAfter=TITLE_PT, leading=TITLE_PT * 1.4),
        "h1": style("h1", HEADING_PT, firstLineIndent=BODY_PT * 2, spaceBefore=6, spaceAfter=3),
        "h2": style("h2", BODY_PT, firstLineIndent=BODY_PT * 2, spaceBefore=4, spaceAfter=2),
        "body": style("body", BODY_PT, alignment=TA_JUSTIFY, firstLineIndent=BODY_PT * 2),
        "note": style("note", NOTE_PT, alignment=TA_JUSTIFY, firstLineIndent=NOTE_PT * 2),
        "caption": style("caption", TABLE_PT, alignment=TA_CENTER, spaceAfter=2),
        "th": style("th", TABLE_PT, alignment=TA_CENTER, leading=TABLE_PT * 1.3),
        "td": style("td", TABLE_PT, alignment=TA_LEFT, leading=TABLE_PT * 1.3),
        "td_number": style("td_number", TABLE_PT, alignment=TA_RIGHT, leading=TABLE_PT * 1.3),
        "seal": style("seal", BODY_PT, alignment=TA_RIGHT, rightIndent=BODY_PT * 2, textColor="#888888"),
        "signature": style("signature", BODY_PT, alignment=TA_RIGHT, rightIndent=BODY_PT * 2),
        "signature_date": style("signature_date", BODY_PT, alignment=TA_RIGHT, rightIndent=BODY_PT * 4),
    }


def _pdf_variant(style, align: str, indent: bool):
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    alignment = {"justify": TA_JUSTIFY, "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[align]
    if alignment == style.alignment and indent:
        return style
    return ParagraphStyle(
        f"{style.name}-{align}-{indent}",
        parent=style,
        alignment=alignment,
        firstLineIndent=style.firstLineIndent if indent else 0,
    )


def _numbered_canvas(font: str):
    """A canvas that holds its pages back until the end, to write "第 X 页 共 Y 页" on each (reportlab
    itself dates the file: CreationDate and ModDate, now)."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, FOOTER_PT)
                label = PAGE_LABEL.format(page=self._pageNumber, pages=count)
                self.drawCentredString(PAGE_WIDTH_MM * mm / 2, (MARGINS_MM["bottom"] - 14) * mm, label)
                super().showPage()
            super().save()

    return NumberedCanvas

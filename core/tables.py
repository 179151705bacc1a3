"""A table of text, as documents carry it: what the pages, the DOCX, the XLSX and the PDF writers take."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    header: list[str]
    rows: list[list]
    levels: list[int] = field(default_factory=list)  # indentation of each row (sub-rows of the State table)
    caption: str = ""

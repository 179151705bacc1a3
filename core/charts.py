"""Small SVG charts rendered on the server (no chart library, no script). Every label is escaped.

``bar_chart(rows, title=...)`` draws one horizontal bar per (label, value) row, with the value and its share
printed at the end of the bar; the SVG scales to the width of its container, so it works on a phone.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 360
ROW = 26
LABEL_WIDTH = 104
BAR_MAX = 180
TOP = 6


def _short(label: str, limit: int = 7) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(rows: list[tuple[str, int | float]], *, title: str) -> SafeString:
    rows = [(str(label), value or 0) for label, value in rows]
    total = sum(value for _label, value in rows)
    largest = max((value for _label, value in rows), default=0)
    height = TOP * 2 + ROW * max(len(rows), 1)
    parts = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * ROW
        length = round(BAR_MAX * value / largest) if largest else 0
        share = f" ({value / total:.0%})" if total else ""
        parts.append(
            (
                label,
                y + 17,
                _short(label),
                LABEL_WIDTH,
                y + 4,
                length,
                LABEL_WIDTH + length + 6,
                y + 17,
                f"{value:g}{share}",
            )
        )
    body = format_html_join(
        "",
        '<g><title>{}</title><text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" rx="2" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text></g>',
        parts,
    )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        WIDTH,
        height,
        title,
        body,
    )

"""The fields title and text templates are filled with (items.json lists them): the publication day's year,
month, academic year, term and quarter; the college's figures for that academic year; and the values drawn
for each item (context.json)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from core.chinese import cn_number
from demo.datafiles import COLLEGE, CONTEXT
from demo.draws import Ctx, draw_all
from disclosures.models import DisclosureItem, academic_year_label, academic_year_of

FIRST_ACADEMIC_YEAR: int = CONTEXT["first_academic_year"]


def figures(year: int) -> dict[str, Any]:
    """The college's figures for the academic year starting in ``year``: the same in every document."""
    return {name: _figure(spec, year - FIRST_ACADEMIC_YEAR) for name, spec in CONTEXT["figures"].items()}


def _figure(spec: Any, k: int) -> Any:
    """A figure in the ``k``-th year of the demo (see context.json)."""
    if not isinstance(spec, dict):
        return spec
    if "by_year" in spec:
        return spec["by_year"][max(0, min(k, len(spec["by_year"]) - 1))]
    value = spec["from"] + spec["per_year"] * k
    return format(value, spec["format"]) if "format" in spec else value


def calendar_fields(day: datetime.date, n: int) -> Ctx:
    """The fields of the day an item is published on; ``n`` counts the item's editions in the calendar year."""
    year = academic_year_of(day)
    first_term = day.month >= 9 or day.month == 1
    return {
        "college": COLLEGE,
        "y": day.year,
        "py": day.year - 1,
        "ny": day.year + 1,
        "y4": day.year + 4,
        "m": day.month,
        "ay": academic_year_label(year),
        "pay": academic_year_label(year - 1),
        "nay": academic_year_label(year + 1),
        "ay1": year,
        "pay1": year - 1,
        "term": CONTEXT["terms"][0 if first_term else 1],
        "q": CONTEXT["quarter"].format(number=cn_number((day.month - 1) // 3 + 1)),
        "n": cn_number(n),
        "session": cn_number(max(day.year - CONTEXT["first_congress_year"] + 1, 1)),
    }


def build_context(rng: random.Random, item: DisclosureItem, day: datetime.date, n: int) -> Ctx:
    context = calendar_fields(day, n)
    context["dept"] = item.department.name
    context.update(draw_all(rng, CONTEXT["draws"], context))
    context.update(figures(academic_year_of(day)))
    return context

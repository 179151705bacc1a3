"""The demo content's data files (demo/data/*.json), read once, and the types the generator reads them into.

Each file opens with an "about" that says what its fields mean:

- context.json: the college, its figures by academic year, and the values drawn for each item written;
- words.json: the word lists (people's names, majors, enterprises, projects, provinces, meetings);
- items.json: for each disclosure item, its title templates, the text of its bodies, its table and keywords;
- tables.json: the tables of figures, in the small language that demo/tables.py interprets;
- rules.json: the rules that a newer rule amends or repeals;
- texts.json: the fixed wording of the bodies and attachments;
- offices.json: document number prefixes and office phones by department;
- plan.json: which items get drafts, withdrawals, campus-only editions, attachments, and how many.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from disclosures.models import Validity

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def read(name: str) -> dict[str, Any]:
    """The data file ``name`` (without ``.json``), its "about" left out. Callers must not change it."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    data.pop("about", None)
    return data


@dataclass(frozen=True)
class Tpl:
    """A title template, with the months it is published in (none: any) and its own table (None: the item's,
    "": none)."""

    title: str
    months: tuple[int, ...] = ()
    table: str | None = None


@dataclass(frozen=True)
class Spec:
    """What the demo writes for one disclosure item (items.json)."""

    titles: tuple[Tpl, ...]
    lead: str
    points: tuple[str, ...]
    table: str | None = None
    keywords: tuple[str, ...] = ()
    attach: tuple[str, ...] = ()
    rule: bool = False
    count: tuple[int, int] | None = None


@dataclass(frozen=True)
class RulePair:
    """An older rule that a newer one amends or repeals (rules.json)."""

    item: str
    old: str
    new: str
    validity: str


def _template(entry: str | dict[str, Any]) -> Tpl:
    if isinstance(entry, str):
        return Tpl(entry)
    return Tpl(entry["title"], tuple(entry.get("months", ())), entry.get("table"))


def _spec(entry: dict[str, Any]) -> Spec:
    count = entry.get("count")
    return Spec(
        titles=tuple(_template(title) for title in entry["titles"]),
        lead=entry["lead"],
        points=tuple(entry["points"]),
        table=entry.get("table"),
        keywords=tuple(entry.get("keywords", ())),
        attach=tuple(entry.get("attach", ())),
        rule=entry.get("rule", False),
        count=(count[0], count[1]) if count else None,
    )


CONTEXT = read("context")
COLLEGE: str = CONTEXT["college"]
WORDS = read("words")
SPECS: dict[str, Spec] = {code: _spec(entry) for code, entry in read("items")["items"].items()}
TABLES: dict[str, dict[str, Any]] = read("tables")["tables"]
RULE_PAIRS = tuple(
    RulePair(pair["item"], pair["old"], pair["new"], Validity(pair["validity"])) for pair in read("rules")["pairs"]
)
PAIRS_BY_ITEM = {pair.item: pair for pair in RULE_PAIRS}
TEXTS = read("texts")
OFFICES = read("offices")
PLAN = read("plan")

"""The tables of figures in the demo's bodies and attachments, built from tables.json.

A table there has a caption, a header and rows; each entry of its rows is one of:

- a list of cell templates: one fixed row (``["纸质图书", "{books}万册"]``);
- ``{"values": {...}, "cells": [...]}``: one row whose values are drawn first (demo/draws.py says how), in the
  order written, then the cells filled with them; with ``"chance": 0.5`` the row is there half the time;
- the same with ``"each": source``: one such row for each element of the source;
- ``{"compute": name, ...}``: the rows of one of the named functions below, given the entry's other keys.

Sources: ``{"list": [...]}`` every element in order; ``{"sample": word list or list, "count": n or
[fewest, most]}`` that many different elements in random order; ``{"repeat": n or [fewest, most]}``;
``{"provinces": n}`` the college's own province with each of its subject groups, then n-1 other provinces
with one each. An element's fields become values of its row (``province``, ``kind``, ``home``; a major's
``name``, ``code`` and ``school``); a text element takes the name given by ``"as"``. Every row also has
``number`` (counting from 1 in its entry) and ``first``.
"""

from __future__ import annotations

import random
from collections import ChainMap
from collections.abc import Callable, Iterator
from typing import Any

from core.tables import Table
from demo.datafiles import TABLES, WORDS
from demo.draws import Ctx, count, draw_all, fill, pct, word_list

Row = list[str]


def build_table(rng: random.Random, name: str, ctx: Ctx) -> Table:
    """The table ``name`` of tables.json, for the item whose fields are ``ctx``."""
    spec = TABLES[name]
    decks: dict[int, list] = {}
    rows: list[Row] = []
    for entry in spec["rows"]:
        if isinstance(entry, list):
            rows.append([fill(cell, ctx) for cell in entry])
        elif "compute" in entry:
            rows.extend(COMPUTED[entry["compute"]](rng, entry, ctx))
        else:
            rows.extend(_entry_rows(rng, entry, ctx, decks))
    return Table(header=list(spec["header"]), rows=rows, caption=fill(spec["caption"], ctx))


def _entry_rows(rng: random.Random, entry: dict[str, Any], ctx: Ctx, decks: dict[int, list]) -> Iterator[Row]:
    elements = _source(rng, entry["each"]) if "each" in entry else [{}]
    for number, fields in enumerate(elements, start=1):
        if "chance" in entry and rng.random() >= entry["chance"]:
            continue
        scope = ChainMap({"number": number, "first": number == 1, **fields}, ctx)
        values = draw_all(rng, entry.get("values", {}), scope, decks)
        yield [fill(cell, scope.new_child(values)) for cell in entry["cells"]]


def _source(rng: random.Random, source: dict[str, Any]) -> list[dict[str, Any]]:
    """The elements a row entry iterates over, as the fields of each row (drawn before any row's values)."""
    if "repeat" in source:
        return [{} for _ in range(count(rng, source["repeat"]))]
    if "provinces" in source:
        return _province_rows(rng, source["provinces"])
    if "list" in source:
        elements = list(word_list(source["list"]))
    else:
        how_many = count(rng, source["count"])
        elements = rng.sample(word_list(source["sample"]), how_many)
    return [element if isinstance(element, dict) else {source.get("as", "item"): element} for element in elements]


def _province_rows(rng: random.Random, how_many: int) -> list[dict[str, Any]]:
    """The home province (the first of words.json) with each subject group, then others with one each."""
    home, *others = WORDS["provinces"]
    rows = [{"province": home["name"], "kind": kind, "home": True} for kind in home["kinds"]]
    for province in rng.sample(others, how_many - 1):
        rows.append({"province": province["name"], "kind": rng.choice(province["kinds"]), "home": False})
    return rows


# --------------------------------------------------------------------------------------------------
# Rows that are computed: figures that must add up. Each takes the table entry's keys as its arguments.
# --------------------------------------------------------------------------------------------------


def _split(rng: random.Random, total: float, parts: list[dict[str, Any]], *, whole: bool) -> list[tuple[str, float]]:
    """``total`` split into the parts: each a random share of it (rounded if ``whole``), the last the rest."""
    lines, rest = [], total
    for part in parts:
        if "share" in part:
            value = total * rng.uniform(*part["share"])
            value = round(value) if whole else value
            rest -= value
        else:
            value = rest
        lines.append((part["label"], value))
    return lines


def balanced_budget(rng: random.Random, entry: dict[str, Any], ctx: Ctx) -> list[Row]:
    """Income and spending lines that each add up to the total (the figure named by "total"), this year's
    and last year's (this year's divided by a growth drawn from "growth"), in 10,000 yuan."""
    total = float(ctx[entry["total"]])
    lines = [
        *_split(rng, total, entry["income"], whole=False),
        (entry["income_total"], total),
        *_split(rng, total, entry["spending"], whole=False),
        (entry["spending_total"], total),
    ]
    growth = rng.uniform(*entry["growth"])
    return [[label, f"{value:.2f}", f"{value / growth:.2f}"] for label, value in lines]


def split_total(rng: random.Random, entry: dict[str, Any], ctx: Ctx) -> list[Row]:
    """A head count (the figure named by "total") split into whole parts, each with its share, and the total."""
    total = int(ctx[entry["total"]])
    lines = [*_split(rng, total, entry["parts"], whole=True), (entry["total_label"], total)]
    return [[label, str(value), pct(value, total)] for label, value in lines]


def balance_sheet(rng: random.Random, entry: dict[str, Any], ctx: Ctx) -> list[Row]:
    """Assets, debts and equity at the start and end of the year: the end's assets and debt ratio drawn, the
    start's assets and equity the end's divided by the growth rate (a figure in %, named by "growth"), the
    start's debts the end's times "debts_at_start"."""
    assets = rng.uniform(*entry["assets"])
    debts = assets * rng.uniform(*entry["debt_ratio"])
    growth = float(ctx[entry["growth"]]) / 100
    start_and_end = (
        (assets / growth, assets),
        (debts * entry["debts_at_start"], debts),
        ((assets - debts) / growth, assets - debts),
    )
    return [
        [label, f"{start:.2f}", f"{end:.2f}"]
        for label, (start, end) in zip(entry["labels"], start_and_end, strict=True)
    ]


COMPUTED: dict[str, Callable[[random.Random, dict[str, Any], Ctx], list[Row]]] = {
    "balanced_budget": balanced_budget,
    "split_total": split_total,
    "balance_sheet": balance_sheet,
}

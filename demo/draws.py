"""Values the data files ask for, drawn from the seeded random generator, and templates filled with them.

A value (in tables.json, and in context.json's draws) is a template or a number, or one of these objects:

- ``"{name}专业教师"``: a template, filled with the values so far (``fill``); ``3``, ``0.97``: themselves;
- ``{"int": [3, 9]}``: a whole number from 3 to 9; ``{"float": [90.5, 98.9]}``: a number in that range;
- ``{"pick": "majors"}``: an element of a word list of words.json, or of a list given in its place;
  ``"field": "name"`` takes one field of the element picked;
- ``{"person": true}``: a made-up name, a surname and one or two given-name characters;
- ``{"deal": ["招生", "新增", …]}``: the list shuffled once per table, each row taking the next element;
- ``{"sum": ["base", 0.5]}``, ``"difference"``, ``"product"``: the operands (numbers, names of values so far,
  or values) added, subtracted or multiplied from left to right;
- ``{"share": ["placed", "graduates"]}``: the first as a percentage of the second, ``"87.5%"``;
- ``{"if": "home", "then": …, "else": …}``: one value or the other, as the named value is true or not.

Any of them may add ``"format": ".1f"``, a Python format spec that makes the number text. The random
generator is called in the order the values are written, so the same seed gives the same content.
"""

from __future__ import annotations

import functools
import operator
import random
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from demo.datafiles import WORDS

Ctx = dict[str, Any]  # the values a title, text or cell template is filled with


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``"{y}年{month}月"`` with the values; Python format specs apply (``{amount:.2f}``, ``{number:02d}``)."""
    return template.format_map(values)


def person(rng: random.Random) -> str:
    surname = rng.choice(WORDS["surnames"])
    length = rng.choice(WORDS["given_name_lengths"])
    return surname + "".join(rng.choice(WORDS["given_names"]) for _ in range(length))


def pct(part: float, whole: float) -> str:
    """87.5%: ``part`` as a percentage of ``whole``, to one decimal place (— for a whole of 0)."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


def count(rng: random.Random, spec: int | list[int]) -> int:
    """A count given as a number or as a range [fewest, most]."""
    return spec if isinstance(spec, int) else rng.randint(spec[0], spec[1])


def word_list(spec: str | list) -> list:
    """A word list of words.json by name, or the list given in place."""
    return WORDS[spec] if isinstance(spec, str) else spec


def draw(rng: random.Random, spec: Any, values: Mapping[str, Any], decks: dict[int, list] | None = None) -> Any:
    """The value ``spec`` asks for (see the module's table). ``values``: those drawn so far and the item's
    fields, for templates and operands. ``decks``: the shuffled lists of ``deal`` values, one set per table."""
    if isinstance(spec, str):
        return fill(spec, values)
    if not isinstance(spec, dict):
        return spec
    value = _draw(rng, spec, values, decks)
    return format(value, spec["format"]) if "format" in spec else value


def _draw(rng: random.Random, spec: dict[str, Any], values: Mapping[str, Any], decks: dict[int, list] | None) -> Any:
    if "int" in spec:
        return rng.randint(*spec["int"])
    if "float" in spec:
        return rng.uniform(*spec["float"])
    if "pick" in spec:
        picked = rng.choice(word_list(spec["pick"]))
        return picked[spec["field"]] if "field" in spec else picked
    if "person" in spec:
        return person(rng)
    if "deal" in spec:
        if decks is None:
            raise ValueError("a deal value belongs in a table's rows")
        deck = decks.get(id(spec))
        if deck is None:
            deck = decks[id(spec)] = list(spec["deal"])
            rng.shuffle(deck)
        return deck.pop(0)
    if "if" in spec:
        return draw(rng, spec["then"] if values[spec["if"]] else spec["else"], values, decks)
    if "share" in spec:
        part, whole = (_operand(rng, operand, values, decks) for operand in spec["share"])
        return pct(part, whole)
    for name, combine in _ARITHMETIC.items():
        if name in spec:
            return functools.reduce(combine, [_operand(rng, operand, values, decks) for operand in spec[name]])
    raise ValueError(f"not a value the demo data can ask for: {spec!r}")


_ARITHMETIC = {"sum": operator.add, "difference": operator.sub, "product": operator.mul}  # from left to right


def _operand(rng: random.Random, operand: Any, values: Mapping[str, Any], decks: dict[int, list] | None) -> float:
    """A number, the name of a value so far (a figure written as text, such as {r2}, reads as its number), or a
    value to draw."""
    if isinstance(operand, str):
        value = values[operand]
        return float(value) if isinstance(value, str) else value
    return draw(rng, operand, values, decks)


def draw_all(
    rng: random.Random, specs: Mapping[str, Any], values: Mapping[str, Any], decks: dict[int, list] | None = None
) -> Ctx:
    """The values ``specs`` names, drawn in order; each sees those before it."""
    drawn: Ctx = {}
    scope = ChainMap(drawn, values)
    for name, spec in specs.items():
        drawn[name] = draw(rng, spec, scope, decks)
    return drawn

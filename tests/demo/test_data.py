"""The demo's data files hold together: what one names, another has, and every template and table fills."""

import datetime
import random

import pytest

from demo.context import calendar_fields, figures
from demo.datafiles import CONTEXT, PLAN, RULE_PAIRS, SPECS, TABLES, WORDS
from demo.draws import draw_all, fill
from demo.tables import build_table
from disclosures.models import DisclosureItem


def item_fields(day: datetime.date) -> dict:
    rng = random.Random(1)
    fields = {**calendar_fields(day, 2), "dept": "党政办公室", "k": 3}
    fields |= draw_all(rng, CONTEXT["draws"], fields)
    return fields | figures(2024)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_builds_with_a_cell_for_each_column(name):
    fields = item_fields(datetime.date(2024, 10, 15))
    for seed in range(5):
        table = build_table(random.Random(seed), name, fields)
        assert table.caption and table.rows, name
        assert all(len(row) == len(table.header) for row in table.rows), name


def test_every_template_fills_and_every_table_named_exists():
    fields = item_fields(datetime.date(2025, 3, 10))
    for code, spec in SPECS.items():
        for template in spec.titles:
            assert fill(template.title, fields), code
            assert template.table in (None, "") or template.table in TABLES, code
        assert spec.table is None or spec.table in TABLES, code
        for text in (spec.lead, *spec.points):
            assert fill(text, fields), code
    for meeting in WORDS["meetings"]:
        assert fill(meeting, fields)


@pytest.mark.django_db
def test_the_item_codes_are_those_of_the_catalogue():
    catalogue = set(DisclosureItem.objects.values_list("code", flat=True))
    assert set(SPECS) <= catalogue
    named = {*PLAN["drafts"], *PLAN["current_year"], *PLAN["campus_candidates"], *PLAN["withdrawable"]}
    named |= {PLAN["campus_item"], *PLAN["overdue_this_year"], *(pair.item for pair in RULE_PAIRS)}
    assert named <= set(SPECS)

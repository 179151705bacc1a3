import json
from pathlib import Path

import pytest

from disclosures.models import Cadence, Category, Department, DisclosureItem

CATALOGUE = Path(__file__).resolve().parents[2] / "disclosures" / "data" / "catalogue.json"


@pytest.mark.django_db
def test_the_fourteen_categories_are_seeded_in_order():
    names = list(Category.objects.values_list("name", flat=True))
    assert names == [
        "学校概况",
        "制度规范",
        "整体工作",
        "学生事务",
        "教育教学",
        "重点建设",
        "校企合作",
        "帮困助学",
        "教师人事",
        "收费管理",
        "财务",
        "资产和采购",
        "后勤保障",
        "监督工作",
    ]


@pytest.mark.django_db
def test_every_disclosure_item_of_the_file_is_seeded_with_its_department_and_cadence():
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    expected = {item["code"]: item for category in data["categories"] for item in category["items"]}
    seeded = {item.code: item for item in DisclosureItem.objects.select_related("department", "category")}
    # migration 0008 moves 07.03 (中外合作办学) to 05.08 and adds 04.08, 05.09 (Order 29 art. 7(5)), 05.10 and
    # 14.05 (the 2014 list's gaps)
    assert set(seeded) == set(expected) - {"07.03"} | {"05.08", "04.08", "05.09", "05.10", "14.05"}
    annual = seeded["11.02"]
    assert annual.cadence == Cadence.ANNUAL and annual.month == 3
    assert annual.department.code == "finance"
    assert annual.category.name == "财务"
    assert seeded["09.04"].default_audience == "campus"
    assert Department.objects.filter(code="xxgk", name="信息公开办公室").exists()


def test_the_seed_migration_is_reversible(django_db_blocker, django_db_setup):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("migrate", "disclosures", "0001", verbosity=0)
        assert Category.objects.count() == 0
        call_command("migrate", "disclosures", verbosity=0)
        assert Category.objects.count() == 14

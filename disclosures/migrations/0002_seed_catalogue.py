"""Seed the departments, the fourteen categories and their disclosure items from the catalogue file.

The file is a copy kept inside the project (disclosures/data/catalogue.json); reversing removes what
this migration added, leaving anything staff created themselves.
"""

import json
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "catalogue.json"


def load():
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def seed(apps, schema_editor):
    Department = apps.get_model("disclosures", "Department")
    Category = apps.get_model("disclosures", "Category")
    DisclosureItem = apps.get_model("disclosures", "DisclosureItem")
    data = load()
    departments = {}
    for order, row in enumerate(data["departments"]):
        departments[row["code"]], _ = Department.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "name_en": row.get("name_en", ""), "order": order}
        )
    for order, row in enumerate(data["categories"]):
        category, _ = Category.objects.update_or_create(
            code=row["code"],
            defaults={"slug": row["slug"], "name": row["name"], "name_en": row.get("name_en", ""), "order": order},
        )
        for item_order, item in enumerate(row["items"]):
            DisclosureItem.objects.update_or_create(
                code=item["code"],
                defaults={
                    "category": category,
                    "title": item["title"],
                    "basis": item.get("basis", ""),
                    "department": departments[item["department"]],
                    "cadence": item["cadence"],
                    "month": item.get("month"),
                    "default_audience": item.get("audience", "public"),
                    "order": item_order,
                },
            )


def unseed(apps, schema_editor):
    data = load()
    apps.get_model("disclosures", "DisclosureItem").objects.filter(
        code__in=[item["code"] for row in data["categories"] for item in row["items"]]
    ).delete()
    apps.get_model("disclosures", "Category").objects.filter(
        code__in=[row["code"] for row in data["categories"]]
    ).delete()
    apps.get_model("disclosures", "Department").objects.filter(
        code__in=[row["code"] for row in data["departments"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

"""The 2014 list as data, and the catalogue made to cover it.

Seeds the ten classes and fifty items of 《高等学校信息公开事项清单》 (教办函〔2014〕23号) from
disclosures/data/moe_list_2014.json, ties every catalogue item to the list items it implements and to the
clause of Article 7 of 《高等学校信息公开办法》 (MoE Order No. 29) it carries out, replaces the development
notes in "basis" ("MoE list 7", "seed report") with citations the public can read, gives every item its
English title, and fixes the catalogue:
- 05.02 names 全校开设课程总门数 and 选修课学分比例 (list item 29); 12.03 names 药品 (item 18);
- 中外合作办学 (item 47) moves from 校企合作 (07.03) to 教育教学 as 05.08, its disclosures with it;
- new items: 05.09 教学与科研成果评选及国家组织的教学评估结果 (Order 29 art. 7(5), no list item), 05.10 艺术教育发展年度报告 (item 34), 04.08 来华留学生管理相关规定
  (item 48), 14.05 涉及学校的重大事件的调查和处理情况 (the second half of item 50).
Existing disclosures stay attached to their items. Reversing undoes the move and the titles, and removes the
new items unless something was published under them.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def forward(apps, schema_editor):
    ListClass = apps.get_model("disclosures", "ListClass")
    ListItem = apps.get_model("disclosures", "ListItem")
    Category = apps.get_model("disclosures", "Category")
    Department = apps.get_model("disclosures", "Department")
    DisclosureItem = apps.get_model("disclosures", "DisclosureItem")
    Disclosure = apps.get_model("disclosures", "Disclosure")
    data = load("moe_list_2014.json")
    classes = {}
    for row in data["classes"]:
        classes[row["number"]], _ = ListClass.objects.update_or_create(
            number=row["number"], defaults={"name": row["name"], "name_en": row["name_en"]}
        )
    list_items = {}
    for row in data["items"]:
        list_items[row["number"]], _ = ListItem.objects.update_or_create(
            number=row["number"],
            defaults={
                "list_class": classes[row["klass"]],
                "text": row["text"],
                "text_en": row["text_en"],
                "order29_clause": row["order29_clause"],
                "applicable": row["applicable"],
                "reason": row.get("reason", ""),
                "reason_en": row.get("reason_en", ""),
            },
        )
    changes = data["changes"]
    for old_code, move in changes["move"].items():
        item = DisclosureItem.objects.filter(code=old_code).first()
        if item is None or DisclosureItem.objects.filter(code=move["code"]).exists():
            continue
        old_category = item.category_id
        category = Category.objects.get(code=move["category"])
        item.code, item.category, item.title = move["code"], category, move["title"]
        item.order = DisclosureItem.objects.filter(category=category).count() + 1
        item.save()
        Disclosure.objects.filter(item_id=item.pk, category_id=old_category).update(category=category)
        data["catalogue"][move["code"]] = {
            "list": move["list"],
            "order29_clause": move["clause"],
            "title_en": move["title_en"],
            "basis": "",
            "basis_en": "",
        }
    fallback = Department.objects.order_by("order").first()
    for new in changes["new"]:
        category = Category.objects.filter(code=new["category"]).first()
        if category is None or fallback is None:
            continue
        item, created = DisclosureItem.objects.get_or_create(
            code=new["code"],
            defaults={
                "category": category,
                "title": new["title"],
                "department": Department.objects.filter(code=new["department"]).first() or fallback,
                "cadence": new["cadence"],
                "order": DisclosureItem.objects.filter(category=category).count() + 1,
            },
        )
        data["catalogue"][new["code"]] = {
            "list": new["list"],
            "order29_clause": new["clause"],
            "title_en": new["title_en"],
            "basis": "",
            "basis_en": "",
        }
    for code, title in changes["title"].items():
        DisclosureItem.objects.filter(code=code).update(title=title)
    for code, row in data["catalogue"].items():
        item = DisclosureItem.objects.filter(code=code).first()
        if item is None:
            continue
        item.order29_clause = row["order29_clause"]
        item.title_en = item.title_en or row["title_en"]
        item.basis, item.basis_en = row["basis"], row["basis_en"]
        item.save(update_fields=["order29_clause", "title_en", "basis", "basis_en"])
        item.list_items.set([list_items[number] for number in row["list"]])


def backward(apps, schema_editor):
    DisclosureItem = apps.get_model("disclosures", "DisclosureItem")
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Category = apps.get_model("disclosures", "Category")
    data = load("moe_list_2014.json")
    seed = {
        item["code"]: (row["code"], item, order)
        for row in load("catalogue.json")["categories"]
        for order, item in enumerate(row["items"])
    }
    used = set(Disclosure.objects.filter(item__isnull=False).values_list("item_id", flat=True))
    unused = [
        pk
        for pk in DisclosureItem.objects.filter(code__in=[new["code"] for new in data["changes"]["new"]]).values_list(
            "pk", flat=True
        )
        if pk not in used
    ]
    # Plain SQL deletes: the deletion collector of this historical state trips over the relations other apps
    # declare to DisclosureItem; nothing but the list links points at an item nothing was published under.
    alias = schema_editor.connection.alias
    DisclosureItem.list_items.through.objects.filter(disclosureitem_id__in=unused)._raw_delete(alias)
    DisclosureItem.objects.filter(pk__in=unused)._raw_delete(alias)
    for old_code, move in data["changes"]["move"].items():
        item = DisclosureItem.objects.filter(code=move["code"]).first()
        if item is None or old_code not in seed:
            continue
        category = Category.objects.get(code=seed[old_code][0])
        new_category = item.category_id
        item.code, item.category, item.title = old_code, category, seed[old_code][1]["title"]
        item.order = seed[old_code][2]
        item.save()
        Disclosure.objects.filter(item_id=item.pk, category_id=new_category).update(category=category)
    english = {code: row["title_en"] for code, row in data["catalogue"].items()}
    english.update({move["code"]: move["title_en"] for move in data["changes"]["move"].values()})
    for code, (_category, row, _order) in seed.items():
        DisclosureItem.objects.filter(code=code).update(title=row["title"], basis=row.get("basis", ""))
        # the English title this migration gave, taken back (one staff wrote themselves stays)
        title_en = english.get(code) or english.get(data["changes"]["move"].get(code, {}).get("code", ""))
        if title_en:
            DisclosureItem.objects.filter(code=code, title_en=title_en).update(title_en="")


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0007_catalogue_report_moe_list")]
    operations = [migrations.RunPython(forward, backward)]

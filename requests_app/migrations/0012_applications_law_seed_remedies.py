"""The remedy bodies every notice names (Order 29 art. 30: the college's supervision office and the provincial
education department for 举报; 条例 art. 51: complaints, reconsideration, litigation), seeded with placeholders
that the college replaces in the admin; until then the inbox flags them. Reconsideration and litigation start
disabled: a college enables them where they apply to it."""

from django.db import migrations

P = "【待填写】"
BODIES = [
    ("office", "学校信息公开办公室", f"地址{P}；电话{P}；电子邮箱{P}", "", True),
    ("supervision", "学校纪检监察机构", f"地址{P}；电话{P}", "", True),
    ("education_department", f"{P}省教育厅", f"地址{P}；电话{P}", "", True),
    (
        "reconsideration",
        f"{P}",
        f"地址{P}",
        "自收到本告知书之日起六十日内（《中华人民共和国行政复议法》第二十条）",
        False,
    ),
    (
        "litigation",
        f"{P}人民法院",
        f"地址{P}",
        "自收到本告知书之日起六个月内（《中华人民共和国行政诉讼法》第四十六条）",
        False,
    ),
]


def seed(apps, schema_editor):
    RemedyBody = apps.get_model("requests_app", "RemedyBody")
    for kind, name, contact, time_limit, enabled in BODIES:
        RemedyBody.objects.get_or_create(
            kind=kind, defaults={"name": name, "contact": contact, "time_limit": time_limit, "enabled": enabled}
        )


def unseed(apps, schema_editor):
    apps.get_model("requests_app", "RemedyBody").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0011_applications_law_remedies_reviews")]

    operations = [migrations.RunPython(seed, unseed)]

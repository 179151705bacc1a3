"""The remedy bodies every notice names (Order 29: the college's supervision office and the provincial
education department for 举报; 条例 art. 51, 55 para. 2: complaints, reconsideration, litigation; time limits:
行政复议法 (2023) art. 20 para. 1, art. 23 para. 1 item 4; 行政诉讼法 art. 46 para. 1, texts checked 2026-12-02), seeded with placeholders
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
        "自知道或者应当知道该行政行为之日起六十日内（《中华人民共和国行政复议法》第二十条第一款）",
        False,
    ),
    (
        "litigation",
        f"{P}人民法院",
        f"地址{P}",
        "自知道或者应当知道该行政行为之日起六个月内（《中华人民共和国行政诉讼法》第四十六条第一款）；属于《中华人民共和国"
        "行政复议法》第二十三条第一款第（四）项情形（申请政府信息公开，不予公开）的，应当先申请行政复议",
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

"""The handlers record reconsiderations and lawsuits and read the notice templates and remedy bodies; the office
head also edits the notice templates and the remedy bodies (their names and contacts appear in every notice)."""

from django.db import migrations

HANDLERS = "依申请公开办理人员"
OFFICE_HEAD = "信息公开办公室负责人"
MODELS = {
    "reviewcase": "reconsideration or lawsuit",
    "noticetemplate": "notice template",
    "remedybody": "remedy body",
    "notice": "notice",
}
HANDLER_PERMISSIONS = [
    ("reviewcase", "view"),
    ("reviewcase", "add"),
    ("reviewcase", "change"),
    ("noticetemplate", "view"),
    ("remedybody", "view"),
    ("notice", "view"),
]
HEAD_PERMISSIONS = [*HANDLER_PERMISSIONS, ("noticetemplate", "change"), ("remedybody", "change")]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, wanted in ((HANDLERS, HANDLER_PERMISSIONS), (OFFICE_HEAD, HEAD_PERMISSIONS)):
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for model, action in wanted:
            content_type, _ = ContentType.objects.get_or_create(app_label="requests_app", model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {MODELS[model]}"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0016_applications_law_to_proactive")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

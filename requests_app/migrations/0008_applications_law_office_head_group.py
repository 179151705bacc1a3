"""The office head's group (信息公开办公室负责人): everything the handlers do, plus approving an extension of the
time limit (政府信息公开条例 art. 33: 经政府信息公开工作机构负责人同意)."""

from django.db import migrations

GROUP = "信息公开办公室负责人"
HANDLERS = "依申请公开办理人员"
APPROVE = ("approve_extension", "Can approve an extension of the time limit (office head)")


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="requests_app", model="disclosureapplication")
    approve, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=APPROVE[0], defaults={"name": APPROVE[1]}
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(approve)
    handlers = Group.objects.filter(name=HANDLERS).first()
    if handlers is not None:
        group.permissions.add(*handlers.permissions.all())


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0007_applications_law_clock_and_channels")]

    # Going back keeps the group and its members (a group is a grant, not schema): forward again finds it.
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]

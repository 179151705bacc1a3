"""A staff group for the disclosure office's application handlers: the handling permission (which shows
applicants' personal data) plus editing the guide and the reply-letter templates."""

from django.db import migrations

GROUP = "依申请公开办理人员"
PERMISSIONS = {
    "disclosureapplication": [
        ("handle_application", "Can handle applications and see applicants' personal data"),
        ("view_disclosureapplication", "Can view application for disclosure"),
    ],
    "applicationguide": [
        ("view_applicationguide", "Can view application guide"),
        ("change_applicationguide", "Can change application guide"),
    ],
    "replytemplate": [
        ("view_replytemplate", "Can view reply letter template"),
        ("change_replytemplate", "Can change reply letter template"),
    ],
}


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, permissions in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="requests_app", model=model)
        for codename, name in permissions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0002_seed_guide_and_reply_templates"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]

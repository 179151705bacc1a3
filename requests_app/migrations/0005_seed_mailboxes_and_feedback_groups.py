"""Seed the two leaders' mailboxes (书记信箱, 校长信箱; editable in the admin) and one staff group per
feedback channel with its permissions. Staff are put into the groups in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MAILBOXES = [
    ("secretary", "书记信箱", "写给学校党委书记的信件，由党委办公室工作人员阅处。", 1),
    ("president", "校长信箱", "写给学校校长的信件，由校长办公室工作人员阅处。", 2),
]

GROUPS = {
    "在线咨询受理": ["handle_consultation", "view_consultation"],
    "监督投诉受理": ["handle_complaint", "view_complaint"],
    "领导信箱阅处": ["handle_mailbox", "view_mailboxmessage"],
    "评议管理": [
        "add_survey",
        "change_survey",
        "view_survey",
        "add_surveyquestion",
        "change_surveyquestion",
        "delete_surveyquestion",
        "view_surveyquestion",
    ],
}


def seed(apps, schema_editor):
    Mailbox = apps.get_model("requests_app", "Mailbox")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for slug, name, description, order in MAILBOXES:
        Mailbox.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "order": order})
    # Permissions are normally created after migrations; create them now so the groups can hold them.
    app_config = apps.get_app_config("requests_app")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for group_name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="requests_app", codename__in=codenames)
        )


def unseed(apps, schema_editor):
    Mailbox = apps.get_model("requests_app", "Mailbox")
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=GROUPS).delete()
    Mailbox.objects.filter(slug__in=[slug for slug, *_rest in MAILBOXES], messages__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0004_feedback_channels"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

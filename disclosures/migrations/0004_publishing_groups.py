"""Staff groups of the publishing workflow and their permissions.

Department editors (信息公开联系人) write their departments' items and submit them; department heads give
the optional first approval; the disclosure office (信息公开办公室) reviews, approves, publishes and
withdraws for every department and reads the compliance dashboard; site administrators manage the
catalogue and everyone's accounts. Which departments a person works for is recorded separately
(DepartmentMembership). Reversing removes the groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "部门信息公开联系人": [
        "view_disclosure",
        "add_disclosure",
        "change_disclosure",
        "submit_disclosure",
        "view_attachment",
        "add_attachment",
        "change_attachment",
        "delete_attachment",
        "view_auditevent",
        "view_review",
        "view_disclosureitem",
        "view_category",
        "view_department",
    ],
    "部门负责人": [
        "view_disclosure",
        "endorse_disclosure",
        "view_attachment",
        "view_auditevent",
        "view_review",
        "view_disclosureitem",
        "view_category",
        "view_department",
    ],
    "信息公开办公室审核人": [
        "view_disclosure",
        "review_disclosure",
        "publish_disclosure",
        "withdraw_disclosure",
        "view_compliance",
        "view_attachment",
        "view_auditevent",
        "view_review",
        "view_disclosureitem",
        "view_category",
        "view_department",
        "view_departmentmembership",
        "view_calendarday",
    ],
    "网站管理员": [
        "view_disclosure",
        "add_disclosure",
        "change_disclosure",
        "submit_disclosure",
        "manage_all_departments",
        "view_compliance",
        "view_attachment",
        "add_attachment",
        "change_attachment",
        "delete_attachment",
        "view_auditevent",
        "view_review",
        "view_disclosureitem",
        "add_disclosureitem",
        "change_disclosureitem",
        "view_category",
        "change_category",
        "view_department",
        "add_department",
        "change_department",
        "view_departmentmembership",
        "add_departmentmembership",
        "change_departmentmembership",
        "delete_departmentmembership",
        "view_calendarday",
        "add_calendarday",
        "change_calendarday",
        "delete_calendarday",
        "view_user",
        "add_user",
        "change_user",
        "view_group",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so they can be granted.
    for app_label in ("auth", "contenttypes", "disclosures"):
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label__in=["disclosures", "auth"], codename__in=codenames
        )
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUPS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0003_publishing_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]

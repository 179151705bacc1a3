"""The disclosure office and the site administrators edit the disclosure guide (/guide/: 《高等学校信息公开办法》
asks the college for one, and the 2019 Regulation's art. 12 says what it holds and that it is kept up to date) and
mark the 2014 list's items applicable or not (不适用, with the reason). Until now only superusers could, so the
guide's placeholders stayed and their to-do line showed to nobody else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("信息公开办公室审核人", "网站管理员")
CODENAMES = ("view_disclosureguide", "change_disclosureguide", "view_listitem", "change_listitem", "view_listclass")


def grant(apps, schema_editor):
    config = apps.get_app_config("disclosures")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="disclosures", codename__in=CODENAMES))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0011_merge_parallel_work")]

    # Back: the rights stay (as the other grants' migrations do), so a round trip keeps every grant row as it was.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

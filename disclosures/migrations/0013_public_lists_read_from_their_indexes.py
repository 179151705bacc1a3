# The public lists read from their indexes alone: each gains the two recorded checks (models.PUBLIC_CHECKS).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0012_office_edits_guide_and_list"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="disclosure",
            name="disclosure_public_pub",
        ),
        migrations.RemoveIndex(
            model_name="disclosure",
            name="disclosure_cat_pub",
        ),
        migrations.RemoveIndex(
            model_name="disclosure",
            name="disclosure_item_pub",
        ),
        migrations.RemoveIndex(
            model_name="disclosure",
            name="disclosure_dept_pub",
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(
                fields=["status", "audience", "published_at", "id", "security_checked_at", "approved_at"],
                name="disclosure_public_vis",
            ),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(
                fields=["category", "status", "audience", "published_at", "id", "security_checked_at", "approved_at"],
                name="disclosure_cat_vis",
            ),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(
                fields=["item", "status", "audience", "published_at", "id", "security_checked_at", "approved_at"],
                name="disclosure_item_vis",
            ),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(
                fields=["department", "status", "audience", "published_at", "id", "security_checked_at", "approved_at"],
                name="disclosure_dept_vis",
            ),
        ),
    ]

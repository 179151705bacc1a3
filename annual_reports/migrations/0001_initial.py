"""Annual reports, taken over from portal with their tables (portal_annualreport, portal_annualreportevent)."""

import core.richtext
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import MoveContentTypes


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_annual_report_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's record of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AnnualReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "year",
                            models.PositiveSmallIntegerField(
                                help_text="The first calendar year: 2025 for 2025-2026.",
                                unique=True,
                                verbose_name="academic year",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("published", "Published")],
                                default="draft",
                                editable=False,
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("compiled", "Compiled from the site's records"),
                                    ("imported", "Imported from a text written elsewhere"),
                                ],
                                default="compiled",
                                editable=False,
                                max_length=20,
                                verbose_name="source",
                            ),
                        ),
                        ("published_on", models.DateField(blank=True, null=True, verbose_name="publication date")),
                        ("preface", core.richtext.SanitizedRichTextField(blank=True, verbose_name="preface")),
                        ("overview", core.richtext.SanitizedRichTextField(blank=True, verbose_name="overview")),
                        (
                            "proactive",
                            core.richtext.SanitizedRichTextField(blank=True, verbose_name="proactive disclosure"),
                        ),
                        (
                            "special",
                            core.richtext.SanitizedRichTextField(blank=True, verbose_name="special disclosure"),
                        ),
                        (
                            "applications",
                            core.richtext.SanitizedRichTextField(
                                blank=True, verbose_name="disclosure on application and refusals"
                            ),
                        ),
                        (
                            "evaluation",
                            core.richtext.SanitizedRichTextField(
                                blank=True, verbose_name="evaluation of the disclosure work"
                            ),
                        ),
                        (
                            "complaints",
                            core.richtext.SanitizedRichTextField(
                                blank=True, verbose_name="complaints about the disclosure work"
                            ),
                        ),
                        (
                            "experience",
                            core.richtext.SanitizedRichTextField(
                                blank=True, verbose_name="experience, problems and improvements"
                            ),
                        ),
                        ("other", core.richtext.SanitizedRichTextField(blank=True, verbose_name="other matters")),
                        (
                            "snapshot",
                            models.JSONField(blank=True, default=dict, editable=False, verbose_name="compiled figures"),
                        ),
                        (
                            "compiled_at",
                            models.DateTimeField(blank=True, editable=False, null=True, verbose_name="compiled at"),
                        ),
                        (
                            "import_notes",
                            models.JSONField(blank=True, default=list, editable=False, verbose_name="import notes"),
                        ),
                        ("source_text", models.TextField(blank=True, editable=False, verbose_name="imported text")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                    ],
                    options={
                        "verbose_name": "annual report",
                        "verbose_name_plural": "annual reports",
                        "db_table": "portal_annualreport",
                        "ordering": ["-year"],
                        "permissions": [("publish_annualreport", "Can publish annual reports")],
                    },
                ),
                migrations.CreateModel(
                    name="AnnualReportEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("created", "Created"),
                                    ("edited", "Edited"),
                                    ("compiled", "Figures compiled"),
                                    ("published", "Published"),
                                    ("imported", "Imported"),
                                ],
                                max_length=20,
                                verbose_name="action",
                            ),
                        ),
                        ("actor_name", models.CharField(blank=True, max_length=150, verbose_name="actor name")),
                        ("comment", models.TextField(blank=True, verbose_name="comment")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="actor",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="annual_reports.annualreport",
                                verbose_name="annual report",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "annual report event",
                        "verbose_name_plural": "annual report events",
                        "db_table": "portal_annualreportevent",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
        ),
        # Permissions, their grants to groups and users, and the admin's history follow the content types.
        MoveContentTypes("portal", "annual_reports", ["annualreport", "annualreportevent"]),
    ]

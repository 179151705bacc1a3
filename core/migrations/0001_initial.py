"""Named counters and the calendar table, taken over from disclosures with their tables (disclosures_*)."""

from django.db import migrations, models

from core.migration_operations import MoveContentTypes


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("disclosures", "0005_search_index"),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's record of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        ("is_working_day", models.BooleanField(verbose_name="working day")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("holiday", "Public holiday (official schedule)"),
                                    ("makeup", "Make-up working day (official schedule)"),
                                    ("closure", "College closure"),
                                    ("other", "Other correction"),
                                ],
                                default="holiday",
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                    ],
                    options={
                        "verbose_name": "calendar day",
                        "verbose_name_plural": "calendar days",
                        "db_table": "disclosures_calendarday",
                        "ordering": ["date"],
                    },
                ),
                migrations.CreateModel(
                    name="Sequence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=60, unique=True)),
                        ("value", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "number sequence",
                        "verbose_name_plural": "number sequences",
                        "db_table": "disclosures_sequence",
                    },
                ),
            ],
        ),
        # Permissions, their grants to groups and users, and the admin's history follow the content types.
        MoveContentTypes("disclosures", "core", ["calendarday", "sequence"]),
    ]

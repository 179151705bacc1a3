"""The feedback channels, taken over from requests_app with their tables (requests_app_*)."""

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
        ("requests_app", "0005_seed_mailboxes_and_feedback_groups"),
        ("disclosures", "0006_counters_and_calendar_to_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's record of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Survey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("introduction", models.TextField(blank=True, verbose_name="introduction")),
                        ("starts_on", models.DateField(verbose_name="open from")),
                        ("ends_on", models.DateField(verbose_name="open until")),
                        (
                            "audience",
                            models.CharField(
                                choices=[("public", "Public"), ("campus", "Campus only")],
                                default="public",
                                max_length=10,
                                verbose_name="audience",
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "results_published",
                            models.BooleanField(
                                default=False,
                                help_text="Show the counts and charts on a public page.",
                                verbose_name="results published",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="created at"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "evaluation survey",
                        "verbose_name_plural": "evaluation surveys",
                        "db_table": "requests_app_survey",
                        "ordering": ["-starts_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="FeedbackMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "channel",
                            models.CharField(
                                choices=[
                                    ("consultation", "Consultation and message board"),
                                    ("complaint", "Supervision complaint"),
                                    ("mailbox", "Leader's mailbox"),
                                ],
                                editable=False,
                                max_length=20,
                                verbose_name="channel",
                            ),
                        ),
                        (
                            "tracking_number",
                            models.CharField(
                                editable=False, max_length=20, unique=True, verbose_name="tracking number"
                            ),
                        ),
                        (
                            "access_code_hash",
                            models.CharField(editable=False, max_length=200, verbose_name="access code (hashed)"),
                        ),
                        (
                            "submitted_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="submitted at"
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("new", "New"),
                                    ("in_progress", "In progress"),
                                    ("answered", "Answered"),
                                    ("closed", "Closed"),
                                ],
                                default="new",
                                editable=False,
                                max_length=20,
                                verbose_name="state",
                            ),
                        ),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("text", models.TextField(verbose_name="message")),
                        ("name", models.CharField(blank=True, max_length=100, verbose_name="name")),
                        ("phone", models.CharField(blank=True, max_length=30, verbose_name="phone")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                        ("publish_allowed", models.BooleanField(default=False, verbose_name="may be published")),
                        (
                            "subject_of_complaint",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="department or item complained about"
                            ),
                        ),
                        ("reply", models.TextField(blank=True, verbose_name="reply")),
                        ("replied_at", models.DateTimeField(blank=True, null=True, verbose_name="replied at")),
                        (
                            "published_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="published on the board at"),
                        ),
                        (
                            "result",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("substantiated", "Substantiated, corrected"),
                                    ("partly", "Partly substantiated"),
                                    ("unsubstantiated", "Not substantiated"),
                                    ("not_accepted", "Not accepted (outside the disclosure work)"),
                                ],
                                max_length=20,
                                verbose_name="result",
                            ),
                        ),
                        ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                        (
                            "contact_purged_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="contact details purged at"),
                        ),
                        (
                            "assignee",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="assigned_feedback",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="assigned to",
                            ),
                        ),
                        (
                            "department",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="feedback_messages",
                                to="disclosures.department",
                                verbose_name="department",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "feedback message",
                        "verbose_name_plural": "feedback messages",
                        "db_table": "requests_app_feedbackmessage",
                        "ordering": ["-submitted_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="FeedbackEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("submitted", "Received"),
                                    ("assigned", "Assigned"),
                                    ("started", "Handling started"),
                                    ("note", "Internal note"),
                                    ("answered", "Answered"),
                                    ("published", "Published on the board"),
                                    ("unpublished", "Removed from the board"),
                                    ("closed", "Closed"),
                                    ("personal_data_viewed", "Contact details viewed"),
                                    ("contact_purged", "Contact details purged"),
                                ],
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
                            ),
                        ),
                        (
                            "message",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="feedback.feedbackmessage",
                                verbose_name="message",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "feedback event",
                        "verbose_name_plural": "feedback events",
                        "db_table": "requests_app_feedbackevent",
                        "ordering": ["at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Complaint",
                    fields=[],
                    options={
                        "verbose_name": "supervision complaint",
                        "verbose_name_plural": "supervision complaints",
                        "permissions": [("handle_complaint", "Can handle supervision complaints")],
                        "proxy": True,
                        "indexes": [],
                        "constraints": [],
                    },
                    bases=("feedback.feedbackmessage",),
                ),
                migrations.CreateModel(
                    name="Consultation",
                    fields=[],
                    options={
                        "verbose_name": "consultation",
                        "verbose_name_plural": "consultations and messages",
                        "permissions": [
                            ("handle_consultation", "Can answer consultations and publish them on the board")
                        ],
                        "proxy": True,
                        "indexes": [],
                        "constraints": [],
                    },
                    bases=("feedback.feedbackmessage",),
                ),
                migrations.CreateModel(
                    name="MailboxMessage",
                    fields=[],
                    options={
                        "verbose_name": "mailbox message",
                        "verbose_name_plural": "mailbox messages",
                        "permissions": [
                            ("handle_mailbox", "Can read the messages of the mailboxes one is a reader of")
                        ],
                        "proxy": True,
                        "indexes": [],
                        "constraints": [],
                    },
                    bases=("feedback.feedbackmessage",),
                ),
                migrations.CreateModel(
                    name="Mailbox",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                help_text="Used in the page address.",
                                max_length=40,
                                unique=True,
                                verbose_name="address",
                            ),
                        ),
                        ("name", models.CharField(max_length=60, verbose_name="name")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("active", models.BooleanField(default=True, verbose_name="open for messages")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        (
                            "readers",
                            models.ManyToManyField(
                                blank=True,
                                help_text="The staff who read and answer this box's messages.",
                                related_name="mailboxes",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="readers",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "leader's mailbox",
                        "verbose_name_plural": "leaders' mailboxes",
                        "db_table": "requests_app_mailbox",
                        "ordering": ["order", "id"],
                    },
                ),
                migrations.AddField(
                    model_name="feedbackmessage",
                    name="mailbox",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="messages",
                        to="feedback.mailbox",
                        verbose_name="mailbox",
                    ),
                ),
                migrations.CreateModel(
                    name="SurveyQuestion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("rating", "Rating from 1 to 5"),
                                    ("choice", "Single choice"),
                                    ("text", "Free text"),
                                ],
                                default="rating",
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", models.CharField(max_length=300, verbose_name="question")),
                        (
                            "choices",
                            models.TextField(
                                blank=True,
                                help_text="For a single choice: one choice per line.",
                                verbose_name="choices",
                            ),
                        ),
                        ("required", models.BooleanField(default=True, verbose_name="required")),
                        (
                            "survey",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="feedback.survey",
                                verbose_name="survey",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "question",
                        "verbose_name_plural": "questions",
                        "db_table": "requests_app_surveyquestion",
                        "ordering": ["order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveyResponse",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "submitted_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="submitted at"),
                        ),
                        (
                            "survey",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="responses",
                                to="feedback.survey",
                                verbose_name="survey",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "survey response",
                        "verbose_name_plural": "survey responses",
                        "db_table": "requests_app_surveyresponse",
                        "ordering": ["submitted_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveyAnswer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("rating", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="rating")),
                        ("choice", models.CharField(blank=True, max_length=200, verbose_name="choice")),
                        ("text", models.TextField(blank=True, verbose_name="text")),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answers",
                                to="feedback.surveyquestion",
                                verbose_name="question",
                            ),
                        ),
                        (
                            "response",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answers",
                                to="feedback.surveyresponse",
                                verbose_name="response",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "answer",
                        "verbose_name_plural": "answers",
                        "db_table": "requests_app_surveyanswer",
                        "ordering": ["question__order", "id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="feedbackmessage",
                    index=models.Index(fields=["channel", "state", "submitted_at"], name="feedback_channel_state"),
                ),
                migrations.AddIndex(
                    model_name="feedbackmessage",
                    index=models.Index(fields=["channel", "published_at"], name="feedback_board"),
                ),
                migrations.AddConstraint(
                    model_name="surveyanswer",
                    constraint=models.UniqueConstraint(fields=("response", "question"), name="one_answer_per_question"),
                ),
                migrations.AddConstraint(
                    model_name="surveyanswer",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("rating__isnull", True), models.Q(("rating__gte", 1), ("rating__lte", 5)), _connector="OR"
                        ),
                        name="rating_1_to_5",
                    ),
                ),
            ],
        ),
        # Permissions, their grants to groups and users, and the admin's history follow the content types.
        MoveContentTypes(
            "requests_app",
            "feedback",
            [
                "mailbox",
                "feedbackmessage",
                "consultation",
                "complaint",
                "mailboxmessage",
                "feedbackevent",
                "survey",
                "surveyquestion",
                "surveyresponse",
                "surveyanswer",
            ],
        ),
    ]

"""The feedback channels now belong to the feedback app (feedback 0001 takes them over; the tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("requests_app", "0005_seed_mailboxes_and_feedback_groups"),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's record of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="feedbackevent",
                    name="actor",
                ),
                migrations.RemoveField(
                    model_name="feedbackevent",
                    name="message",
                ),
                migrations.RemoveField(
                    model_name="feedbackmessage",
                    name="assignee",
                ),
                migrations.RemoveField(
                    model_name="feedbackmessage",
                    name="department",
                ),
                migrations.RemoveField(
                    model_name="feedbackmessage",
                    name="mailbox",
                ),
                migrations.RemoveField(
                    model_name="mailbox",
                    name="readers",
                ),
                migrations.RemoveField(
                    model_name="surveyresponse",
                    name="survey",
                ),
                migrations.RemoveField(
                    model_name="surveyquestion",
                    name="survey",
                ),
                migrations.RemoveField(
                    model_name="surveyanswer",
                    name="question",
                ),
                migrations.RemoveField(
                    model_name="surveyanswer",
                    name="response",
                ),
                migrations.DeleteModel(
                    name="Complaint",
                ),
                migrations.DeleteModel(
                    name="Consultation",
                ),
                migrations.DeleteModel(
                    name="MailboxMessage",
                ),
                migrations.DeleteModel(
                    name="FeedbackEvent",
                ),
                migrations.DeleteModel(
                    name="FeedbackMessage",
                ),
                migrations.DeleteModel(
                    name="Mailbox",
                ),
                migrations.DeleteModel(
                    name="Survey",
                ),
                migrations.DeleteModel(
                    name="SurveyQuestion",
                ),
                migrations.DeleteModel(
                    name="SurveyAnswer",
                ),
                migrations.DeleteModel(
                    name="SurveyResponse",
                ),
            ],
        ),
    ]

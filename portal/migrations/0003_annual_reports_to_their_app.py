"""Annual reports now belong to the annual_reports app (its 0001 takes them over; the tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annual_reports", "0001_initial"),
        ("portal", "0002_annual_report_permissions"),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's record of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="annualreportevent",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="annualreportevent",
                    name="actor",
                ),
                migrations.DeleteModel(
                    name="AnnualReport",
                ),
                migrations.DeleteModel(
                    name="AnnualReportEvent",
                ),
            ],
        ),
    ]

"""Named counters and the calendar table now belong to core (core 0001 takes them over; the tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("disclosures", "0005_search_index"),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's record of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="CalendarDay",
                ),
                migrations.DeleteModel(
                    name="Sequence",
                ),
            ],
        ),
    ]

"""PostgreSQL: the title's and the body's words in a column of their own (``text_vector``, kept by the database from
``vector``'s weight-A and weight-B lexemes) with its own GIN index, as migration 0014 did for the title. The search's
text tiers (the query's words in the title or the body) read it instead of ``vector`` with the weights A and B: a
weighted match is rechecked against the whole document vector, attachments' text included, row by row, where an
unweighted one is answered by the index. SQLite's FTS5 table has the columns already: nothing to do there."""

from django.db import migrations


def add_text_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE disclosures_searchdocument ADD COLUMN IF NOT EXISTS text_vector tsvector "
            "GENERATED ALWAYS AS (ts_filter(vector, '{a,b}')) STORED"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS disclosures_search_text_vector ON disclosures_searchdocument "
            "USING GIN (text_vector)"
        )


def drop_text_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS disclosures_search_text_vector")
        cursor.execute("ALTER TABLE disclosures_searchdocument DROP COLUMN IF EXISTS text_vector")


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0015_search_index_in_date_order")]

    operations = [migrations.RunPython(add_text_vector, drop_text_vector)]

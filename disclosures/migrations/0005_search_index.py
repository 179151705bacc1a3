"""The search index: text tables, the database's own full-text index, and the public list's index.

What was published before this migration is indexed after ``migrate`` by the live code (``search.index_missing``,
connected in ``disclosures.apps``), not here: a migration keeps to the historical models.
"""

import django.db.models.deletion
from django.db import migrations, models


FTS_TABLE = "disclosures_search_fts"


def create_fulltext_index(apps, schema_editor):
    """SQLite: an FTS5 table over the token columns; PostgreSQL: a GIN-indexed tsvector column."""
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE disclosures_searchdocument ADD COLUMN vector tsvector NOT NULL DEFAULT ''")
            cursor.execute("CREATE INDEX disclosures_search_vector ON disclosures_searchdocument USING GIN (vector)")
        elif schema_editor.connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "title, body, attachments, tokenize = 'unicode61 remove_diacritics 0')"
            )
        else:
            raise NotImplementedError(f"No full-text index for the {schema_editor.connection.vendor} database.")


def drop_fulltext_index(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS disclosures_search_vector")
            cursor.execute("ALTER TABLE disclosures_searchdocument DROP COLUMN IF EXISTS vector")
        elif schema_editor.connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0004_publishing_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttachmentText",
            fields=[
                (
                    "attachment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="extracted_text",
                        serialize=False,
                        to="disclosures.attachment",
                        verbose_name="attachment",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="extracted text")),
                ("extracted_at", models.DateTimeField(auto_now=True, verbose_name="extracted at")),
            ],
            options={
                "verbose_name": "attachment text",
                "verbose_name_plural": "attachment texts",
            },
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "disclosure",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="disclosures.disclosure",
                        verbose_name="disclosure",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="indexed text")),
                ("indexed_at", models.DateTimeField(auto_now=True, verbose_name="indexed at")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(fields=["status", "audience", "published_at", "id"], name="disclosure_public_pub"),
        ),
        migrations.RunPython(create_fulltext_index, drop_fulltext_index),
    ]

"""PostgreSQL plans of captured statements, for the tests that check how a search reads its rows."""

from django.db import connection


def plan(statement: str) -> str:
    """``statement``'s plan with the sequential scan ruled out, so that a handful of rows plans as a large table
    would."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement)
        return "\n".join(row[0] for row in cursor.fetchall())

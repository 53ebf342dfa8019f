"""Segments of millions of lines on both databases (docs/engine.md).

1. Line numbers that never overflow. Lines are numbered in steps of 10,000, so a
   32-bit ``line_no`` overflows at 214,748 lines. On PostgreSQL the segment line numbers
   (``segment_line.line_no``, ``segment_history.segment_line_no``,
   ``segment_interaction_language.segment_line_no``) and the ids of ``segment_line`` and
   ``segment_history`` (every Add and Go Back takes new ones) become ``BIGINT``, their
   sequences too. SQLite's INTEGER is 64-bit already.
2. "Is this contact already on the segment?": the index on ``segment_line (contact_no)``
   becomes ``(contact_no, segment_no)``. It answers that question with one probe per
   contact and still serves the look-ups by contact alone, so lines keep two indexes.
   Go Back finds the latest earlier insertion of each contact it restores through the
   new ``segment_history (segment_no, contact_no, action_taken, segment_action_no)``
   index (all four columns: SQLite picks it over the unique index by its shape, even
   without statistics, and reads no table row).
3. PostgreSQL text columns use the "C" collation: filters compare text by code point
   (``COLLATE "C"``, as SQLite's BINARY does), and an index is only used for a range or
   a prefix when it has the collation of the comparison. With every text column in "C",
   every index serves ranges, equality and prefixes, and joins between text columns never
   mix collations. Sorting is by code point on both databases.
4. Fresh planner statistics for the tables changed here.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

VERSION = 9

BIGINT_COLUMNS = {
    "segment_line": ("id", "line_no"),
    "segment_history": ("id", "segment_line_no"),
    "segment_interaction_language": ("segment_line_no",),
}
SEQUENCES = ("segment_line_id_seq", "segment_history_id_seq")


def apply(database: Database) -> None:
    """Indexes on both databases; on PostgreSQL also BIGINT line numbers and "C" text."""
    database.execute_sql('DROP INDEX IF EXISTS "segment_line_contact_no"')
    database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "segment_line_contact_no_segment_no" '
        'ON "segment_line" ("contact_no", "segment_no")'
    )
    database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "segment_history_by_contact" '
        'ON "segment_history" ("segment_no", "contact_no", "action_taken", "segment_action_no")'
    )
    if isinstance(database, PostgresqlDatabase):
        _postgres_columns(database)
        database.execute_sql("ANALYZE")
    else:
        database.execute_sql("PRAGMA analysis_limit = 1000")
        database.execute_sql("ANALYZE")


def _postgres_columns(database: Database) -> None:
    """One ALTER TABLE per table (one rewrite of a big table, not one per column)."""
    text_columns = database.execute_sql(
        """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0
          AND NOT a.attisdropped AND a.attcollation <> 0
          AND a.attcollation <> (
              SELECT oid FROM pg_collation
              WHERE collname = 'C' AND collnamespace = 'pg_catalog'::regnamespace)
        ORDER BY c.relname, a.attnum
        """
    ).fetchall()
    changes: dict[str, list[str]] = {}
    for table, column, type_name in text_columns:
        changes.setdefault(table, []).append(f'"{column}" TYPE {type_name} COLLATE "C"')
    for table, columns in BIGINT_COLUMNS.items():
        changes.setdefault(table, []).extend(f'"{column}" TYPE BIGINT' for column in columns)
    for table, clauses in changes.items():
        database.execute_sql(
            f'ALTER TABLE "{table}" ' + ", ".join(f"ALTER COLUMN {c}" for c in clauses)
        )
    for sequence in SEQUENCES:
        database.execute_sql(f'ALTER SEQUENCE "{sequence}" AS BIGINT')

"""Delivery results on interaction log entries: the error of the last failed delivery,
the merged document that was delivered (an attachment), when, and the hard-copy file.

Plain ``ALTER TABLE … ADD COLUMN`` statements that SQLite and PostgreSQL both accept.
The text columns get a database default because Log writes entries with ``INSERT …
SELECT`` naming only the columns it fills; the new reference column is nullable, which
SQLite requires for ``ADD COLUMN … REFERENCES`` with foreign keys on.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

VERSION = 3


def statements(dialect: str) -> list[str]:
    """The DDL of version 3 for ``dialect`` ("sqlite" or "postgres")."""
    timestamp = "TIMESTAMP" if dialect == "postgres" else "DATETIME"
    table = '"interaction_log_entry"'
    return [
        f"ALTER TABLE {table} ADD COLUMN \"delivery_error\" TEXT NOT NULL DEFAULT ''",
        f'ALTER TABLE {table} ADD COLUMN "delivered_attachment_no" INTEGER '
        "REFERENCES attachment (no) ON DELETE SET NULL",
        f'ALTER TABLE {table} ADD COLUMN "delivered_at" {timestamp}',
        f"ALTER TABLE {table} ADD COLUMN \"delivery_file\" TEXT NOT NULL DEFAULT ''",
        # Deleting an attachment looks up the entries pointing at it (ON DELETE SET NULL).
        'CREATE INDEX "interaction_log_entry_delivered_attachment_no" '
        f'ON {table} ("delivered_attachment_no")',
    ]


def apply(database: Database) -> None:
    """Add the delivery columns to ``interaction_log_entry``."""
    dialect = "postgres" if isinstance(database, PostgresqlDatabase) else "sqlite"
    for statement in statements(dialect):
        database.execute_sql(statement)

"""The contact's side of interactions (Create Interaction, campaign entries).

* ``entry_delivery_claim``: who delivers the letter of an interaction that belongs to
  no logged segment (Create Interaction) — the same claim a logged segment carries in
  ``logged_segment.delivery_claim`` (``docs/delivery.md``), one row per entry while its
  delivery runs. No foreign key: a row outlives nothing (it is deleted when the delivery
  ends) and SQLite table rebuilds of ``interaction_log_entry`` stay possible.
* On PostgreSQL ``claim`` is ``COLLATE "C"``, as every text column is since migration 9
  (``docs/engine.md``); so becomes ``contact_search_key.search_key``, which migration 12
  created in the database's default collation. The key is folded already (lower case,
  no accents) and only searched with ``strpos``/trigrams, so its collation changes no
  result; it is "C" so that every text column is (``tests/foundation/
  test_migration_engine_scale.py``). Its trigram index is rebuilt once.
* A partial index on ``interaction_log_entry.campaign_entry_no``: the Campaign Entries
  screen counts the entries of each campaign entry (BC's No. of Interactions), and most
  entries have no campaign entry, so the index costs Log next to nothing.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

VERSION = 15


def apply(database: Database) -> None:
    """Create the claim table and the campaign entry index (portable DDL; on PostgreSQL
    the text column is "C"-collated like every other since migration 9)."""
    postgres = isinstance(database, PostgresqlDatabase)
    timestamp = "TIMESTAMP" if postgres else "DATETIME"
    collate = ' COLLATE "C"' if postgres else ""
    database.execute_sql(
        'CREATE TABLE IF NOT EXISTS "entry_delivery_claim" ('
        '"entry_no" INTEGER NOT NULL PRIMARY KEY, '
        f"\"claim\" TEXT{collate} NOT NULL DEFAULT '', "
        f'"claimed_at" {timestamp})'
    )
    if postgres:
        _search_key_in_c(database)
    database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "interaction_log_entry_campaign_entry_no" '
        'ON "interaction_log_entry" ("campaign_entry_no") '
        "WHERE campaign_entry_no IS NOT NULL"
    )


def _search_key_in_c(database: Database) -> None:
    """``contact_search_key.search_key`` in the "C" collation, unless it is already."""
    row = database.execute_sql(
        "SELECT collation_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'contact_search_key' "
        "AND column_name = 'search_key'"
    ).fetchone()
    if row is not None and row[0] != "C":
        database.execute_sql(
            'ALTER TABLE "contact_search_key" ALTER COLUMN "search_key" TYPE TEXT COLLATE "C"'
        )

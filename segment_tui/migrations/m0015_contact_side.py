"""The contact's side of interactions (Create Interaction, campaign entries).

* ``entry_delivery_claim``: who delivers the letter of an interaction that belongs to
  no logged segment (Create Interaction) — the same claim a logged segment carries in
  ``logged_segment.delivery_claim`` (``docs/delivery.md``), one row per entry while its
  delivery runs. No foreign key: a row outlives nothing (it is deleted when the delivery
  ends) and SQLite table rebuilds of ``interaction_log_entry`` stay possible.
* A partial index on ``interaction_log_entry.campaign_entry_no``: the Campaign Entries
  screen counts the entries of each campaign entry (BC's No. of Interactions), and most
  entries have no campaign entry, so the index costs Log next to nothing.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

VERSION = 15


def apply(database: Database) -> None:
    """Create the claim table and the campaign entry index (portable DDL)."""
    timestamp = "TIMESTAMP" if isinstance(database, PostgresqlDatabase) else "DATETIME"
    database.execute_sql(
        'CREATE TABLE IF NOT EXISTS "entry_delivery_claim" ('
        '"entry_no" INTEGER NOT NULL PRIMARY KEY, '
        "\"claim\" TEXT NOT NULL DEFAULT '', "
        f'"claimed_at" {timestamp})'
    )
    database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "interaction_log_entry_campaign_entry_no" '
        'ON "interaction_log_entry" ("campaign_entry_no") '
        "WHERE campaign_entry_no IS NOT NULL"
    )

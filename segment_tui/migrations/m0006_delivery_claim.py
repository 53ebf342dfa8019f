"""Who is delivering a logged segment right now: a claim (``host:pid:token``) and since
when, so that two deliveries of the same logged segment (a Resend while Log with Send
still runs, two users pressing Resend) cannot send the same e-mail twice.

Plain ``ALTER TABLE … ADD COLUMN`` statements that SQLite and PostgreSQL both accept.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

VERSION = 6


def apply(database: Database) -> None:
    """Add the claim columns to ``logged_segment``."""
    timestamp = "TIMESTAMP" if isinstance(database, PostgresqlDatabase) else "DATETIME"
    database.execute_sql(
        'ALTER TABLE "logged_segment" ADD COLUMN "delivery_claim" TEXT NOT NULL DEFAULT \'\''
    )
    database.execute_sql(
        f'ALTER TABLE "logged_segment" ADD COLUMN "delivery_claimed_at" {timestamp}'
    )

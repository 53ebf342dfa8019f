"""Drop four interaction log entry indexes nothing queries (BC's statistics keys by
company, template, salesperson and campaign): Log writes 100,000 entries at a time and
each index cost ~0.07 s of it. Lookups by contact, segment and logged segment keep theirs."""

from __future__ import annotations

from peewee import Database

VERSION = 4

DROPPED = (
    "interaction_log_entry_contact_company_no_contact_no_date",
    "interaction_log_entry_interaction_template_code_canceled_date",
    "interaction_log_entry_salesperson_code_date",
    "interaction_log_entry_campaign_no",
)


def apply(database: Database) -> None:
    """Drop the indexes (portable DDL)."""
    for name in DROPPED:
        database.execute_sql(f'DROP INDEX IF EXISTS "{name}"')

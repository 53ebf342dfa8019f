"""Default setup for a new database: number series SEG00001… and CT000001…, a Marketing
Setup row pointing at them, and an empty Company Information row."""

from __future__ import annotations

from peewee import Database

VERSION = 2


def apply(database: Database) -> None:
    """Insert the default setup rows unless setup already exists."""
    param = database.param
    if database.execute_sql("SELECT COUNT(*) FROM marketing_setup").fetchone()[0]:
        return
    for code, description, first in (
        ("SEG", "Segments", "SEG00001"),
        ("CT", "Contacts", "CT000001"),
    ):
        database.execute_sql(
            "INSERT INTO no_series (code, description, starting_no, ending_no, last_no_used, "
            f"increment_by, manual_nos) VALUES ({param}, {param}, {param}, '', '', 1, TRUE)",
            (code, description, first),
        )
    database.execute_sql(
        "INSERT INTO marketing_setup (primary_key, segment_nos, contact_nos) "
        "VALUES ('', 'SEG', 'CT')"
    )
    database.execute_sql("INSERT INTO company_information (primary_key) VALUES ('')")

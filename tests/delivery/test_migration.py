"""Migration 3 adds the delivery columns to a database made by an earlier version and
keeps its interaction log entries; migration 7 widens the delivery status (SQLite: a
table rebuild keeping rows and indexes), marks delivered entries Sent and adds SMTP
Allow Unencrypted Login, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from segment_tui.db import close_database, open_database
from segment_tui.migrations import apply_migrations, latest_version
from segment_tui.migrations.m0003_delivery import statements
from segment_tui.models import InteractionLogEntry


def test_a_version_2_database_is_upgraded_and_keeps_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    old = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    assert apply_migrations(old, up_to=2) == [1, 2]
    old.execute_sql(
        "INSERT INTO logged_segment (entry_no, segment_no, description) VALUES (7, 'SEG1', 'x')"
    )
    for entry_no, status in ((1, "in_progress"), (2, "error"), (3, "")):
        old.execute_sql(
            "INSERT INTO interaction_log_entry (entry_no, contact_no, description, "
            "delivery_status, logged_segment_entry_no, line_note, correspondence_type) "
            "VALUES (?, 'C1', 'Letter', ?, 7, 'note', 'hard_copy')",
            (entry_no, status),
        )
    columns = {row[1] for row in old.execute_sql("PRAGMA table_info(interaction_log_entry)")}
    assert "delivery_error" not in columns
    old.close()

    open_database(str(path))
    try:
        entries = list(InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no))
        assert [(e.entry_no, e.delivery_status, e.line_note) for e in entries] == [
            (1, "in_progress", "note"),
            (2, "error", "note"),
            (3, "", "note"),
        ]
        for entry in entries:
            assert entry.delivery_error == "" and entry.delivery_file == ""
            assert entry.delivered_attachment_no is None and entry.delivered_at is None
        from segment_tui.db import db

        versions = [r[0] for r in db.execute_sql("SELECT version FROM schema_version")]
        assert max(versions) == latest_version() >= 3
    finally:
        close_database()
    # The foreign key holds: a delivered document that is deleted unlinks the entry.
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(
            "INSERT INTO attachment (no, file_name, file_extension, content, read_only) "
            "VALUES (50, 'a.docx', 'docx', x'00', 0)"
        )
        connection.execute("UPDATE interaction_log_entry SET delivered_attachment_no = 50")
        connection.execute("DELETE FROM attachment WHERE no = 50")
        assert connection.execute(
            "SELECT COUNT(*) FROM interaction_log_entry WHERE delivered_attachment_no IS NULL"
        ).fetchone() == (3,)
    finally:
        connection.close()


def test_the_statements_suit_both_dialects() -> None:
    sqlite, postgres = statements("sqlite"), statements("postgres")
    assert any('"delivered_at" DATETIME' in s for s in sqlite)
    assert any('"delivered_at" TIMESTAMP' in s for s in postgres)
    assert all("interaction_log_entry" in s for s in sqlite + postgres)


V6_ENTRIES = (
    # entry_no, status, delivered_at
    (1, "", "2026-12-01 10:00:00"),  # delivered by version 6: reads Sent
    (2, "", None),  # never asked to deliver: stays blank
    (3, "in_progress", None),
    (4, "error", None),
)


def _fill_v6(database: Any, mark: str) -> None:
    database.execute_sql(
        "INSERT INTO logged_segment (entry_no, segment_no, description) VALUES (7, 'SEG1', 'x')"
    )
    for entry_no, status, delivered in V6_ENTRIES:
        database.execute_sql(
            "INSERT INTO interaction_log_entry (entry_no, contact_no, description, "
            "delivery_status, delivered_at, logged_segment_entry_no, line_note, "
            f"correspondence_type) VALUES ({mark}, 'C1', 'Letter', {mark}, {mark}, 7, 'n', "
            "'email')",
            (entry_no, status, delivered),
        )


def _check_v7() -> None:
    from peewee import IntegrityError

    from segment_tui.db import db
    from segment_tui.models import MarketingSetup

    entries = InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no)
    assert [(e.entry_no, e.delivery_status) for e in entries] == [
        (1, "sent"), (2, ""), (3, "in_progress"), (4, "error"),
    ]  # fmt: skip
    for status in ("sending", "unknown", "sent"):
        InteractionLogEntry.update(delivery_status=status).where(
            InteractionLogEntry.entry_no == 2
        ).execute()
    with pytest.raises(IntegrityError), db.atomic():
        InteractionLogEntry.update(delivery_status="bogus").execute()
    assert (
        MarketingSetup.get_or_none() is None
        or not MarketingSetup.get().smtp_allow_unencrypted_login
    )
    # Lookups by contact and logged segment keep their indexes.
    assert InteractionLogEntry.select().where(InteractionLogEntry.contact_no == "C1").count() == 4


def test_a_version_6_sqlite_database_gets_the_delivery_states(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    old = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    apply_migrations(old, up_to=6)
    _fill_v6(old, "?")
    old.close()
    open_database(str(path))
    try:
        _check_v7()
    finally:
        close_database()
    connection = sqlite3.connect(path)
    try:
        indexes = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'interaction_log_entry' AND sql IS NOT NULL"
            )
        }
        assert {"interaction_log_entry_contact_no_date", "interaction_log_entry_segment_no",
                "interaction_log_entry_logged_segment_entry_no"} <= indexes  # fmt: skip
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


def test_a_version_6_postgres_database_gets_the_delivery_states() -> None:
    import os
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    admin = os.environ.get("SEGMENT_TUI_TEST_PG")
    if not admin:
        pytest.skip("set SEGMENT_TUI_TEST_PG to a PostgreSQL URL to run the PostgreSQL tests")
    import psycopg2
    from peewee import PostgresqlDatabase

    name = f"segtest_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    connection.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
        parts = urlsplit(url)
        old = PostgresqlDatabase(
            name, host=parts.hostname, port=parts.port, user=parts.username or "postgres"
        )
        apply_migrations(old, up_to=6)
        with old.connection_context():
            _fill_v6(old, "%s")
        old.close()
        open_database(url)
        try:
            _check_v7()
        finally:
            close_database()
    finally:
        connection.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.close()

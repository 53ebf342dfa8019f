"""Migration 3 adds the delivery columns to a database made by an earlier version and
keeps its interaction log entries."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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

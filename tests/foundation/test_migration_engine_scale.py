"""Migration 9 on existing databases (docs/engine.md): line numbers beyond 32 bits on
PostgreSQL, the "already on the segment?" and Go Back indexes on both databases, and
"C"-collated text on PostgreSQL, with the data kept."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from peewee import Database, SqliteDatabase

from segment_tui.db import close_database, connect, db, open_database
from segment_tui.migrations import apply_migrations
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.segments.view import lines_after

LAST_32_BIT_LINE = 2_147_480_000
"""A line number a 32-bit column holds; the next line (+10,000) does not fit."""


def old_database_with_a_long_segment(database: Database) -> None:
    """A database at version 6 with a segment whose last line is near 2**31."""
    assert apply_migrations(database, up_to=6)[-1] == 6
    for sql in (
        "INSERT INTO contact (no, type, name, company_no) VALUES ('C1', 'company', 'Ådatum', 'C1')",
        "INSERT INTO contact (no, type, name, company_no) VALUES ('C2', 'company', 'Bäcker', 'C2')",
        "INSERT INTO segment_header (no, description) VALUES ('S1', 'Long')",
        "INSERT INTO segment_line (segment_no, line_no, contact_no, line_note, added_by_action) "
        f"VALUES ('S1', {LAST_32_BIT_LINE}, 'C1', '', 1)",
        "INSERT INTO segment_criteria_line (segment_no, line_no, type, action, section, "
        "table_view, no_of_filters) VALUES ('S1', 1, 'action', 'add', '', '', 0)",
        "INSERT INTO segment_history (segment_no, segment_action_no, segment_line_no, "
        f"contact_no, action_taken) VALUES ('S1', 1, {LAST_32_BIT_LINE}, 'C1', 'insertion')",
    ):
        database.execute_sql(sql)


def add_the_next_contact_and_read_the_lines() -> list[tuple[int, str]]:
    assert add_contacts("S1", parse_where(["no=C2"]), AddOptions()).added == 1
    return [(line["line_no"], line["contact_no"]) for line in lines_after("S1", None, 10)]


def indexes(table: str) -> set[str]:
    if isinstance(db.obj, SqliteDatabase):
        return {row[1] for row in db.execute_sql(f'PRAGMA index_list("{table}")')}
    return {
        row[0]
        for row in db.execute_sql("SELECT indexname FROM pg_indexes WHERE tablename = %s", (table,))
    }


def test_sqlite_database_gets_the_indexes_and_keeps_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = connect(str(path))
    old_database_with_a_long_segment(old)
    old.close()
    open_database(str(path))
    try:
        assert "segment_line_contact_no_segment_no" in indexes("segment_line")
        assert "segment_line_contact_no" not in indexes("segment_line")
        assert "segment_history_by_contact" in indexes("segment_history")
        assert add_the_next_contact_and_read_the_lines() == [
            (LAST_32_BIT_LINE, "C1"),
            (LAST_32_BIT_LINE + 10_000, "C2"),
        ]
    finally:
        close_database()


@pytest.fixture
def pg_empty() -> Iterator[str]:
    admin = os.environ.get("SEGMENT_TUI_TEST_PG")
    if not admin:
        pytest.skip("set SEGMENT_TUI_TEST_PG to a PostgreSQL URL to run the PostgreSQL tests")
    import psycopg2

    name = f"segtest_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        connection.cursor().execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
        close_database()
        connection.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        connection.close()


def column_types(table: str, columns: tuple[str, ...]) -> dict[str, Any]:
    rows = db.execute_sql(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = ANY(%s)",
        (table, list(columns)),
    )
    return dict(rows)


def test_postgresql_database_gets_64_bit_line_numbers_and_c_collated_text(pg_empty: str) -> None:
    old = connect(pg_empty)
    with old.connection_context():
        old_database_with_a_long_segment(old)
        with pytest.raises(Exception, match="out of range"), old.atomic():
            old.execute_sql(
                "UPDATE segment_line SET line_no = line_no + 10000 WHERE segment_no = 'S1'"
            )
    old.close()
    open_database(pg_empty)
    assert column_types("segment_line", ("id", "line_no")) == {"id": "bigint", "line_no": "bigint"}
    assert column_types("segment_history", ("id", "segment_line_no")) == {
        "id": "bigint",
        "segment_line_no": "bigint",
    }
    assert column_types("segment_interaction_language", ("segment_line_no",)) == {
        "segment_line_no": "bigint"
    }
    sequences = dict(
        db.execute_sql(
            "SELECT seqrelid::regclass::text, seqtypid::regtype::text FROM pg_sequence "
            "WHERE seqrelid::regclass::text IN ('segment_line_id_seq', 'segment_history_id_seq')"
        )
    )
    assert sequences == {"segment_line_id_seq": "bigint", "segment_history_id_seq": "bigint"}
    assert "segment_line_contact_no_segment_no" in indexes("segment_line")
    assert "segment_history_by_contact" in indexes("segment_history")
    assert add_the_next_contact_and_read_the_lines() == [
        (LAST_32_BIT_LINE, "C1"),
        (LAST_32_BIT_LINE + 10_000, "C2"),
    ]


def test_every_postgresql_text_column_is_c_collated(pg_empty: str) -> None:
    """Filters compare text by code point (COLLATE "C"); an index serves a range or a prefix
    only when it has that collation, and a join of two text columns needs one collation.
    A migration adding a text column on PostgreSQL must declare it COLLATE "C"."""
    open_database(pg_empty)
    other = db.execute_sql(
        "SELECT table_name || '.' || column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying') "
        "AND collation_name IS DISTINCT FROM 'C' AND table_name <> 'schema_version'"
    ).fetchall()
    assert other == []

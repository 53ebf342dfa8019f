"""Opening a database: location, file mode, pragmas, versioned migrations."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from segment_tui.db import close_database, open_database, resolve_location
from segment_tui.migrations import apply_migrations, latest_version, migrations
from segment_tui.models import ALL_MODELS, Contact, MarketingSetup, NoSeries


def test_location_comes_from_flag_then_environment_then_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SEGMENT_TUI_DB", str(tmp_path / "env.db"))
    assert resolve_location("flag.db") == "flag.db"
    assert resolve_location(None) == str(tmp_path / "env.db")
    monkeypatch.delenv("SEGMENT_TUI_DB")
    assert resolve_location(None).endswith("segment-tui/segment.db")


def test_new_database_file_is_private_and_uses_wal_and_foreign_keys(
    database: object, db_path: Path
) -> None:
    from segment_tui.db import db

    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_new_database_is_at_the_latest_version_with_default_setup(database: object) -> None:
    from segment_tui.db import db

    versions = [row[0] for row in db.execute_sql("SELECT version FROM schema_version")]
    assert versions == [v for v, _, _ in migrations()]
    assert versions[-1] == latest_version()
    setup = MarketingSetup.get()
    assert (setup.segment_nos, setup.contact_nos) == ("SEG", "CT")
    assert NoSeries.get(NoSeries.code == "SEG").starting_no == "SEG00001"


def test_database_created_by_the_first_migration_is_upgraded_on_open(tmp_path: Path) -> None:
    from peewee import SqliteDatabase

    path = tmp_path / "old.db"
    old = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    assert apply_migrations(old, up_to=1) == [1]
    old.execute_sql(
        "INSERT INTO contact (no, type, name, company_no) VALUES ('C1', 'company', 'Ådatum', 'C1')"
    )
    old.close()

    open_database(str(path))
    try:
        assert Contact.get(Contact.no == "C1").name == "Ådatum"
        assert MarketingSetup.get().segment_nos == "SEG"
        from segment_tui.db import db

        assert [r[0] for r in db.execute_sql("SELECT version FROM schema_version ORDER BY 1")] == [
            v for v, _, _ in migrations()
        ]
    finally:
        close_database()


def test_opening_twice_applies_nothing_more(db_path: Path) -> None:
    open_database(str(db_path))
    close_database()
    from segment_tui.db import db

    open_database(str(db_path))
    try:
        assert apply_migrations(db.obj) == []
    finally:
        close_database()


def test_migrated_schema_matches_the_models(database: object, db_path: Path) -> None:
    """Models and migrations must not drift apart: every model column exists in the table."""
    connection = sqlite3.connect(db_path)
    try:
        for model in ALL_MODELS:
            table = model._meta.table_name
            columns = {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}
            expected = {f.column_name for f in model._meta.sorted_fields}
            assert columns == expected, table
    finally:
        connection.close()


def test_indexes_cover_filterable_contact_fields_and_segment_lines(
    database: object, db_path: Path
) -> None:
    connection = sqlite3.connect(db_path)
    try:

        def indexed(table: str) -> set[tuple[str, ...]]:
            result = set()
            for _, name, *_ in connection.execute(f'PRAGMA index_list("{table}")'):
                cols = tuple(r[2] for r in connection.execute(f'PRAGMA index_info("{name}")'))
                result.add(cols)
            return result

        contact = {cols[0] for cols in indexed("contact")}
        filterable = (
            "type", "name", "city", "post_code", "country_region_code", "salesperson_code",
            "territory_code", "language_code", "job_title", "correspondence_type", "email",
            "company_no", "company_name", "exclude_from_segment",
        )  # fmt: skip
        for field in filterable:
            assert field in contact, field
        lines = indexed("segment_line")
        assert ("segment_no", "line_no") in lines
        # "already on the segment?" and look-ups by contact, one index (migration 9)
        assert ("contact_no", "segment_no") in lines
    finally:
        connection.close()

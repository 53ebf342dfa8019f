"""Databases at the edges: one written by a newer segment-tui, a read-only one, a full
disk, a folder where none can be created, NUL bytes. Each is said in words (exit 1, no
traceback), the TUI says so on screen, and the database is never changed by a refusal
(nor ever downgraded)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from segment_tui.cli import main
from tests.security.conftest import (
    RUN_CLI,
    assert_refused,
    cli,
    database_dump,
    mount_tmpfs,
    remount_read_only,
    table_rows,
)

NEWER = 9999


def _contacts_file(folder: Path, count: int) -> Path:
    path = folder / "contacts.csv"
    lines = ["name,city,address"] + [f"Firm {n},City {n},{n} High Street" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert cli(path, "demo", "--contacts", "20")[0] == 0
    return path


# --------------------------------------------------------------------------- newer schema


def _make_newer(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'm9999_future', "
            "'2030-01-01')",
            (NEWER,),
        )


@pytest.mark.parametrize(
    "command",
    [("init",), ("segment", "list"), ("segment", "new", "--description", "x"), ("demo",)],
)
def test_a_newer_database_is_refused_by_every_command(
    demo_db: Path, command: tuple[str, ...]
) -> None:
    _make_newer(demo_db)
    before = database_dump(demo_db)
    assert_refused(
        cli(demo_db, *command),
        f"This database was written by a newer segment-tui (schema {NEWER};",
        "upgrade segment-tui",
    )
    assert database_dump(demo_db) == before  # never written, never downgraded


def test_the_tui_refuses_a_newer_database_before_it_starts(demo_db: Path) -> None:
    _make_newer(demo_db)
    before = database_dump(demo_db)
    # No command: the TUI. It must say no before Textual takes the terminal (were it to
    # start, it would wait for keys until the timeout).
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "--db", str(demo_db)],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"newer segment-tui (schema {NEWER};" in done.stderr
    assert database_dump(demo_db) == before


def test_a_newer_postgresql_database_is_refused(pg_url: str) -> None:
    import psycopg2

    assert cli(pg_url, "init")[0] == 0
    with psycopg2.connect(pg_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, 'x', 'y')",
            (NEWER,),
        )
    assert_refused(cli(pg_url, "segment", "list"), f"newer segment-tui (schema {NEWER};")
    assert_refused(cli(pg_url, "init"), "upgrade segment-tui")


# --------------------------------------------------------------------------- read-only


@pytest.fixture
def read_only_db(mount_point: Path, demo_db: Path) -> Iterator[Path]:
    """The demo database on a read-only file system (its folder is read-only too)."""
    mount_tmpfs(mount_point, 4096)
    target = mount_point / "demo.db"
    shutil.copy(demo_db, target)
    remount_read_only(mount_point)
    yield target


def test_a_read_only_database_can_be_read_and_refuses_writes(read_only_db: Path) -> None:
    before = database_dump(read_only_db)
    status, out, err = cli(read_only_db, "segment", "list")
    assert status == 0, err
    assert "SEG00003" in out
    assert_refused(
        cli(read_only_db, "segment", "new", "--description", "x"),
        "The database is read-only: nothing was written.",
    )
    assert database_dump(read_only_db) == before


async def test_the_tui_says_on_screen_that_the_database_is_read_only(
    read_only_db: Path,
) -> None:
    from segment_tui.db import close_database, open_database, read_only_reason
    from segment_tui.ui.app import SegmentApp
    from tests.ui.support import SIZE, notifications, press, screen_lines, settle

    open_database(str(read_only_db))
    reason = read_only_reason()
    assert reason == "it is on a read-only file system"
    app = SegmentApp(str(read_only_db), read_only=reason)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            screen = "\n".join(screen_lines(pilot))
            assert "READ-ONLY · work date" in screen
            assert any("This database is read-only" in n for n in notifications(pilot))
            await press(pilot, "delete", "y")  # delete the segment under the cursor
            assert any(
                n == "The database is read-only: nothing was written." for n in notifications(pilot)
            ), notifications(pilot)
        del SIZE
    finally:
        close_database()


def test_init_in_a_read_only_folder_says_so(mount_point: Path) -> None:
    mount_tmpfs(mount_point, 64)
    remount_read_only(mount_point)
    for target in (mount_point / "new.db", mount_point / "sub" / "new.db"):
        err = assert_refused(cli(target, "init"), f"Cannot create the database {target}")
        assert "Read-only file system" in err and "nothing was written" in err
    assert list(mount_point.iterdir()) == []


def test_init_where_a_folder_is_a_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert_refused(cli(tmp_path / "file" / "new.db", "init"), "Cannot create the database")


# --------------------------------------------------------------------------- disk full


def test_a_full_disk_is_said_and_nothing_is_written(mount_point: Path, tmp_path: Path) -> None:
    mount_tmpfs(mount_point, 2048)
    db = mount_point / "full.db"
    assert cli(db, "init")[0] == 0
    assert cli(db, "contacts", "import", str(_contacts_file(tmp_path, 5)))[0] == 0
    before = table_rows(db)
    # Fill the disk but for 150 KB: enough to open the database, not to import 3,000 rows.
    usage = shutil.disk_usage(mount_point)
    (mount_point / "filler").write_bytes(b"\0" * (usage.free - 150 * 1024))
    big = _contacts_file(tmp_path, 3000)
    for command in (("contacts", "import", str(big)), ("demo", "--contacts", "2000")):
        err = assert_refused(cli(db, *command), "The disk is full: nothing was written")
        assert "cannot rollback" not in err
        assert table_rows(db) == before
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (mount_point / "filler").unlink()
    status, out, err = cli(db, "contacts", "import", str(big))
    assert status == 0, err


def test_a_full_database_is_said_without_a_mount(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same, where no file system can be mounted: SQLite's page limit makes the
    database full exactly as a full disk does (SQLITE_FULL)."""
    import segment_tui.db as db_module

    db = tmp_path / "limited.db"
    assert main(["--db", str(db), "init"]) == 0
    with sqlite3.connect(db) as connection:
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
    original = db_module.connect

    def limited(location: str) -> Database:
        database = original(location)
        # The pragmas peewee runs on every new connection: private, so not in its stubs
        # (the public pragma(..., permanent=True) would connect at once).
        database._pragmas.append(("max_page_count", pages + 8))  # type: ignore[attr-defined]
        return database

    monkeypatch.setattr(db_module, "connect", limited)
    capsys.readouterr()
    before = table_rows(db)
    assert main(["--db", str(db), "contacts", "import", str(_contacts_file(tmp_path, 3000))]) == 1
    err = capsys.readouterr().err
    assert "error: The disk is full: nothing was written" in err, err
    assert "cannot rollback" not in err and "unexpected" not in err
    assert table_rows(db) == before


# --------------------------------------------------------------------------- NUL bytes


def _nul_refusals(location: str) -> list[str]:
    """What the services say to values holding NUL, on the database at ``location``."""
    from segment_tui.db import close_database, open_database
    from segment_tui.errors import UserError
    from segment_tui.services.segments.headers import create_segment

    open_database(location)
    messages: list[str] = []
    try:
        for call in (
            lambda: create_segment("before\x00after"),
            lambda: main(["--db", location, "segment", "list"]),  # the database still works
        ):
            try:
                call()
            except UserError as error:
                messages.append(str(error))
    finally:
        close_database()
    return messages


def test_nul_is_refused_alike_on_both_databases(tmp_path: Path, pg_url: str) -> None:
    sqlite_db = str(tmp_path / "nul.db")
    assert cli(sqlite_db, "init")[0] == 0
    assert cli(pg_url, "init")[0] == 0
    on_sqlite, on_postgres = _nul_refusals(sqlite_db), _nul_refusals(pg_url)
    assert (
        on_sqlite
        == on_postgres
        == [
            "A value holds a NUL character (U+0000), which cannot be stored or searched for; "
            "nothing was changed."
        ]
    )
    for location in (sqlite_db, pg_url):
        status, out, _ = cli(location, "segment", "list", "--json")
        assert status == 0 and out.strip() == "[]"


def test_a_read_only_postgresql_database_refuses_writes_in_words(pg_url: str) -> None:
    import psycopg2

    from segment_tui.db import close_database, open_database, read_only_reason

    assert cli(pg_url, "demo", "--contacts", "10")[0] == 0
    name = pg_url.rsplit("/", 1)[1]
    with psycopg2.connect(pg_url) as connection, connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    status, out, err = cli(pg_url, "segment", "list")
    assert status == 0 and "SEG00003" in out, err
    assert_refused(
        cli(pg_url, "segment", "new", "--description", "x"),
        "The database is read-only: nothing was written.",
    )
    open_database(pg_url)
    try:
        assert read_only_reason() == "PostgreSQL accepts no writes to it"
    finally:
        close_database()

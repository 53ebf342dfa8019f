"""Helpers for the hostile-input tests: the CLI in its own process, a PostgreSQL database
per test, a read-only folder and a tiny file system, and a fingerprint of a database
and a folder to prove that a refusal changed nothing."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

RUN_CLI = "import sys; from segment_tui.cli import main; sys.exit(main(sys.argv[1:]))"


def cli(db: str | Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``segment-tui --db DB ARGS…`` in its own process: (exit status, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "--db", str(db), *args],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout, done.stderr


def assert_refused(result: tuple[int, str, str], *words: str, status: int = 1) -> str:
    """The command was refused cleanly: the exit status, ``error:``, each of ``words`` in
    the message, and no traceback or "unexpected failure". Returns stderr."""
    code, _, err = result
    assert code == status, err
    assert "error:" in err, err
    assert "Traceback" not in err and "unexpected failure" not in err, err
    for word in words:
        assert word in err, err
    return err


def _read(db: Path) -> sqlite3.Connection:
    """A read-only connection that also opens a WAL database on a read-only file system."""
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        connection.execute("SELECT 1 FROM sqlite_master").fetchall()
    except sqlite3.OperationalError:
        connection = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    return connection


def table_rows(db: Path) -> dict[str, int]:
    """Rows per table of a SQLite database, read directly (not through the app)."""
    with contextlib.closing(_read(db)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def database_dump(db: Path) -> str:
    """Every row of every table of a SQLite database, as text (for "nothing changed")."""
    with contextlib.closing(_read(db)) as connection:
        return "\n".join(connection.iterdump())


def folder_fingerprint(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` and a hash of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for the test; dropped afterwards."""
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
        connection.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        connection.close()


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Path]:
    """A folder to mount a file system on (unmounted afterwards); skips the test where
    this process may not mount (only root may, in a container with CAP_SYS_ADMIN)."""
    point = tmp_path / "mnt"
    point.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)):
        pytest.skip("cannot mount a file system here (needs root with CAP_SYS_ADMIN)")
    subprocess.run(["umount", str(point)], check=True)
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def mount_tmpfs(point: Path, size_kb: int) -> None:
    """Mount a tmpfs of ``size_kb`` KB on ``point``."""
    assert _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(point))


def remount_read_only(point: Path) -> None:
    """Make the file system on ``point`` read-only (root writes through mode bits, so a
    read-only folder for root needs a read-only file system)."""
    assert _mount("-o", "remount,ro", str(point))

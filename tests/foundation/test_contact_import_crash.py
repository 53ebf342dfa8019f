"""``kill -9`` during a large import, and readers during one (real child processes).

A large import drops the contact table's secondary indexes and builds them again inside
its transaction (docs/contacts-import.md, "Speed"). Killed at a random moment — often
right after the drop, while the contacts go in or the indexes are being built — it
leaves the database exactly as it was: the same contacts, links and indexes, an intact
file, and the next import runs to the end. A reader meanwhile sees the contacts as they
were until the commit, then all of them, and never an error.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.foundation.test_contact_import_indexes import contacts_file
from tests.postgres.test_postgres import pg_admin, pg_url

__all__ = ["pg_admin", "pg_url"]  # fixtures

CHILD = """
import sys
from contextlib import contextmanager
from pathlib import Path

from segment_tui.db import open_database
from segment_tui.services.contacts import import_indexes, importing

import_indexes.REBUILD_MIN_ROWS = 500
rebuilt = importing.indexes_rebuilt


@contextmanager
def marked(table, adding):
    with rebuilt(table, adding) as dropped:
        Path(sys.argv[3]).write_text(",".join(dropped))  # dropped, not committed
        yield dropped


importing.indexes_rebuilt = marked
open_database(sys.argv[1])
importing.import_contacts(Path(sys.argv[2]))
"""

KILLS = 6
"""Kills that must land before the import's commit."""
MAX_ROUNDS = 14
EXISTING = 200
IMPORTED = 4_000


Fingerprint = tuple[list[tuple[str, str, str]], list[int], tuple[str], tuple[str]]


def fingerprint(path: Path) -> Fingerprint:
    """What must not change: the schema (indexes included), the rows, an intact file."""
    # Closed at once: a file copy or unlink by this process while a connection is open
    # would drop that connection's POSIX locks, and a writer would then take itself for
    # the last connection and delete the write-ahead log under the reader's feet.
    with closing(sqlite3.connect(path)) as connection:
        schema = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        counts = [
            connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("contact", "contact_mailing_group", "contact_search_key")
        ]
        numbers = connection.execute("SELECT group_concat(no) FROM contact").fetchone()
        check = connection.execute("PRAGMA integrity_check").fetchone()
        return (schema.fetchall(), counts, numbers, check)


def start(db: Path | str, source: Path, marker: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(source), str(marker)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(marker: Path, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists() and child.poll() is None:
        assert time.monotonic() < deadline, "the import never reached its insert"
        time.sleep(0.002)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """A database holding the demo setup and 200 contacts (and a pristine copy of it),
    and a file of 4,000 new contacts: (database, pristine copy, file)."""
    from segment_tui.db import close_database, open_database, write_transaction
    from segment_tui.services.contacts.importing import import_contacts
    from segment_tui.services.demo.setup_data import seed_setup

    db = tmp_path / "crash.db"
    open_database(str(db))
    with write_transaction():
        seed_setup()
    import_contacts(contacts_file(tmp_path, EXISTING, first=900_001))
    close_database()
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pristine = tmp_path / "pristine.db"
    shutil.copy(db, pristine)
    yield db, pristine, contacts_file(tmp_path, IMPORTED)


def _restore(db: Path, pristine: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(pristine, db)


@pytest.mark.slow
def test_kill_9_during_a_large_import_leaves_the_database_as_it_was(
    world: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    db, pristine, source = world
    before = fingerprint(db)
    marker = tmp_path / "dropped"
    # What the import leaves when it runs to the end (a kill may land after its commit),
    # and how long it takes, in all and from the drop on: the kills land within that.
    began = time.monotonic()
    child = start(db, source, marker)
    wait_for(marker, child)
    dropped_at = time.monotonic()
    assert child.wait() == 0, child.stderr.read() if child.stderr else ""
    whole, rest = time.monotonic() - began, time.monotonic() - dropped_at
    assert marker.read_text().count(",") == 14  # it rebuilt 15 indexes
    after = fingerprint(db)
    assert after[1][0] == EXISTING + IMPORTED and after[3] == ("ok",)
    assert {i for i in after[0] if i[0] == "index"} >= {i for i in before[0] if i[0] == "index"}
    rng = random.Random(os.environ.get("CRASH_SEED"))
    outcomes: list[str] = []
    for round_no in range(MAX_ROUNDS):
        if outcomes.count("dropped") >= 2 and len(outcomes) - outcomes.count("after") >= KILLS:
            break
        _restore(db, pristine)
        marker.unlink(missing_ok=True)
        child = start(db, source, marker)
        if round_no % 3 != 2:  # two rounds in three: once the indexes are dropped
            wait_for(marker, child)
            time.sleep(rng.uniform(0, 0.8 * rest))
        else:
            time.sleep(rng.uniform(0, 0.8 * whole))
        dropped = marker.exists()
        child.send_signal(signal.SIGKILL)
        child.wait()
        state = fingerprint(db)
        assert state in (before, after), f"round {round_no}: a partial import"
        outcomes.append("after" if state == after else "dropped" if dropped else "before")
    print(outcomes)  # pytest -s shows where the kills landed
    assert "dropped" in outcomes, outcomes  # a kill landed while the indexes were dropped


@pytest.mark.slow
def test_a_reader_sees_the_contacts_as_they_were_then_all_and_never_an_error(
    world: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    db, _, source = world
    marker = tmp_path / "dropped"
    seen: set[tuple[int, int]] = set()
    reads_while_dropped = 0
    # One statement, one snapshot; the city count goes through the city index, which the
    # writer drops and builds again meanwhile.
    both = (
        "SELECT (SELECT COUNT(*) FROM contact), "
        "(SELECT COUNT(*) FROM contact WHERE city = 'City 5')"
    )
    with closing(sqlite3.connect(db, timeout=30)) as reader:
        assert "contact_city" in str(reader.execute(f"EXPLAIN QUERY PLAN {both}").fetchall())
        child = start(db, source, marker)
        while child.poll() is None:
            seen.add(reader.execute(both).fetchone())
            reads_while_dropped += marker.exists()
        assert child.returncode == 0, child.stderr.read() if child.stderr else ""
        seen.add(reader.execute(both).fetchone())
    assert reads_while_dropped > 0
    old = sum(1 for n in range(900_001, 900_001 + EXISTING) if n % 13 == 5)
    new = sum(1 for n in range(1, IMPORTED + 1) if n % 13 == 5)
    assert seen == {(EXISTING, old), (EXISTING + IMPORTED, old + new)}


def pg_fingerprint(url: str) -> tuple[list[tuple[str, str]], list[int]]:
    """The same on PostgreSQL: indexes, rows, keys."""
    import psycopg2

    with closing(psycopg2.connect(url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes ORDER BY indexname")
        indexes = cursor.fetchall()
        counts: list[int] = []
        for table in ("contact", "contact_mailing_group", "contact_search_key"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts.append(cursor.fetchone()[0])
        return indexes, counts


@pytest.mark.slow
def test_kill_9_during_a_large_import_on_postgresql_changes_nothing(
    pg_url: str, tmp_path: Path
) -> None:
    from segment_tui.db import close_database, open_database, write_transaction
    from segment_tui.services.contacts.importing import import_contacts
    from segment_tui.services.demo.setup_data import seed_setup

    open_database(pg_url)
    with write_transaction():
        seed_setup()
    import_contacts(contacts_file(tmp_path, EXISTING, first=900_001))
    close_database()
    before = pg_fingerprint(pg_url)
    source = contacts_file(tmp_path, IMPORTED)
    marker = tmp_path / "inserting"
    rng = random.Random(os.environ.get("CRASH_SEED"))
    done = None
    for _ in range(3):
        marker.unlink(missing_ok=True)
        child = start(pg_url, source, marker)
        wait_for(marker, child)  # the contacts are going in
        time.sleep(rng.uniform(0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        state = pg_fingerprint(pg_url)
        if state != before:  # the kill came after the commit: all of it is there
            indexes, counts = state
            assert indexes == before[0] and counts[0] == counts[2] == EXISTING + IMPORTED
            done = state
            break
    if done is None:  # usable: the same import runs to the end
        child = start(pg_url, source, marker)
        assert child.wait() == 0, child.stderr.read() if child.stderr else ""
        indexes, counts = pg_fingerprint(pg_url)
        assert indexes == before[0] and counts[0] == counts[2] == EXISTING + IMPORTED

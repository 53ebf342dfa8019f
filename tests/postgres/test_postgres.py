"""The same work on PostgreSQL as on SQLite (README, "Where the data lives":
``postgresql://`` URLs).

Runs when ``SEGMENT_TUI_TEST_PG`` holds the URL of a PostgreSQL server the tests may
create databases on (``.ci/run`` starts one); each test gets a database of its own.
The command line runs in real processes, as a script would run it: a journey gives the
same JSON on both databases, several processes writing at once all succeed, and a CSV
import exports back byte for byte what SQLite exports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import FIXTURES

NORTHWIND = FIXTURES / "contacts" / "neo4j-graph-examples-northwind__customers.csv"
RUN_CLI = "import sys; from segment_tui.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture
def pg_admin() -> str:
    """The URL of the PostgreSQL server the tests may create databases on."""
    admin = os.environ.get("SEGMENT_TUI_TEST_PG")
    if not admin:
        pytest.skip("set SEGMENT_TUI_TEST_PG to a PostgreSQL URL to run the PostgreSQL tests")
    return admin


@pytest.fixture
def pg_url(pg_admin: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for the test; dropped afterwards."""
    import psycopg2

    admin = pg_admin

    name = f"segtest_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        connection.cursor().execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(admin)
        yield urlunsplit(parts._replace(path=f"/{name}"))
        connection.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        connection.close()


def cli(db: str, *args: str) -> tuple[int, str, str]:
    """``segment-tui --db DB ARGS…`` in its own process: (exit status, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "--db", db, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def ok_json(db: str, *args: str) -> Any:
    status, out, err = cli(db, *args, "--json")
    assert status == 0, f"{args}: {err}"
    return json.loads(out)


def without_ids(value: Any) -> Any:
    """JSON without surrogate ``id`` keys: SQLite reuses a deleted row's id, a PostgreSQL
    sequence does not, and no user ever sees them."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def journey(db: str) -> list[Any]:
    """Demo data, a segment built by criteria, Go Back, a line change, Log with a
    follow-up, the logged segment cancelled: every step's JSON."""
    status, _, err = cli(db, "demo")
    assert status == 0, err
    steps: list[Any] = []
    header = ["--template", "LETTER", "--salesperson", "BC", "--date", "2026-12-01"]
    new = ok_json(db, "segment", "new", "--description", "Winter letters", *header)
    no = new["no"]
    steps.append(new)
    steps.append(ok_json(db, "segment", "add", no, "--where", "city=Köln|Leeds", "--dry-run"))
    steps.append(ok_json(db, "segment", "add", no, "--where", "city=Köln|Leeds"))
    steps.append(ok_json(db, "segment", "add", no, "--where", "name=@*ö*", "--allow-existing"))
    steps.append(ok_json(db, "segment", "reduce", no, "--where", "type=company"))
    steps.append(ok_json(db, "segment", "go-back", no))
    steps.append(ok_json(db, "segment", "refine", no, "--where", "mailing_group=<>''",
                         "--entire-companies"))  # fmt: skip
    steps.append(ok_json(db, "segment", "criteria", no))
    steps.append(ok_json(db, "segment", "show", no))
    steps.append(ok_json(db, "segment", "log", no, "--follow-up"))
    logged = ok_json(db, "logged", "list")
    steps.append(logged)
    entry = max(row["entry_no"] for row in logged)
    status, out, err = cli(db, "logged", "cancel", str(entry))
    assert status == 0, err
    steps.append(out)
    steps.append(ok_json(db, "logged", "list"))
    steps.append(ok_json(db, "contacts", "list", "--where", "ile.logged_segment=" + str(entry)))
    return steps


def test_a_journey_gives_the_same_results_on_postgresql_as_on_sqlite(
    pg_url: str, tmp_path: Path
) -> None:
    on_sqlite = journey(str(tmp_path / "reference.db"))
    on_postgres = journey(pg_url)
    assert on_sqlite[2]["added"] > 0 and on_sqlite[9]["entries"] > 0
    assert [row["canceled"] for row in on_sqlite[12] if row["entry_no"] == 3] == [True]
    for step, (expected, actual) in enumerate(zip(on_sqlite, on_postgres, strict=True)):
        assert without_ids(actual) == without_ids(expected), f"step {step} differs"


def list_filters(db: str) -> list[Any]:
    """The lists' filter language (``--where`` on entries and logged segments)."""
    status, _, err = cli(db, "demo")
    assert status == 0, err
    return [
        ok_json(db, "interactions", "list", "--where", "contact_name=@*ö*",
                "--where", "evaluation=positive|very_positive", "--where", "date=..t"),
        ok_json(db, "interactions", "list", "--where", "contact_no=CT00001*",
                "--where", "canceled=no", "--where", "delivery_status=''"),
        ok_json(db, "logged", "list", "--where", "failed=0", "--where", "description=@*SURVEY*"),
    ]  # fmt: skip


def test_list_filters_give_the_same_rows_on_postgresql_as_on_sqlite(
    pg_url: str, tmp_path: Path
) -> None:
    on_sqlite = list_filters(str(tmp_path / "reference.db"))
    on_postgres = list_filters(pg_url)
    assert all(on_sqlite), "every filter selects something in the demo data"
    assert without_ids(on_postgres) == without_ids(on_sqlite)


def test_processes_writing_at_once_all_succeed_on_postgresql(pg_url: str) -> None:
    status, _, err = cli(pg_url, "demo")
    assert status == 0, err
    with ThreadPoolExecutor(max_workers=6) as pool:
        created = list(
            pool.map(
                lambda i: cli(pg_url, "segment", "new", "--description", f"P{i}", "--json"),
                range(6),
            )  # fmt: skip
        )
    assert [status for status, _, _ in created] == [0] * 6, [err for _, _, err in created]
    numbers = {json.loads(out)["no"] for _, out, _ in created}
    assert len(numbers) == 6
    target = sorted(numbers)[0]
    cities = ["Köln", "Leeds", "Boston", "Hamburg", "Roma", "Marseille"]
    with ThreadPoolExecutor(max_workers=6) as pool:
        added = list(
            pool.map(
                lambda c: cli(pg_url, "segment", "add", target, "--where", f"city={c}", "--json"),
                cities,
            )  # fmt: skip
        )
    assert [status for status, _, _ in added] == [0] * 6, [err for _, _, err in added]
    total = sum(json.loads(out)["added"] for _, out, _ in added)
    shown = ok_json(pg_url, "segment", "show", target)
    assert len(shown["lines"]) == total > 0
    assert len({line["line_no"] for line in shown["lines"]}) == total
    criteria = ok_json(pg_url, "segment", "criteria", target)
    assert sorted(row["action_no"] for row in criteria if row["type"] == "action") == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_import_and_export_on_postgresql_match_sqlite(pg_url: str, tmp_path: Path) -> None:
    exports: list[bytes] = []
    for db in (str(tmp_path / "reference.db"), pg_url):
        status, out, err = cli(db, "contacts", "import", str(NORTHWIND))
        assert status == 0, err
        assert "imported 91 rows" in out
        target = tmp_path / f"export-{len(exports)}.csv"
        status, _, err = cli(db, "contacts", "export", str(target))
        assert status == 0, err
        exports.append(target.read_bytes())
    assert exports[0] == exports[1]
    assert "Antonio Moreno Taquería".encode() in exports[1]


def test_a_database_not_in_utf8_is_refused_with_a_clear_message(pg_admin: str) -> None:
    import psycopg2

    admin = pg_admin
    name = f"segtest_ascii_{uuid.uuid4().hex[:8]}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        connection.cursor().execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'SQL_ASCII' TEMPLATE template0 "
            "LC_COLLATE 'C' LC_CTYPE 'C'"
        )
        url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
        status, _, err = cli(url, "demo")
        assert status == 1
        assert "uses the encoding SQL_ASCII; segment-tui needs UTF8" in err
        tables = psycopg2.connect(url)
        try:
            cursor = tables.cursor()
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert cursor.fetchone() == (0,)  # nothing written
        finally:
            tables.close()
    finally:
        connection.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()

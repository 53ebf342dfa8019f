"""The streaming command line on PostgreSQL (docs/streaming.md): the JSON the database
writes for lines and entries equals the records, value for value, as on SQLite
(``tests/cli/test_streaming.py``), and contacts are exported from one snapshot."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from segment_tui.db import close_database, open_database, write_transaction
from segment_tui.services.demo.setup_data import seed_setup
from tests.cli.test_streaming import (
    build_world,
    check_fetched_a_batch_at_a_time,
    check_killed_delivery_reads_unknown,
    check_same_json,
    run,
)
from tests.postgres.test_postgres import pg_admin, pg_url  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("pg_url")


@pytest.fixture
def pg_world(pg_url: str) -> Iterator[tuple[str, str]]:  # noqa: F811 - the fixture
    open_database(pg_url)
    try:
        with write_transaction():
            seed_setup()
        yield pg_url, build_world()
    finally:
        close_database()


def test_streamed_json_equals_the_records_on_postgresql(
    pg_world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    check_same_json(capsys, *pg_world)


def test_a_killed_delivery_reads_unknown_on_postgresql(
    pg_world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    check_killed_delivery_reads_unknown(capsys, pg_world[0])


def test_a_killed_delivery_of_an_interaction_alone_reads_unknown_on_postgresql(
    pg_world: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    check_killed_delivery_reads_unknown(capsys, pg_world[0], alone=True)


def test_export_and_lists_stream_on_postgresql(
    pg_world: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, show = pg_world
    target = tmp_path / "contacts.csv"
    status, out, err = run(capsys, url, "contacts", "export", str(target))
    assert (status, out) == (0, f"exported 6 contacts to {target}\n"), err
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("no,type,name,") and len(rows) == 7
    # A selection looks codes up per contact, the whole table joins them: the same rows.
    persons = tmp_path / "persons.csv"
    status, _, err = run(capsys, url, "contacts", "export", str(persons), "--where", "type=Person")
    assert status == 0, err
    assert persons.read_text(encoding="utf-8").splitlines() == [rows[0]] + [
        row for row in rows[1:] if row.split(",")[1] == "person"
    ]
    status, out, _ = run(capsys, url, "segment", "show", show)
    assert status == 0 and "Ännä Smith" in out
    status, out, _ = run(capsys, url, "interactions", "list", "--limit", "0", "--json")
    assert (status, json.loads(out)) == (0, [])


def test_rows_come_from_a_server_side_cursor_a_batch_at_a_time(
    pg_world: tuple[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # psycopg2's ordinary cursor reads the whole result into memory: DECLARE … FETCH.
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        check_fetched_a_batch_at_a_time(pg_world[1], monkeypatch)
    statements = [str(r.msg[0] if isinstance(r.msg, tuple) else r.msg) for r in caplog.records]
    assert any(s.startswith("DECLARE segment_tui_stream_") for s in statements)
    fetches = [s for s in statements if s.startswith("FETCH FORWARD ")]
    assert {s.split()[2] for s in fetches} >= {"4", "3", "2"}

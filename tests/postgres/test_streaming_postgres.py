"""The streaming command line on PostgreSQL (docs/streaming.md): the JSON the database
writes for lines and entries equals the records, value for value, as on SQLite
(``tests/cli/test_streaming.py``), and contacts are exported from one snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from segment_tui.db import close_database, open_database, write_transaction
from segment_tui.services.demo import seed_setup
from tests.cli.test_streaming import build_world, check_same_json, run
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


def test_export_and_lists_stream_on_postgresql(
    pg_world: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, show = pg_world
    target = tmp_path / "contacts.csv"
    status, out, err = run(capsys, url, "contacts", "export", str(target))
    assert (status, out) == (0, f"exported 6 contacts to {target}\n"), err
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("no,type,name,") and len(rows) == 7
    status, out, _ = run(capsys, url, "segment", "show", show)
    assert status == 0 and "Ännä Smith" in out
    status, out, _ = run(capsys, url, "interactions", "list", "--limit", "0", "--json")
    assert (status, json.loads(out)) == (0, [])

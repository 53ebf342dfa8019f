"""The Segment page actions give the same results on PostgreSQL as on SQLite: the same
JSON, byte-identical CSV files, the same PDF text (runs with ``SEGMENT_TUI_TEST_PG``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.postgres.test_postgres import cli, ok_json, pg_admin, pg_url, without_ids
from tests.segment_page.conftest import pdf_text

__all__ = ["pg_admin", "pg_url"]  # fixtures, imported so pytest finds them here


def actions(db: str, folder: Path) -> tuple[list[Any], list[bytes], list[str]]:
    """Demo data, then every action on its first segment: (JSON, CSV bytes, PDF text)."""
    status, _, err = cli(db, "demo")
    assert status == 0, err
    folder.mkdir()
    no = ok_json(db, "segment", "list")[0]["no"]
    steps = [
        ok_json(db, "segment", "apply-mailing-group", no, "PRESS", "--delete-old"),
        ok_json(db, "segment", "apply-mailing-group", no, "PRESS"),
        ok_json(db, "contacts", "list", "--where", "mailing_group=PRESS"),
        ok_json(db, "--work-date", "2026-03-02", "segment", "new", "--description", "W"),
    ]
    files = {
        "labels": ["labels", no, "--out", str(folder / "l.pdf"), "--merge-households"],
        "cover": ["cover-sheets", no, "--out", str(folder / "c.pdf"), "--remark", "call"],
        "report": ["report", no, "--out", str(folder / "r.pdf")],
        "report-csv": ["report", no, "--out", str(folder / "r.csv")],
        "export": ["export-contacts", no, str(folder / "e.csv")],
    }
    for args in files.values():
        document = ok_json(db, "segment", *args)
        document.pop("file", None)
        steps.append(document)
    csvs = [(folder / name).read_bytes() for name in ("r.csv", "e.csv")]
    # The report's date line is today on both; everything else must match.
    texts = [pdf_text(folder / name) for name in ("l.pdf", "c.pdf", "r.pdf")]
    return steps, csvs, texts


def test_segment_page_actions_match_on_postgresql_and_sqlite(pg_url: str, tmp_path: Path) -> None:
    on_sqlite = actions(str(tmp_path / "reference.db"), tmp_path / "sqlite")
    on_postgres = actions(pg_url, tmp_path / "postgres")
    steps, csvs, texts = on_sqlite
    assert steps[0]["added"] > 0 and steps[1]["already"] == steps[0]["added"]
    assert steps[3]["date"] == "2026-03-02"
    assert without_ids(on_postgres[0]) == without_ids(steps)
    assert on_postgres[1] == csvs
    assert on_postgres[2] == texts

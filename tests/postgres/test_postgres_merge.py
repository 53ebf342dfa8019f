"""The Word merge on PostgreSQL: the template check and ``segment merge`` give the same
results as on SQLite, in real processes (values are read in raw batches there too)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from tests.postgres.test_postgres import cli, pg_admin, pg_url  # noqa: F401 - fixtures

__all__ = ["pg_admin", "pg_url"]


def _merge_run(db: str, out: Path) -> dict[str, Any]:
    status, _, err = cli(db, "demo")
    assert status == 0, err
    status, out_text, err = cli(
        db, "segment", "new", "--description", "Merge", "--template", "LETTER",
        "--salesperson", "BC", "--date", "2026-12-03", "--json",
    )  # fmt: skip
    assert status == 0, err
    no = json.loads(out_text)["no"]
    status, _, err = cli(db, "segment", "add", no, "--where", "city=Köln|Leeds|London")
    assert status == 0, err
    status, check, err = cli(db, "template", "check", "LETTER", "--segment", no, "--json")
    assert status in (0, 1), err
    status, merged, err = cli(db, "segment", "merge", no, "--out", str(out), "--json")
    assert status == 0, err
    record = json.loads(merged)
    with zipfile.ZipFile(record["paths"][0]) as zf:
        body = zf.read("word/document.xml").decode()
    checked = json.loads(check)
    for document in checked["documents"]:
        document.pop("attachment_no")
    return {"check": checked, "letters": record["letters"], "body_length": len(body)}


def test_check_and_merge_give_the_same_results_on_postgresql(
    pg_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    on_sqlite = _merge_run(str(tmp_path / "reference.db"), tmp_path / "sqlite.docx")
    on_postgres = _merge_run(pg_url, tmp_path / "postgres.docx")
    assert on_sqlite["letters"] > 0
    assert on_postgres == on_sqlite

"""The contact's side of interactions on PostgreSQL as on SQLite: the same journey
(Create Interaction with a delivered hard copy and a campaign, statistics, campaign
entries, profile answers set and imported, a letter exported) gives the same JSON on
both databases, in real processes; and migration 15 upgrades a version-7 database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.postgres.test_postgres import cli, ok_json, pg_admin, pg_url, without_ids

__all__ = ["pg_admin", "pg_url"]  # fixtures used by the tests below

VOLATILE = {"time_of_interaction", "delivered_at", "delivery_file", "out_dir", "summary", "path"}


def stable(value: Any) -> Any:
    """JSON without ids, times and paths (they differ between any two runs)."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in without_ids(value).items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def journey(db: str, work: Path) -> list[Any]:
    status, _, err = cli(db, "demo", "--contacts", "40")
    assert status == 0, err
    steps: list[Any] = []
    today = dt.date.today().isoformat()
    steps.append(ok_json(db, "interactions", "create", "CT000002", "--template", "LETTER",
                         "--out", str(work / "letters"), "--no-pdf", "--date", today))  # fmt: skip
    steps.append(ok_json(db, "interactions", "create", "CT000003", "--template", "OUTCALL",
                         "--campaign", "CP1001", "--evaluation", "positive",
                         "--date", today))  # fmt: skip
    steps.append(ok_json(db, "interactions", "create", "CT000001", "--template", "MEETING",
                         "--campaign", "CP1001", "--attempt-failed", "--date", today))  # fmt: skip
    for by in ("contact", "template", "group"):
        steps.append(ok_json(db, "interactions", "stats", "--by", by))
    steps.append(ok_json(db, "interactions", "stats", "--by", "contact", "--where",
                         "ile.campaign_no=CP1001", "--where", "type=Person"))  # fmt: skip
    steps.append(ok_json(db, "campaigns", "entries", "CP1001"))
    status, out, err = cli(db, "profile", "set", "CT000001", "COMPANY", "20000")
    assert status == 0, err
    answers = work / "answers.csv"
    answers.write_text("contact,questionnaire,answer\nCT000006,COMPANY,250 or more\n", "utf-8")
    steps.append(ok_json(db, "profile", "import", str(answers)))
    steps.append(ok_json(db, "profile", "list"))
    steps.append(ok_json(db, "interactions", "list", "--contact", "CT000002"))
    letter = ok_json(db, "interactions", "letter", str(steps[0]["entry"]["entry_no"]),
                     "--out", str(work / "copy.docx"))  # fmt: skip
    steps.append(letter)
    assert (work / "copy.docx").read_bytes() == (
        work / "letters" / "Adatum - James Garcia.docx"
    ).read_bytes()
    return steps


def test_the_contact_side_gives_the_same_results_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    (tmp_path / "lite").mkdir()
    (tmp_path / "pg").mkdir()
    on_sqlite = journey(str(tmp_path / "reference.db"), tmp_path / "lite")
    on_postgres = journey(pg_url, tmp_path / "pg")
    assert on_sqlite[0]["delivery"]["files"] == 1
    assert on_sqlite[0]["entry"]["letter"] == "delivered"
    for step, (expected, actual) in enumerate(zip(on_sqlite, on_postgres, strict=True)):
        assert stable(actual) == stable(expected), f"step {step} differs"


def test_migration_15_upgrades_a_version_7_database_on_postgresql(pg_url: str) -> None:
    from peewee import PostgresqlDatabase

    from segment_tui.db import close_database, db, open_database
    from segment_tui.migrations import apply_migrations

    old = PostgresqlDatabase(pg_url.rsplit("/", 1)[1], **_connect_args(pg_url))
    assert apply_migrations(old, up_to=7)[-1] == 7
    old.close()
    open_database(pg_url)
    try:
        tables = {row[0] for row in db.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}  # fmt: skip
        assert "entry_delivery_claim" in tables
        indexes = {row[0] for row in db.execute_sql(
            "SELECT indexname FROM pg_indexes "
            "WHERE tablename = 'interaction_log_entry'")}  # fmt: skip
        assert "interaction_log_entry_campaign_entry_no" in indexes
    finally:
        close_database()


def _connect_args(url: str) -> dict[str, Any]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return {"host": parts.hostname, "port": parts.port, "user": parts.username or "postgres"}

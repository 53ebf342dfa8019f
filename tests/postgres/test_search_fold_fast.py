"""Migration 16's folding on PostgreSQL: plain ASCII text takes a shortcut (a bulk import
keys 100,000 contacts in one statement, which migration 12's table made take 10–18 s),
and every text still folds exactly as migration 12 folds it and as Python does
(``segment_tui/filters/search_fold.py``).

Runs when ``SEGMENT_TUI_TEST_PG`` names a server (see ``test_postgres.py``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import pytest

from segment_tui.db import close_database, db, open_database
from segment_tui.filters.search_fold import fold_search
from segment_tui.migrations.m0012_contact_search_keys import postgres_fold_function
from tests.conftest import FIXTURES
from tests.postgres.test_postgres import pg_admin, pg_url

__all__ = ["pg_admin", "pg_url"]  # fixtures

TEXTS = [
    *(chr(code) for code in range(1, 128)),
    "CT000123", "Adatum Corporation", "O'Brien & Sons, Ltd.", "tab\there", "a\x1fb",
    "50% off_now!", "ABC-def 12/3", " \t\n\r\x0b\x0c", "Seán O'Brien", "ÉLECTRICITÉ",
    "Großmann Straße", "ẞ", "Jean-Luc Ørsted", "İstanbul", "e\u0301lan", "Σοφία", "«q»",
    "", "x" * 300,
]  # fmt: skip


@pytest.fixture
def pg(pg_url: str) -> Iterator[Any]:
    """A migrated database holding migration 12's function beside today's."""
    database = open_database(pg_url)
    old = postgres_fold_function().replace("segment_search_fold(", "migration12_fold(", 1)
    database.cursor().execute(old)
    yield database
    close_database()


def _fold(function: str, text: str | None) -> str:
    return str(db.execute_sql(f"SELECT {function}(%s)", (text,)).fetchone()[0])


def test_every_ascii_character_and_sample_folds_as_before_and_as_python(pg: Any) -> None:
    for text in TEXTS:
        assert _fold("segment_search_fold", text) == _fold("migration12_fold", text), repr(text)
        assert _fold("segment_search_fold", text) == fold_search(text), repr(text)
    assert _fold("segment_search_fold", None) == ""


def test_real_names_fold_as_before(pg: Any) -> None:
    """Every cell of the third-party contact files (names, addresses, e-mails…)."""
    values = sorted(
        {cell for path in sorted((FIXTURES / "contacts").glob("*.csv"))
         for row in csv.reader(path.open(encoding="utf-8-sig")) for cell in row}
    )  # fmt: skip
    assert len(values) > 500
    db.execute_sql("CREATE TEMPORARY TABLE sample (value TEXT)")
    db.cursor().executemany("INSERT INTO sample VALUES (%s)", [(v,) for v in values])
    differ = db.execute_sql(
        "SELECT value FROM sample "
        "WHERE segment_search_fold(value) <> migration12_fold(value) LIMIT 5"
    ).fetchall()
    assert differ == []


def test_the_shortcut_is_taken_for_ascii_only(pg: Any) -> None:
    (source,) = db.execute_sql(
        "SELECT prosrc FROM pg_proc WHERE proname = 'segment_search_fold'"
    ).fetchone()
    assert "octet_length(value) = char_length(value)" in source

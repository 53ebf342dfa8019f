"""Command-line arguments at the edges: bytes that are not UTF-8, filters nested 400 deep,
chains of 1,000 terms, 40,000 characters, 2,000 ``--where`` items. Each works or is
refused with the field, the position and what is allowed (exit 1), never a traceback,
and a refused change leaves the database as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from segment_tui.filters.syntax import MAX_DEPTH, MAX_FILTER_LENGTH
from tests.security.conftest import RUN_CLI, assert_refused, cli, database_dump


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "args.db"
    assert cli(path, "demo", "--contacts", "60")[0] == 0
    return path


def raw_cli(db: Path, *args: str | bytes) -> tuple[int, str, str]:
    """The CLI with arguments as raw bytes (what a shell passes from a Latin-1 terminal)."""
    done = subprocess.run(
        [sys.executable.encode(), b"-c", RUN_CLI.encode(), b"--db", os.fsencode(db),
         *(a if isinstance(a, bytes) else a.encode() for a in args)],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    return (
        done.returncode,
        done.stdout.decode("utf-8", "strict"),  # whatever came in, what goes out is UTF-8
        done.stderr.decode("utf-8", "strict"),
    )


def test_a_filter_that_is_not_utf8_is_refused_with_its_position(db: Path) -> None:
    before = database_dump(db)
    err = assert_refused(raw_cli(db, "contacts", "list", "--where", b"city=Lond\xf3n"))
    assert "filter city: position 4: expected text (bytes that are not UTF-8" in err
    err = assert_refused(raw_cli(db, "segment", "add", "SEG00003", "--where", b"name=\xff*"))
    assert "filter name: position 0" in err
    assert_refused(raw_cli(db, "logged", "list", "--where", b"description=\xe9t\xe9"), "UTF-8")
    assert database_dump(db) == before


def test_values_that_are_not_utf8_are_refused_and_quoted_safely(db: Path) -> None:
    before = database_dump(db)
    err = assert_refused(raw_cli(db, "segment", "set", "SEG00003", b"description=Caf\xe9"))
    assert "not valid text" in err and "\\udce9" in err
    err = assert_refused(raw_cli(db, "segment", "show", b"SEG\xff"), "not valid text")
    assert "\\udcff" in err
    assert_refused(raw_cli(db, "segment", "new", "--description", b"\xc3\x28"), "not valid text")
    assert database_dump(db) == before


def test_a_file_name_that_is_not_utf8_still_works(db: Path, tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.csv")
    (tmp_path / name).write_text("name\nFirm\n", encoding="utf-8")
    status, out, err = raw_cli(db, "contacts", "import", os.fsencode(tmp_path / name))
    assert status == 0, err
    assert "caf\\udce9.csv" in out or "imported 1 row" in out


def _nested(depth: int) -> str:
    return "(" * depth + "A*" + ")" * depth


def test_nesting_is_limited_with_a_clear_message(db: Path) -> None:
    status, out, err = cli(db, "contacts", "list", "--where", f"name={_nested(MAX_DEPTH)}")
    assert status == 0, err
    for depth in (MAX_DEPTH + 1, 400, 5000):
        err = assert_refused(cli(db, "contacts", "list", "--where", f"name={_nested(depth)}"))
        assert f"filter name: position {MAX_DEPTH}: expected at most {MAX_DEPTH} levels" in err


def test_length_is_limited_with_a_clear_message(db: Path) -> None:
    text = "|".join(["CT000001"] * 5000)
    assert len(text) > MAX_FILTER_LENGTH
    err = assert_refused(cli(db, "contacts", "list", "--where", f"no={text}"))
    assert f"expected at most {MAX_FILTER_LENGTH:,} characters" in err


def _count(db: Path | str, *where: str) -> int:
    arguments = [a for w in where for a in ("--where", w)]
    status, out, err = cli(db, "contacts", "list", *arguments)
    assert status == 0, err[-500:]
    return len(out.splitlines()) - 1


CHAINS = {
    "and-chain": "&".join(f"<>X{n}" for n in range(1000)),  # was a RecursionError
    "or-chain of patterns": "|".join(f"X{n}*" for n in range(999)) + "|A*",
    "or-chain of comparisons": "|".join(f">=A{n}" for n in range(1000)),
}


@pytest.mark.parametrize("chain", list(CHAINS))
def test_chains_of_1000_terms_run_on_both_databases(db: Path, pg_url: str, chain: str) -> None:
    on_sqlite = _count(db, f"name={CHAINS[chain]}")
    assert 0 < on_sqlite <= _count(db)
    assert cli(pg_url, "demo", "--contacts", "60")[0] == 0
    assert _count(pg_url, f"name={CHAINS[chain]}") == on_sqlite


def test_two_thousand_where_items_run(db: Path) -> None:
    assert _count(db, *["name=<>X"] * 2000) == _count(db)
    status, out, err = cli(db, "logged", "list", *["--where", "failed=0"] * 2000)
    assert status == 0, err[-500:]


def test_nul_in_a_filter_is_refused_by_the_service(db: Path) -> None:
    from segment_tui.db import close_database, open_database
    from segment_tui.errors import UserError
    from segment_tui.services.contacts.query import contact_condition

    open_database(str(db))
    try:
        with pytest.raises(UserError, match="filter name: position 1: expected text .*NUL"):
            contact_condition(["name=a\x00b"])
    finally:
        close_database()

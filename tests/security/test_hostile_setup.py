"""``setup import`` takes only what the Setup screen would take typed in, whatever the
file holds: bad values are refused naming the table, record and field (exit 1), a
hostile file (100,000 levels deep, far too big) is refused before it is read, and the
database is exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.security.conftest import assert_refused, cli, database_dump


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "setup.db"
    assert cli(path, "demo", "--contacts", "10")[0] == 0
    return path


def _import(db: Path | str, tmp_path: Path, document: Any) -> tuple[int, str, str]:
    path = tmp_path / "setup.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return cli(db, "setup", "import", str(path))


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"no_series": [{"code": "CT", "increment_by": 0}]},
         ["no_series[0].increment_by", "greater than or equal to 1"]),
        ({"no_series": [{"code": "CT", "increment_by": -5}]},
         ["no_series[0].increment_by", "greater than or equal to 1"]),
        ({"no_series": [{"code": "", "description": "blank"}]},
         ["no_series[0].code", "cannot be blank"]),
        ({"salesperson": [{"code": None, "name": "Nobody"}]},
         ["salesperson[0].code", "cannot be blank"]),
        ({"territory": [{"code": "   ", "name": "spaces"}]},
         ["territory[0].code", "cannot be blank"]),
        ({"interaction_template": [{"code": "LETTER", "unit_cost_lcy": 0.001}]},
         ["interaction_template[0].unit_cost_lcy", "more than the 2 decimal places"]),
        ({"interaction_template": [{"code": "LETTER", "unit_cost_lcy": "1.005"}]},
         ["interaction_template[0].unit_cost_lcy", "decimal places"]),
        ({"interaction_template": [{"code": "LETTER", "unit_cost_lcy": "NaN"}]},
         ["unit_cost_lcy", "not a number"]),
        ({"interaction_template": [{"code": "LETTER", "unit_cost_lcy": -1}]},
         ["unit_cost_lcy", "greater than or equal to 0"]),
        ({"interaction_template": [{"code": "LETTER", "unit_duration_min": 2**40}]},
         ["unit_duration_min", "too large"]),
        ({"salesperson": [{"code": "EV", "name": "Eve\u0000l"}]},
         ["salesperson[0].name", "NUL character"]),
        ({"marketing_setup": [{"primary_key": "", "smtp_host": "\u001b]0;pwned\u0007mail"}]},
         ["marketing_setup[0].smtp_host", "control character U+001B"]),
        ({"no_series": [{"code": "CT", "increment_by": 1.5}]},
         ["increment_by", "whole number"]),
    ],
)  # fmt: skip
def test_setup_values_are_checked_as_on_entry(
    db: Path, tmp_path: Path, document: Any, words: list[str]
) -> None:
    before = database_dump(db)
    assert_refused(_import(db, tmp_path, document), *words)
    assert database_dump(db) == before


def test_the_setup_screen_refuses_the_same_values(db: Path) -> None:
    from segment_tui.db import close_database, open_database
    from segment_tui.errors import UserError
    from segment_tui.services.setup.records import save_field

    open_database(str(db))
    try:
        with pytest.raises(UserError, match="greater than or equal to 1"):
            save_field("no_series", "CT", "increment_by", "0")
        with pytest.raises(UserError, match="more than 2 decimal places"):
            save_field("interaction_template", "LETTER", "unit_cost_lcy", "0.001")
        assert save_field("interaction_template", "LETTER", "unit_cost_lcy", "0.5")[
            "unit_cost_lcy"
        ] == pytest.approx(0.5)
    finally:
        close_database()


def test_good_values_still_import(db: Path, tmp_path: Path) -> None:
    document = {
        "no_series": [{"code": "CT", "increment_by": 10}],
        "interaction_template": [{"code": "LETTER", "unit_cost_lcy": "1.25"}],
        "marketing_setup": [{"primary_key": "", "smtp_host": "mail.example.com"}],
    }
    status, out, err = _import(db, tmp_path, document)
    assert status == 0, err


def test_json_100000_levels_deep_is_refused_quickly(db: Path, tmp_path: Path) -> None:
    before = database_dump(db)
    path = tmp_path / "deep.json"
    path.write_text('{"territory": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    err = assert_refused(cli(db, "setup", "import", str(path)), "nested too deeply")
    assert "nothing was imported" in err
    assert database_dump(db) == before


def test_a_file_far_too_big_is_refused_before_it_is_read(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk
    assert_refused(cli(db, "setup", "import", str(path)), "is not a setup file")


def test_nul_is_refused_alike_on_sqlite_and_postgresql(
    db: Path, tmp_path: Path, pg_url: str
) -> None:
    assert cli(pg_url, "init")[0] == 0
    document = {"territory": [{"code": "NUL", "name": "before\u0000after"}]}
    messages = []
    for target in (db, pg_url):
        err = assert_refused(_import(target, tmp_path, document), "territory[0].name")
        messages.append(err)
        status, out, _ = cli(target, "setup", "export", str(tmp_path / "check.json"))
        exported = json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))
        assert all(t["code"] != "NUL" for t in exported["territory"])
    assert messages[0] == messages[1]

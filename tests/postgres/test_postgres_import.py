"""Contact import on PostgreSQL: the staging table, the checks in SQL, ``--skip-bad`` and
``--update`` give the same contacts as on SQLite (real processes, as a script runs them)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import FIXTURES
from tests.postgres import test_postgres as shared
from tests.postgres.test_postgres import cli, ok_json

pg_admin = shared.pg_admin  # the server and a fresh database per test, as there
pg_url = shared.pg_url

CUSTOMERS = FIXTURES / "contacts" / "datablist-sample-csv-files__customers-100.csv"


def _exports(tmp_path: Path, databases: list[str], *steps: tuple[str, ...]) -> list[bytes]:
    exports = []
    for n, db in enumerate(databases):
        assert cli(db, "init")[0] == 0
        for step in steps:
            status, _, err = cli(db, *step)
            assert status == 0, f"{step}: {err}"
        target = tmp_path / f"export-{n}.csv"
        status, _, err = cli(db, "contacts", "export", str(target))
        assert status == 0, err
        exports.append(target.read_bytes())
    return exports


def test_the_customer_export_imports_alike_on_both_databases(pg_url: str, tmp_path: Path) -> None:
    first, second = _exports(
        tmp_path, [str(tmp_path / "ref.db"), pg_url], ("contacts", "import", str(CUSTOMERS))
    )
    assert first == second
    assert b"Preston Lozano" in second and b",DJ," in second


def test_skip_bad_and_update_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    rows = list(csv.reader(CUSTOMERS.open(encoding="utf-8")))
    rows[2][6] = "Narnia"
    source = tmp_path / "customers.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    changes = tmp_path / "changes.csv"
    changes.write_text(
        "Customer Id,City,Email\nDD37Cf93aecA6Dc,Santiago,sheryl@example.com\n", encoding="utf-8"
    )
    steps = [
        ("contacts", "import", str(source), "--skip-bad"),
        ("contacts", "import", str(changes), "--update", "--match", "external_id"),
    ]
    first, second = _exports(tmp_path, [str(tmp_path / "ref.db"), pg_url], *steps)
    assert first == second
    rejects = (tmp_path / "customers.rejects.csv").read_text(encoding="utf-8-sig")
    assert "country/region 'Narnia' does not exist" in rejects
    [sheryl] = ok_json(pg_url, "contacts", "list", "--where", "external_id=DD37Cf93aecA6Dc")
    assert (sheryl["city"], sheryl["email"]) == ("Santiago", "sheryl@example.com")
    assert len(ok_json(pg_url, "contacts", "list", "--where", "type=person")) == 99


def test_a_nul_byte_is_refused_alike_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"name,city\nAda\x00tum,Leeds\nTrey,York\n")
    assert cli(pg_url, "init")[0] == 0
    status, _, err = cli(pg_url, "contacts", "import", str(path))
    assert status == 1
    assert "line 2, column name: holds the control character U+0000" in err
    assert ok_json(pg_url, "contacts", "list") == []


def test_backslashes_and_copy_markers_are_stored_as_written_on_both_databases(
    pg_url: str, tmp_path: Path
) -> None:
    """PostgreSQL's staging table is filled with COPY, whose text format gives ``\\``,
    ``\\N`` and ``\\.`` meanings: they must arrive as the file wrote them."""
    values = ["C:\\temp\\new", "\\N", "\\.", "a\\\\b", "end\\"]
    source = tmp_path / "backslashes.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["no", "name", "address", "city"])
        for n, value in enumerate(values, 1):
            writer.writerow([f"B{n}", f"Name {value}", value, f"{value}x"])
    sqlite_db = str(tmp_path / "ref.db")
    first, second = _exports(tmp_path, [sqlite_db, pg_url], ("contacts", "import", str(source)))
    assert first == second
    stored = {c["no"]: c for c in ok_json(pg_url, "contacts", "list", "--json")}
    for n, value in enumerate(values, 1):
        contact = stored[f"B{n}"]
        assert (contact["name"], contact["address"], contact["city"]) == (
            f"Name {value}", value, f"{value}x",
        )  # fmt: skip

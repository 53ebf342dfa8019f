"""``segment-tui init``, ``demo`` and ``contacts …`` as a script sees them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from segment_tui.cli import main
from tests.conftest import FIXTURES

NORTHWIND = FIXTURES / "contacts" / "neo4j-graph-examples-northwind__customers.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_init_creates_a_private_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.db"
    status, out, _ = run(capsys, "--db", str(path), "init")
    assert status == 0
    assert str(path) in out and "schema version" in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_import_northwind_then_list_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    status, out, err = run(capsys, "--db", db, "contacts", "import", str(NORTHWIND))
    assert status == 0, err
    assert "imported 91 rows" in out
    status, out, _ = run(
        capsys, "--db", db, "contacts", "list", "--where", "city=México D.F.", "--json"
    )
    records = json.loads(out)
    assert status == 0
    assert {r["name"] for r in records if r["type"] == "person"} >= {
        "Ana Trujillo",
        "Antonio Moreno",
    }
    assert all(r["city"] == "México D.F." for r in records)
    assert {"no", "company_no", "email", "mailing_groups"} <= set(records[0])


def test_import_with_bad_rows_exits_1_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nAdatum,ok@adatum.example\nTrey,nope\nLitware,\nFabrikam,also bad\n")
    status, out, err = run(capsys, "--db", str(tmp_path / "x.db"), "contacts", "import", str(bad))
    assert status == 1
    assert "line 3, column email" in err and "line 5, column email" in err
    assert err.strip().endswith("error: 2 bad rows; nothing imported")
    status, out, _ = run(capsys, "--db", str(tmp_path / "x.db"), "contacts", "list", "--json")
    assert json.loads(out) == []


def test_export_with_where_writes_only_the_selection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    run(capsys, "--db", db, "contacts", "import", str(NORTHWIND))
    out_file = tmp_path / "uk.csv"
    status, out, _ = run(
        capsys, "--db", db, "contacts", "export", str(out_file), "--where", "country_region_code=GB"
    )
    assert status == 0
    lines = out_file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("no,type,name")
    assert len(lines) - 1 == int(out.split()[1]) > 0
    assert all(",GB," in line for line in lines[1:])


def test_bad_filter_names_field_and_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(
        capsys, "--db", str(tmp_path / "x.db"), "contacts", "list", "--where", "city=Lon|"
    )
    assert status == 1
    assert "error: filter city: position 4: expected" in err


def test_wrong_usage_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["contacts", "frobnicate"])
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_demo_command_seeds_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--db", str(tmp_path / "d.db"), "demo", "--contacts", "200")
    assert status == 0
    assert "200 contacts added" in out and "2 logged segments" in out


def test_list_with_where_shows_each_selected_contacts_own_classifications(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    run(capsys, "--db", db, "demo")
    from segment_tui.models import Contact, ContactMailingGroup

    groups: dict[str, list[str]] = {}
    for link in ContactMailingGroup.select().order_by(ContactMailingGroup.mailing_group_code):
        groups.setdefault(link.contact_no, []).append(link.mailing_group_code)
    grouped = sorted(groups)[:3]
    ungrouped = next(c.no for c in Contact.select().order_by(Contact.no) if c.no not in groups)
    status, out, _ = run(
        capsys, "--db", db, "contacts", "list", "--where", f"no={'|'.join([*grouped, ungrouped])}",
        "--json",
    )  # fmt: skip
    assert status == 0
    by_no = {r["no"]: r["mailing_groups"] for r in json.loads(out)}
    assert by_no == {**{no: ";".join(groups[no]) for no in grouped}, ungrouped: ""}


def test_text_output_shows_amounts_with_two_decimals_and_flags_as_yes_no(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    run(capsys, "--db", db, "demo")
    run(capsys, "--db", db, "segment", "new", "--description", "Amounts", "--template", "LETTER")
    status, out, _ = run(capsys, "--db", db, "segment", "show", "SEG00005")
    assert status == 0
    header = out.split("\n\n")[0]
    fields = dict(line.split(None, 1) for line in header.splitlines() if len(line.split()) == 2)
    assert fields["unit_cost_lcy"] == "2.50"  # as BC shows it, on SQLite and PostgreSQL alike
    assert fields["ignore_contact_corres_type"] in ("Yes", "No")

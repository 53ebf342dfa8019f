"""Contacts changed from the command line, in real processes as a script runs them:
``contacts import --skip-bad`` and ``--update`` end to end, and ``contacts new | set |
delete`` with the contact card's rules and ``--json``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from segment_tui.services.contacts.csv_reading import neutralise_cell
from tests.conftest import FIXTURES

CUSTOMERS = FIXTURES / "contacts" / "datablist-sample-csv-files__customers-100.csv"
RUN_CLI = "import sys; from segment_tui.cli import main; sys.exit(main(sys.argv[1:]))"


def cli(db: Path | str, *args: str) -> tuple[int, str, str]:
    """``segment-tui --db DB ARGS…`` in its own process: (status, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr
    return done.returncode, done.stdout, done.stderr


def listed(db: Path | str, *where: str) -> list[dict[str, Any]]:
    args = [arg for w in where for arg in ("--where", w)]
    status, out, err = cli(db, "contacts", "list", *args, "--json")
    assert status == 0, err
    result: list[dict[str, Any]] = json.loads(out)
    return result


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "crm.db"
    status, _, err = cli(path, "init")
    assert status == 0, err
    return path


def test_the_customer_export_imports_all_rows_from_the_command_line(db: Path) -> None:
    status, out, err = cli(db, "contacts", "import", str(CUSTOMERS))
    assert status == 0, err
    assert "imported 100 rows: 99 companies, 100 persons" in out
    assert "warning: column 'Subscription Date' is not a contact field" in err
    [person] = listed(db, "external_id=1Ef7b82A4CAAD10")
    assert (person["name"], person["country_region_code"]) == ("Preston Lozano", "DJ")
    assert person["phone_no"] == "5153435776"


def test_skip_bad_end_to_end_then_the_fixed_rejects_import(db: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(CUSTOMERS.open(encoding="utf-8")))
    rows[3][6] = "Atlantis"  # line 4: no such country
    rows[10][9] = "not an e-mail"  # line 11
    source = tmp_path / "customers.csv"
    with source.open("w", encoding="utf-8", newline="") as source_file:
        csv.writer(source_file).writerows(rows)

    status, out, err = cli(db, "contacts", "import", str(source))
    assert status == 1
    assert "line 4, column Country: country/region 'Atlantis' does not exist" in err
    assert "line 11, column Email" in err and "error: 2 bad rows; nothing imported" in err
    assert listed(db) == []

    status, out, err = cli(db, "contacts", "import", str(source), "--skip-bad")
    assert status == 0, err
    rejects = tmp_path / "customers.rejects.csv"
    assert "imported 98 rows" in out and f"2 bad rows written to {rejects}" in out
    assert "warning: customers.csv: line 4, column Country" in err
    assert len([c for c in listed(db) if c["type"] == "person"]) == 98
    bad = list(csv.reader(rejects.open(encoding="utf-8-sig")))
    assert bad[0] == [*rows[0], "reject_reason"]
    # The rows as read, formula-like cells neutralised ("+1-539…" -> "'+1-539…").
    assert [r[:-1] for r in bad[1:]] == [[neutralise_cell(c) for c in rows[i]] for i in (3, 10)]
    assert bad[1][7] == "'" + rows[3][7] and rows[3][7].startswith("+")
    assert bad[1][-1] == "Country: country/region 'Atlantis' does not exist"

    bad[1][6], bad[2][9] = "Chile", "fixed@example.com"
    with rejects.open("w", encoding="utf-8", newline="") as out_file:
        csv.writer(out_file).writerows(bad)
    status, out, err = cli(db, "contacts", "import", str(rejects), "--skip-bad")
    assert status == 0, err
    assert "imported 2 rows" in out and "bad rows" not in out and "error" not in err
    assert len([c for c in listed(db) if c["type"] == "person"]) == 100


def test_update_end_to_end_by_number_and_by_external_id(db: Path, tmp_path: Path) -> None:
    assert cli(db, "contacts", "import", str(CUSTOMERS))[0] == 0
    [before] = listed(db, "external_id=DD37Cf93aecA6Dc")
    changes = tmp_path / "changes.csv"
    changes.write_text(
        f"no,name,city,job_title\n{before['no']},Sheryl Baxter,Santiago,Buyer\n",
        encoding="utf-8",
    )
    status, out, err = cli(db, "contacts", "import", str(changes))
    assert status == 1 and f"contact {before['no']} already exists" in err

    status, out, err = cli(db, "contacts", "import", str(changes), "--update")
    assert status == 0, err
    assert "1 updated" in out
    [after] = listed(db, "external_id=DD37Cf93aecA6Dc")
    assert (after["city"], after["job_title"]) == ("Santiago", "Buyer")
    unchanged = {k: v for k, v in before.items() if k not in ("city", "job_title")}
    assert {k: after[k] for k in unchanged} == unchanged  # the other columns stay

    by_id = tmp_path / "by-id.csv"
    by_id.write_text("Customer Id,Email\nDD37Cf93aecA6Dc,sheryl@example.com\nNEW1,n@example.com\n")
    status, out, err = cli(
        db, "contacts", "import", str(by_id), "--update", "--match", "external_id"
    )
    assert status == 1 and "line 3, column name: a contact needs a name" in err
    by_id.write_text("Customer Id,Email,Name\nDD37Cf93aecA6Dc,sheryl@example.com,Sheryl Baxter\n")
    status, out, err = cli(
        db, "contacts", "import", str(by_id), "--update", "--match", "external_id"
    )
    assert status == 0, err
    assert listed(db, "external_id=DD37Cf93aecA6Dc")[0]["email"] == "sheryl@example.com"


def test_update_needs_the_match_column_and_match_needs_update(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name,city\nAdatum,Leeds\n", encoding="utf-8")
    status, _, err = cli(db, "contacts", "import", str(path), "--update", "--match", "email")
    assert status == 1 and "--update matches by email, but no column holds it" in err
    status, _, err = cli(db, "contacts", "import", str(path), "--match", "email")
    assert status == 1 and "--match needs --update" in err
    status, _, err = cli(db, "contacts", "import", str(path), "--match", "phone")
    assert status == 2 and "invalid choice" in err


def test_new_set_delete_with_the_contact_cards_rules(db: Path) -> None:
    status, out, err = cli(db, "contacts", "new", "type=company", "name=Adatum", "country=Germany",
                           "--json")  # fmt: skip
    assert status == 1 and "unknown contact field 'country'" in err
    status, out, err = cli(db, "contacts", "new", "type=company", "name=Adatum",
                           "country_region_code=Germany", "--json")  # fmt: skip
    assert status == 0, err
    company = json.loads(out)
    assert (company["type"], company["company_no"], company["country_region_code"]) == (
        "company",
        company["no"],
        "DE",
    )
    status, out, err = cli(db, "contacts", "new", "name=Ann Lee", "company_name=Adatum", "--json")
    assert status == 0, err
    person = json.loads(out)
    assert (person["type"], person["company_no"], person["country_region_code"]) == (
        "person",
        company["no"],
        "DE",  # inherited from the company (Marketing Setup's flag)
    )
    status, _, err = cli(db, "contacts", "new", "name=Bob", "company_name=Nobody Ltd")
    assert status == 1 and "there is no company contact named 'Nobody Ltd'" in err
    status, _, err = cli(db, "contacts", "new", "name=Bob", "email=bob at example")
    assert status == 1 and 'The email address "bob at example" is invalid.' in err

    status, out, err = cli(db, "contacts", "set", person["no"], "job_title=Buyer", "--json")
    assert status == 0 and json.loads(out)["job_title"] == "Buyer"
    status, _, err = cli(db, "contacts", "set", company["no"], "type=person")
    assert status == 1 and "related people linked to the contact" in err
    status, _, err = cli(db, "contacts", "set", person["no"], "country_region_code=Germny")
    assert status == 1 and "did you mean Germany (DE)?" in err
    status, _, err = cli(db, "contacts", "set", person["no"], "cityLeeds")
    assert status == 1 and "expected FIELD=VALUE" in err
    status, _, err = cli(db, "contacts", "set", "NOPE", "city=Leeds")
    assert status == 1 and "The Contact does not exist" in err

    status, _, err = cli(db, "contacts", "delete", company["no"])
    assert status == 1 and "person contacts are linked to it" in err
    status, out, err = cli(db, "contacts", "delete", person["no"].lower(), "--json")
    assert status == 0 and json.loads(out) == {"no": person["no"], "deleted": True}
    assert [c["no"] for c in listed(db)] == [company["no"]]


def test_delete_is_refused_while_the_contact_is_on_a_segment(db: Path) -> None:
    status, out, _ = cli(db, "contacts", "new", "name=Adatum", "--json")
    no = json.loads(out)["no"]
    status, out, _ = cli(db, "segment", "new", "--description", "Spring", "--json")
    segment = json.loads(out)["no"]
    assert cli(db, "segment", "line", "add", segment, no)[0] == 0
    status, _, err = cli(db, "contacts", "delete", no)
    assert status == 1 and "assigned one or more unlogged segments" in err
    assert [c["no"] for c in listed(db)] == [no]

"""CSV import of contacts: every row validated first, all or nothing (PRODUCT.md §6, §8)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.models import Contact, ContactMailingGroup
from segment_tui.services.contact_export import export_contacts
from segment_tui.services.contact_import import ImportRefused, import_contacts
from segment_tui.services.contacts import create_contact
from tests.conftest import FIXTURES

NORTHWIND = FIXTURES / "contacts" / "neo4j-graph-examples-northwind__customers.csv"


def _write(tmp_path: Path, text: str, name: str = "contacts.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_northwind_imports_91_persons_with_their_companies_and_accents(cronus: object) -> None:
    report = import_contacts(NORTHWIND)
    assert (report.rows, report.persons, report.companies_created) == (91, 91, 91)
    maria = Contact.get(Contact.name == "Maria Anders")
    assert (maria.type, maria.company_name, maria.city) == (
        "person",
        "Alfreds Futterkiste",
        "Berlin",
    )
    assert maria.country_region_code == "DE"
    assert maria.county == ""  # the file says NULL
    company = Contact.get(Contact.no == maria.company_no)
    assert (company.type, company.name) == ("company", "Alfreds Futterkiste")
    taqueria = Contact.get(Contact.name == "Antonio Moreno Taquería")
    assert taqueria.address == "Mataderos  2312"  # double space kept
    assert Contact.get(Contact.name == "Christina Berglund").address == "Berguvsvägen  8"
    assert Contact.select().where(Contact.country_region_code == "GB").count() > 0  # "UK"


def _northwind_with_bad_rows(tmp_path: Path) -> Path:
    rows = list(csv.reader(NORTHWIND.open(encoding="utf-8")))[:51]
    header = rows[0] + ["email", "salesperson"]
    body = [row + ["", ""] for row in rows[1:]]
    body[4][-2] = "not-an-email"  # line 6
    body[19][-1] = "NOBODY"  # line 21
    body[44][5] = "A city name that is far too long for BC"  # line 46
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    return _write(tmp_path, out.getvalue())


def test_three_bad_rows_among_50_import_nothing_and_are_named(
    cronus: object, tmp_path: Path
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_contacts(_northwind_with_bad_rows(tmp_path))
    problems = refused.value.report.problems
    assert [(p.line, p.column) for p in problems] == [
        (6, "email"),
        (21, "salesperson"),
        (46, "city"),
    ]
    assert "invalid" in problems[0].reason
    assert "'NOBODY' does not exist" in problems[1].reason
    assert "longer than 30" in problems[2].reason
    assert Contact.select().count() == 0


def test_file_that_is_not_utf8_is_refused_naming_the_line(cronus: object, tmp_path: Path) -> None:
    path = _write(tmp_path, "name,city\nAdatum,London\nCafé Noir,Paris\n", encoding="latin-1")
    with pytest.raises(UserError, match=r"line 3: byte 0xE9 is not UTF-8"):
        import_contacts(path)
    assert Contact.select().count() == 0


def test_duplicate_numbers_in_the_file_and_in_the_database(
    make_contact: object, tmp_path: Path
) -> None:
    make_contact(no="C9", type="company", name="Existing")  # type: ignore[operator]
    path = _write(tmp_path, "no,name\nC1,Adatum\nC1,Trey\nC9,Clash\n")
    with pytest.raises(ImportRefused) as refused:
        import_contacts(path)
    assert [(p.line, p.column) for p in refused.value.report.problems] == [(3, "no"), (4, "no")]
    assert "also on line 2" in refused.value.report.problems[0].reason
    assert "contact C9 already exists" in refused.value.report.problems[1].reason
    assert Contact.select().count() == 1


def test_semicolons_bom_aliases_and_classifications(cronus: object, tmp_path: Path) -> None:
    text = (
        "\ufeffCompany Name;Contact Name;E-Mail;Zip;Country;Mailing Groups;Exclude from Segment\n"
        "Bürohaus Köln;Jürgen Weiß;jw@buero.example;50667;Germany;CHRISTMAS;NEWSLETTER;No\n"
    )
    # The mailing groups cell holds ";" too, so quote it as a spreadsheet would.
    text = text.replace("CHRISTMAS;NEWSLETTER", '"CHRISTMAS;NEWSLETTER"')
    report = import_contacts(_write(tmp_path, text))
    assert (report.persons, report.companies_created) == (1, 1)
    person = Contact.get(Contact.type == "person")
    assert (person.name, person.email, person.post_code) == (
        "Jürgen Weiß",
        "jw@buero.example",
        "50667",
    )
    assert person.country_region_code == "DE"
    groups = {g.mailing_group_code for g in ContactMailingGroup.select()}
    assert groups == {"CHRISTMAS", "NEWSLETTER"}


def test_unknown_mailing_group_is_a_bad_row(cronus: object, tmp_path: Path) -> None:
    path = _write(tmp_path, "name,mailing_groups\nAdatum,NOPE\n")
    with pytest.raises(ImportRefused) as refused:
        import_contacts(path)
    assert (
        str(refused.value.report.problems[0])
        == "line 2, column mailing_groups: mailing_group 'NOPE' does not exist"
    )


def test_dry_run_reports_and_writes_nothing(cronus: object) -> None:
    report = import_contacts(NORTHWIND, dry_run=True)
    assert report.summary().startswith("would import 91 rows")
    assert Contact.select().count() == 0


def test_export_then_import_into_a_new_database_round_trips(cronus: object, tmp_path: Path) -> None:
    import_contacts(NORTHWIND)
    exported = tmp_path / "out.csv"
    assert export_contacts(exported) == 182
    before = {(c.no, c.name, c.city, c.company_no) for c in Contact.select()}
    Contact.delete().execute()
    report = import_contacts(exported)
    assert report.rows == 182
    after = {(c.no, c.name, c.city, c.company_no) for c in Contact.select()}
    assert after == before


def test_rows_without_a_number_skip_the_numbers_other_rows_already_have(
    cronus: object, tmp_path: Path
) -> None:
    # Imported with their own numbers, these do not advance the CT series.
    import_contacts(_write(tmp_path, "no,name\nCT000001,Own Number Ltd\nCT000003,Also Own\n"))
    mixed = "no,name\n,Needs One\nCT000004,Third Own\n,Needs Two\n"
    report = import_contacts(_write(tmp_path, mixed, "mixed.csv"))
    assert report.companies == 3
    numbers = {c.name: c.no for c in Contact.select()}
    assert (numbers["Needs One"], numbers["Needs Two"]) == ("CT000002", "CT000005")
    assert create_contact({"type": "company", "name": "Typed In"})["no"] == "CT000006"

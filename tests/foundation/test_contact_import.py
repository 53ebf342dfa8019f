"""CSV import of contacts: every row validated first, all or nothing
(docs/contacts-import.md)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.models import Contact, ContactMailingGroup
from segment_tui.services.contacts.export import export_contacts
from segment_tui.services.contacts.importing import ImportRefused, import_contacts
from segment_tui.services.contacts.records import create_contact
from tests.conftest import FIXTURES, ContactFactory, assert_fixtures_as_documented

NORTHWIND = FIXTURES / "contacts" / "neo4j-graph-examples-northwind__customers.csv"


def test_the_csv_fixtures_are_the_documented_third_party_copies() -> None:
    """The imports below read real third-party files as SOURCES.md describes them."""
    assert_fixtures_as_documented(FIXTURES / "contacts", "*.csv")


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
    make_contact: ContactFactory, tmp_path: Path
) -> None:
    make_contact(no="C9", type="company", name="Existing")
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


CUSTOMERS = FIXTURES / "contacts" / "datablist-sample-csv-files__customers-100.csv"


def test_the_public_customer_export_with_country_names_imports_every_row(
    cronus: object,
) -> None:
    report = import_contacts(CUSTOMERS)
    assert (report.rows, report.persons, report.companies_created) == (100, 100, 99)
    simon = {c.company_no for c in Contact.select().where(Contact.company_name == "Simon LLC")}
    assert len(simon) == 1  # lines 19 and 65 name the same company: it is created once
    sheryl = Contact.get(Contact.external_id == "DD37Cf93aecA6Dc")
    assert (sheryl.name, sheryl.company_name, sheryl.country_region_code) == (
        "Sheryl Baxter",
        "Rasmussen Group",
        "CL",
    )
    countries = {c.external_id: c.country_region_code for c in Contact.select()}
    assert countries["1Ef7b82A4CAAD10"] == "DJ"  # Djibouti, not in any hand-kept list
    assert countries["053d585Ab6b3159"] == "SK"  # "Slovakia (Slovak Republic)"
    assert countries["C6F2Fc6a7948a4e"] == "PS"  # "Palestinian Territory"
    assert countries["faCEF517ae7D8eB"] == "SZ"  # "Swaziland", Eswatini today
    assert countries["c8FE57cBBdCDcb2"] == "BL"  # "Saint Barthelemy" without its accent
    from segment_tui.models import CountryRegion

    assert CountryRegion.get(CountryRegion.code == "DJ").name == "Djibouti"
    assert CountryRegion.get(CountryRegion.code == "KG").name == "Kyrgyzstan"
    # The company created from "Company" takes the person's country and phone.
    company = Contact.get(Contact.name == "Vega-Gentry")
    assert (company.type, company.country_region_code) == ("company", "DJ")


def test_an_unknown_country_is_refused_with_a_did_you_mean(cronus: object, tmp_path: Path) -> None:
    path = _write(tmp_path, "name,country\nAdatum,Germny\nTrey,Deutschland\nLitware,Atlantis\n")
    with pytest.raises(ImportRefused) as refused:
        import_contacts(path)
    reasons = [(p.line, p.reason) for p in refused.value.report.problems]
    assert reasons == [
        (2, "country/region 'Germny' does not exist; did you mean Germany (DE)?"),
        (4, "country/region 'Atlantis' does not exist"),
    ]


def test_a_country_setup_names_is_found_by_its_name(cronus: object, tmp_path: Path) -> None:
    from segment_tui.models import CountryRegion

    CountryRegion.insert(code="ZZ", name="Atlantis").execute()
    import_contacts(_write(tmp_path, "name,country\nAdatum,atlantis\n"))
    assert Contact.get(Contact.name == "Adatum").country_region_code == "ZZ"


def test_skip_bad_imports_the_good_rows_and_writes_a_reject_file_to_fix(
    cronus: object, tmp_path: Path
) -> None:
    path = _northwind_with_bad_rows(tmp_path)
    report = import_contacts(path, skip_bad=True)
    rejects = tmp_path / "contacts.rejects.csv"
    assert (report.rows, report.rejected, report.rejects_path) == (50, 3, rejects)
    assert report.persons == 47 and "3 bad rows written to" in report.summary()
    assert Contact.select().where(Contact.type == "person").count() == 47
    assert oct(rejects.stat().st_mode & 0o777) == "0o600"  # personal data
    rows = list(csv.reader(rejects.open(encoding="utf-8-sig")))
    assert rows[0][-1] == "reject_reason"
    assert [row[0] for row in rows[1:]] == ["BERGS", "ERNSH", "LETSS"]
    assert rows[1][-1].startswith("email: The email address")
    assert rows[2][-1] == "salesperson: Salesperson Code 'NOBODY' does not exist"
    # Fix the three rows in the reject file and import it: everything is in.
    fixed = [rows[0]] + [row[:] for row in rows[1:]]
    fixed[1][-3], fixed[2][-2], fixed[3][5] = "ok@bergs.example", "PS", "Salzburg"
    out = io.StringIO()
    csv.writer(out).writerows(fixed)
    again = import_contacts(_write(tmp_path, out.getvalue(), "fixed.csv"), skip_bad=True)
    assert (again.rows, again.rejected, again.persons) == (3, 0, 3)
    assert not (tmp_path / "fixed.rejects.csv").exists()
    assert Contact.select().where(Contact.type == "person").count() == 50


def test_skip_bad_rejects_the_persons_of_a_rejected_company(cronus: object, tmp_path: Path) -> None:
    text = (
        "no,type,name,company_no,salesperson_code\n"
        "C1,company,Adatum,,NOBODY\n"
        "P1,person,Ann,C1,\n"
        "C2,company,Trey,,\n"
        "P2,person,Bob,C2,\n"
    )
    report = import_contacts(_write(tmp_path, text), skip_bad=True)
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "salesperson_code"),
        (3, "company_no"),
    ]
    assert sorted(c.no for c in Contact.select()) == ["C2", "P2"]


def test_update_changes_only_the_given_columns_and_creates_the_rest(
    make_contact: ContactFactory, tmp_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Adatum", city="Leeds", phone_no="111")
    make_contact(
        no="P1", type="person", name="Ann Lee", company_no="C1", email="ann@adatum.example"
    )
    text = "no,name,city\nC1,Adatum Corporation,York\nC9,Fabrikam,Hull\n"
    report = import_contacts(_write(tmp_path, text), update=True)
    assert (report.updated, report.companies) == (1, 1)
    adatum = Contact.get(Contact.no == "C1")
    assert (adatum.name, adatum.city, adatum.phone_no) == ("Adatum Corporation", "York", "111")
    assert adatum.search_name == "ADATUM CORPORATION"
    assert Contact.get(Contact.no == "P1").company_name == "Adatum Corporation"  # kept in sync
    assert Contact.get(Contact.no == "C9").city == "Hull"


def test_update_by_email_matches_case_insensitively_and_refuses_ambiguity(
    make_contact: ContactFactory, tmp_path: Path
) -> None:
    make_contact(no="P1", type="person", name="Ann", email="Ann@Example.com")
    make_contact(no="P2", type="person", name="Bob", email="bob@example.com")
    make_contact(no="P3", type="person", name="Bob Two", email="bob@example.com")
    good = _write(tmp_path, "email,job_title\nann@example.com,Buyer\n")
    assert import_contacts(good, update=True, match="email").updated == 1
    assert Contact.get(Contact.no == "P1").job_title == "Buyer"
    bad = _write(tmp_path, "email,job_title\nbob@example.com,Boss\n", "bad.csv")
    with pytest.raises(ImportRefused) as refused:
        import_contacts(bad, update=True, match="email")
    assert (
        "matches 2 contacts (P2, P3); match by no instead"
        in refused.value.report.problems[0].reason
    )
    assert Contact.get(Contact.no == "P2").job_title == ""


def test_update_keeps_the_contact_cards_rules(make_contact: ContactFactory, tmp_path: Path) -> None:
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    make_contact(no="C1", type="company", name="Adatum")
    make_contact(no="C2", type="company", name="Trey")
    make_contact(no="P1", type="person", name="Ann", company_no="C1")
    segment = create_segment("Spring")
    add_line(segment["no"], "P1")
    text = "no,company_no,type\nP1,C2,person\nC1,,person\n"
    with pytest.raises(ImportRefused) as refused:
        import_contacts(_write(tmp_path, text), update=True)
    assert [
        (p.line, p.column, p.reason.split(" because")[0]) for p in refused.value.report.problems
    ] == [
        (2, "company_no", "You cannot change Company No."),
        (3, "type", "Type cannot be changed"),
    ]
    assert Contact.get(Contact.no == "P1").company_no == "C1"


def test_cells_neutralised_against_formulas_come_back_as_written(
    cronus: object, tmp_path: Path
) -> None:
    text = "name,job_title,address,city\n\"'=Adatum\",'+Sales,'-5 Main St,'s-Hertogenbosch\n"
    import_contacts(_write(tmp_path, text))
    contact = Contact.get()
    assert (contact.name, contact.job_title, contact.address, contact.city) == (
        "=Adatum",
        "+Sales",
        "-5 Main St",
        "'s-Hertogenbosch",  # a lone leading quote is the value's own
    )


def test_a_blank_type_cell_is_worked_out_as_when_the_column_is_missing(
    cronus: object, tmp_path: Path
) -> None:
    import_contacts(_write(tmp_path, "name,type,company_name\nAdatum,,\nAnn,,Adatum\n"))
    assert {c.name: c.type for c in Contact.select()} == {"Adatum": "company", "Ann": "person"}
    assert Contact.get(Contact.name == "Ann").company_name == "Adatum"


def test_a_file_with_one_column_imports(cronus: object, tmp_path: Path) -> None:
    report = import_contacts(_write(tmp_path, "Name\nAdatum\n\nTrey Research\n"))
    assert report.rows == 2
    assert sorted(c.name for c in Contact.select()) == ["Adatum", "Trey Research"]

"""Contacts from and to CSV files.

Import reads the whole file, validates every row, and writes nothing unless every row
is good: each bad row is reported with its line number, column and reason. Columns
are named after the contact fields (``no``, ``name``, ``type``, ``company_no``,
``company_name``, ``email``, …) or a common alias (``E-Mail``, ``Company Name``,
``Zip``, ``Postal Code``, …); classifications such as ``mailing_groups`` hold
``;``-separated codes. The delimiter (``,`` ``;`` or tab) is sniffed; the text must be
UTF-8, with or without a byte-order mark; a cell reading ``NULL`` is blank.

Persons link to companies by ``company_no`` or by ``company_name``; a company that
is named but missing is created. Rows are written with the driver's bulk insert in one
transaction (peewee's ``insert_many`` is about ten times slower, tech-notes §2.4).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segment_tui.db import chunked, write_transaction
from segment_tui.errors import UserError
from segment_tui.models import Contact
from segment_tui.services.contact_bulk import insert_classifications, insert_contacts
from segment_tui.services.contact_fields import CLASSIFICATION_COLUMNS, CONTACT_FIELDS
from segment_tui.services.contacts import (
    ReferenceCodes,
    clean_value,
    complete_new_contact,
    used_contact_numbers,
)
from segment_tui.services.numbering import contact_series, marketing_setup, take_free_numbers

Progress = Callable[[int, int], None]

ALIASES: dict[str, str] = {
    "no": "no", "number": "no", "contactno": "no", "id": "no",
    "customerid": "external_id", "externalid": "external_id",
    "name": "name", "contactname": "name", "fullname": "name",
    "companyname": "company_name", "company": "company_name", "organisation": "company_name",
    "organization": "company_name", "companyno": "company_no",
    "email": "email", "emailaddress": "email", "mail": "email",
    "zip": "post_code", "zipcode": "post_code", "postalcode": "post_code",
    "postcode": "post_code", "postcodezip": "post_code",
    "country": "country_region_code", "countryregion": "country_region_code",
    "countryregioncode": "country_region_code", "countrycode": "country_region_code",
    "region": "county", "state": "county", "province": "county",
    "phone": "phone_no", "phoneno": "phone_no", "telephone": "phone_no",
    "mobile": "mobile_phone_no", "mobilephone": "mobile_phone_no", "cell": "mobile_phone_no",
    "fax": "fax_no", "faxno": "fax_no",
    "title": "job_title", "contacttitle": "job_title", "jobtitle": "job_title",
    "street": "address", "address1": "address", "address2": "address_2",
    "firstname": "first_name", "givenname": "first_name", "middlename": "middle_name",
    "surname": "surname", "lastname": "surname", "familyname": "surname",
    "website": "home_page", "homepage": "home_page", "url": "home_page",
    "salesperson": "salesperson_code", "salespersoncode": "salesperson_code",
    "territory": "territory_code", "language": "language_code",
    "vatregistrationno": "vat_registration_no", "vatno": "vat_registration_no",
    "excludefromsegment": "exclude_from_segment", "correspondencetype": "correspondence_type",
    "mailinggroups": "mailing_groups", "mailinggroup": "mailing_groups",
    "industrygroups": "industry_groups", "industrygroup": "industry_groups",
    "businessrelations": "business_relations", "businessrelation": "business_relations",
    "jobresponsibilities": "job_responsibilities", "jobresponsibility": "job_responsibilities",
}  # fmt: skip
for _f in CONTACT_FIELDS:
    ALIASES.setdefault(re.sub(r"[^a-z0-9]", "", _f.name), _f.name)

_COMPANY_INHERITABLE = (
    "salesperson_code", "territory_code", "language_code", "country_region_code", "address",
    "address_2", "post_code", "city", "county", "phone_no", "fax_no",
)  # fmt: skip


@dataclass(frozen=True)
class RowProblem:
    """Why one row of the file cannot be imported."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        column = f", column {self.column}" if self.column else ""
        return f"line {self.line}{column}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), or why it refused."""

    rows: int = 0
    companies: int = 0
    persons: int = 0
    companies_created: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        """One line for the user."""
        verb = "would import" if self.dry_run else "imported"
        text = f"{verb} {self.rows} rows: {self.companies} companies, {self.persons} persons"
        if self.companies_created:
            text += f" ({self.companies_created} companies created from company names)"
        return text


class ImportRefused(UserError):
    """The file has bad rows; nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        count = len(report.problems)
        super().__init__(f"{count} bad row{'s' if count != 1 else ''}; nothing imported")
        self.report = report


def header_field(header: str) -> str | None:
    """The contact field (or classification column) a CSV header names, or None."""
    return ALIASES.get(re.sub(r"[^a-z0-9]", "", header.strip().lower()))


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (BOM dropped), or a UserError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UserError(
            f"{name}: line {line}: byte 0x{data[err.start]:02X} is not UTF-8; "
            "save the file as UTF-8 (nothing imported)"
        ) from None


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab — whichever the header line uses most (outside quotes)."""
    first = next(iter(text.splitlines()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (line number, cells)."""
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text))
    header = next(reader, [])

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num
        for cells in reader:
            yield line + 1, cells
            line = reader.line_num

    return header, rows()


def _cell(cells: list[str], index: int) -> str:
    value = cells[index].strip() if index < len(cells) else ""
    return "" if value.upper() == "NULL" else value


@dataclass
class _Row:
    """One good data row, before numbers and company links are settled."""

    line: int
    values: dict[str, Any]
    classifications: dict[str, list[str]]
    company_no: str = ""
    company_name: str = ""
    company: dict[str, Any] | None = None


@dataclass
class ImportPlan:
    """Validated rows ready to write: companies first (persons point at them)."""

    companies: list[_Row] = field(default_factory=list)
    persons: list[_Row] = field(default_factory=list)
    refs: ReferenceCodes = field(default_factory=ReferenceCodes)


def _map_columns(header: list[str], report: ImportReport) -> dict[int, tuple[str, str]]:
    """Column index -> (header as written, field); records ignored and duplicate columns."""
    columns: dict[int, tuple[str, str]] = {}
    seen: dict[str, str] = {}
    for index, name in enumerate(header):
        if not name.strip():
            continue  # a trailing delimiter gives an empty header: nothing to import
        target = header_field(name)
        if target is None:
            report.ignored_columns.append(name)
            continue
        if target in seen:
            report.problems.append(
                RowProblem(1, name, f"names the same field as column {seen[target]!r}")
            )
            continue
        seen[target] = name
        columns[index] = (name, target)
    return columns


def _parse_row(
    line: int,
    cells: list[str],
    columns: dict[int, tuple[str, str]],
    refs: ReferenceCodes,
    report: ImportReport,
) -> _Row | None:
    """Check every cell of a row; None (with problems reported) when any is bad."""
    row = _Row(line, {}, {})
    ok = True
    for index, (name, target) in columns.items():
        raw = _cell(cells, index)
        if target in CLASSIFICATION_COLUMNS:
            table = CLASSIFICATION_COLUMNS[target]
            codes = [c.strip().upper() for c in raw.split(";") if c.strip()]
            for code in codes:
                if code not in refs.codes(table):
                    report.problems.append(
                        RowProblem(line, name, f"{table} {code!r} does not exist")
                    )
                    ok = False
            row.classifications[target] = codes
        elif target == "company_no":
            row.company_no = raw.upper()
        elif target == "company_name":
            row.company_name = raw
        else:
            clean, error = clean_value(target, raw, refs)
            if error:
                report.problems.append(RowProblem(line, name, error))
                ok = False
            elif clean != "":
                row.values[target] = clean
    if not ok:
        return None
    values = row.values
    if "type" not in values:
        values["type"] = "person" if row.company_name or row.company_no else "company"
    if values["type"] == "company":
        if not values.get("name") and row.company_name:
            values["name"] = row.company_name
        row.company_no = row.company_name = ""
    if not values.get("name") and not (values.get("first_name") or values.get("surname")):
        report.problems.append(RowProblem(line, "name", "a contact needs a name"))
        return None
    return row


def _check_numbers(rows: list[_Row], report: ImportReport) -> None:
    """Duplicate numbers within the file or with contacts already in the database."""
    first_line: dict[str, int] = {}
    for row in rows:
        no = row.values.get("no")
        if not no:
            continue
        if no in first_line:
            report.problems.append(
                RowProblem(row.line, "no", f"number {no} is also on line {first_line[no]}")
            )
        else:
            first_line[no] = row.line
    for chunk in chunked(list(first_line)):
        for no in used_contact_numbers(chunk):
            report.problems.append(RowProblem(first_line[no], "no", f"contact {no} already exists"))


def _link_companies(rows: list[_Row], plan: ImportPlan, report: ImportReport) -> None:
    """Point each person at its company: one in the file, one in the database, or a new one."""
    by_no = {r.values["no"]: r for r in plan.companies if r.values.get("no")}
    by_name = {r.values["name"]: r for r in plan.companies}
    wanted_nos = {r.company_no for r in rows if r.company_no and r.company_no not in by_no}
    wanted_names = {
        r.company_name for r in rows if r.company_name and r.company_name not in by_name
    }
    stored: dict[str, dict[str, Any]] = {}
    stored_by_name: dict[str, dict[str, Any]] = {}
    for chunk_field, wanted in (("no", wanted_nos), ("name", wanted_names)):
        for chunk in chunked(list(wanted)):
            column = Contact.no if chunk_field == "no" else Contact.name
            query = Contact.select().where((Contact.type == "company") & column.in_(chunk))
            for company in query:
                stored[company.no] = company.as_record()
                stored_by_name.setdefault(company.name, stored[company.no])
    for row in rows:
        if row.values["type"] != "person":
            continue
        if row.company_no:
            file_company = by_no.get(row.company_no)
            if file_company is not None:
                row.company = file_company.values
            elif row.company_no in stored:
                row.company = stored[row.company_no]
            else:
                report.problems.append(
                    RowProblem(row.line, "company_no", f"company {row.company_no} does not exist")
                )
                continue
        elif row.company_name:
            if row.company_name in by_name:
                row.company = by_name[row.company_name].values
            elif row.company_name in stored_by_name:
                row.company = stored_by_name[row.company_name]
            else:
                inherited = {k: row.values[k] for k in _COMPANY_INHERITABLE if k in row.values}
                new = _Row(row.line, {"type": "company", "name": row.company_name, **inherited}, {})
                plan.companies.append(new)
                by_name[row.company_name] = new
                report.companies_created += 1
                row.company = new.values
        plan.persons.append(row)


def plan_import(text: str) -> tuple[ImportReport, ImportPlan]:
    """Validate every row of a CSV text and work out what to insert (no writes)."""
    report = ImportReport()
    plan = ImportPlan()
    header, lines = read_rows(text)
    columns = _map_columns(header, report)
    rows: list[_Row] = []
    for line, cells in lines:
        if not any(c.strip() for c in cells):
            continue  # blank lines are not rows
        report.rows += 1
        row = _parse_row(line, cells, columns, plan.refs, report)
        if row is not None:
            rows.append(row)
    _check_numbers(rows, report)
    plan.companies = [r for r in rows if r.values["type"] == "company"]
    _link_companies(rows, plan, report)
    report.companies = len(plan.companies)
    report.persons = len(plan.persons)
    report.problems.sort(key=lambda p: p.line)
    return report, plan


def _write(plan: ImportPlan, progress: Progress | None) -> None:
    """Insert the planned contacts and classifications (inside the caller's transaction)."""
    setup = marketing_setup()
    everyone = plan.companies + plan.persons
    missing = sum(1 for r in everyone if not r.values.get("no"))
    # The file's own numbers are not in the database yet: skip them as well.
    own = {row.values["no"] for row in everyone if row.values.get("no")}

    def in_use(batch: Sequence[str]) -> set[str]:
        return used_contact_numbers(batch) | (own & set(batch))

    numbers = iter(take_free_numbers(contact_series(), missing, in_use))
    for row in everyone:
        if not row.values.get("no"):
            row.values["no"] = next(numbers)
    links: dict[str, list[tuple[str, str]]] = {}
    records = []
    for row in everyone:
        full = complete_new_contact(row.values, setup, row.company)
        records.append(full)
        for column, codes in row.classifications.items():
            links.setdefault(column, []).extend((full["no"], code) for code in codes)
    plan.refs.create_new_countries()
    insert_contacts(records, progress=progress)
    for column, pairs in links.items():
        insert_classifications(column, pairs)


def import_contacts(
    path: Path, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import a CSV file of contacts; all rows or none (ImportRefused lists the bad ones)."""
    text = decode(path.read_bytes(), path.name)
    with write_transaction():
        report, plan = plan_import(text)
        report.dry_run = dry_run
        if report.problems:
            raise ImportRefused(report)
        if not dry_run:
            _write(plan, progress)
    return report

"""Contacts from CSV files: all or nothing, or the good rows and a reject file.

Columns are named after the contact fields (``no``, ``name``, ``type``,
``company_no``, ``company_name``, ``email``, …) or a common alias (``E-Mail``,
``Company Name``, ``Zip``, ``Postal Code``, ``Country``, …); classifications such as
``mailing_groups`` hold ``;``-separated codes. Reading the file (encodings, line
endings, quotes, sizes) is :mod:`segment_tui.services.contacts.csv_reading`.

The rows are loaded into a staging table and checked there
(:mod:`segment_tui.services.contacts.import_stage`), planned
(:mod:`segment_tui.services.contacts.import_plan`) and written with set statements
(:mod:`segment_tui.services.contacts.bulk`), all in one write transaction:

- by default nothing is written unless every row is good, and every bad row is
  reported by line, column and reason;
- ``skip_bad`` imports the good rows and writes the bad ones, as read, to a reject
  CSV with a ``reject_reason`` column: fix them there and import that file;
- ``update`` changes the contacts a row matches (by ``no``, ``external_id`` or
  ``email``) in the file's columns only, with the contact card's rules, and creates
  the rows that match nothing.

Persons link to companies by ``company_no`` or by ``company_name``; a company that is
named but missing is created. The rules are in ``docs/contacts-import.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from segment_tui.db import analyze, write_transaction
from segment_tui.errors import UserError
from segment_tui.models import MarketingSetup
from segment_tui.private_files import open_private
from segment_tui.services.contacts import bulk as contact_bulk
from segment_tui.services.contacts import import_plan as contact_plan
from segment_tui.services.contacts import import_store as contact_plan_store
from segment_tui.services.contacts.cleaning import ReferenceCodes
from segment_tui.services.contacts.csv_reading import CsvRows, RowProblem, open_rows, restore_cell
from segment_tui.services.contacts.fields import CLASSIFICATION_COLUMNS, CONTACT_FIELDS
from segment_tui.services.contacts.import_checks import check_cells
from segment_tui.services.contacts.import_indexes import indexes_rebuilt
from segment_tui.services.contacts.import_plan import MatchBy
from segment_tui.services.contacts.import_stage import (
    Column,
    Staged,
    create_stage,
    drop_stage,
    load_stage,
)
from segment_tui.services.csv_output import csv_writer

Progress = Callable[[int, int], None]

IMPORTED_TABLES = (
    "contact",
    "contact_mailing_group",
    "contact_industry_group",
    "contact_business_relation",
    "contact_job_responsibility",
)
"""The tables an import writes (their statistics are refreshed after a large one)."""

REJECT_REASON = "reject_reason"
"""The column a reject file adds; import ignores it, so the file can be imported again."""

MATCH_KEYS: tuple[MatchBy, ...] = ("no", "external_id", "email")

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
    "phone": "phone_no", "phoneno": "phone_no", "telephone": "phone_no", "phone1": "phone_no",
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
for _c in CLASSIFICATION_COLUMNS:
    ALIASES.setdefault(re.sub(r"[^a-z0-9]", "", _c), _c)

_SILENT = {re.sub(r"[^a-z0-9]", "", REJECT_REASON), "index"}
"""Columns ignored without a warning: a reject file's reason, a spreadsheet's row index."""


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), or why it refused."""

    rows: int = 0
    companies: int = 0
    persons: int = 0
    companies_created: int = 0
    updated: int = 0
    rejected: int = 0
    rejects_path: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        """One line for the user."""
        verb = "would import" if self.dry_run else "imported"
        done = self.rows - self.rejected
        text = f"{verb} {done} rows: {self.companies} companies, {self.persons} persons"
        if self.updated:
            text += f" created, {self.updated} updated"
        if self.companies_created:
            text += f" ({self.companies_created} companies created from company names)"
        if self.rejected:
            where = f" written to {self.rejects_path}" if self.rejects_path else ""
            text += f"; {self.rejected} bad rows{where}"
        return text


class ImportRefused(UserError):
    """The file has bad rows; nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        count = len({p.line for p in report.problems})
        super().__init__(f"{count} bad row{'s' if count != 1 else ''}; nothing imported")
        self.report = report


def header_field(header: str) -> str | None:
    """The contact field (or classification column) a CSV header names, or None."""
    return ALIASES.get(re.sub(r"[^a-z0-9]", "", header.strip().lower()))


def map_columns(header: list[str], report: ImportReport) -> list[Column]:
    """The columns that name fields; records ignored and duplicate columns."""
    columns: list[Column] = []
    seen: dict[str, str] = {}
    for index, name in enumerate(header):
        if not name.strip():
            continue  # a trailing delimiter gives an empty header: nothing to import
        target = header_field(name)
        if target is None:
            if re.sub(r"[^a-z0-9]", "", name.lower()) not in _SILENT:
                report.ignored_columns.append(name)
            continue
        if target in seen:
            report.problems.append(
                RowProblem(1, name, f"names the same field as column {seen[target]!r}")
            )
            continue
        seen[target] = name
        columns.append(Column(index, name, target))
    return columns


def default_rejects_path(path: Path) -> Path:
    """``contacts.csv`` -> ``contacts.rejects.csv`` beside it."""
    return path.with_name(f"{path.stem}.rejects.csv")


@dataclass
class ImportOptions:
    """How to import (the CLI's and the TUI's choices)."""

    dry_run: bool = False
    skip_bad: bool = False
    rejects: Path | None = None
    update: bool = False
    match: MatchBy = "no"
    encoding: str | None = None


def import_contacts(
    path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    skip_bad: bool = False,
    rejects: Path | None = None,
    update: bool = False,
    match: MatchBy = "no",
    encoding: str | None = None,
) -> ImportReport:
    """Import a CSV file of contacts: all rows or none (ImportRefused lists the bad ones),
    or with ``skip_bad`` the good ones and a reject file."""
    options = ImportOptions(dry_run, skip_bad, rejects, update, match, encoding)
    if skip_bad:
        options.rejects = rejects or default_rejects_path(path)
        if options.rejects.resolve() == path.resolve():
            raise UserError(f"{path.name}: the reject file cannot be the file being imported")
    report = ImportReport(dry_run=dry_run)
    with open_rows(path, encoding=encoding) as rows:
        columns = map_columns(rows.header, report)
        _check_columns(columns, rows, options, report)
        with write_transaction():
            # On a refusal or an error the rollback takes the temporary tables with it.
            _run(rows, columns, options, report, progress)
            drop_stage()
    return report


def _check_columns(
    columns: list[Column], rows: CsvRows, options: ImportOptions, report: ImportReport
) -> None:
    if not columns:
        named = ", ".join(repr(h) for h in rows.header[:6] if h.strip())
        raise UserError(
            f"{rows.name}: no column names a contact field (the header reads {named}); "
            "name columns after the fields, e.g. name, email, city (nothing imported)"
        )
    if report.problems:
        raise ImportRefused(report)  # a header problem concerns every row
    if options.update and options.match not in MATCH_KEYS:
        raise UserError(f"--match must be one of {', '.join(MATCH_KEYS)}")
    if options.update and not any(c.field == options.match for c in columns):
        raise UserError(f"{rows.name}: --update matches by {options.match}, but no column holds it")


def _run(
    rows: CsvRows,
    columns: list[Column],
    options: ImportOptions,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    create_stage(columns)
    staged = Staged(columns)
    load_stage(rows, columns, staged, (lambda n: progress(n, 0)) if progress else None)
    report.rows = staged.rows
    refs = ReferenceCodes()
    check_cells(staged, refs)
    skip = staged.bad_lines()
    plan = contact_plan.plan_rows(staged, update=options.update, match=options.match, skip=skip)
    problems = staged.problems + plan.problems
    if options.skip_bad:
        # Rows whose company row was rejected follow it; repeat until nothing changes.
        while plan.problems:
            skip |= {p.line for p in plan.problems}
            plan = contact_plan.plan_rows(
                staged, update=options.update, match=options.match, skip=skip
            )
            problems += plan.problems
    report.problems = sorted(
        (RowProblem(p.line, p.column, p.reason) for p in problems), key=lambda p: p.line
    )
    if report.problems and not options.skip_bad:
        raise ImportRefused(report)
    report.rejected = len({p.line for p in report.problems})
    report.companies = plan.count("insert", "company") + len(plan.companies)
    report.persons = plan.count("insert", "person")
    report.companies_created = len(plan.companies)
    report.updated = plan.count("update")
    if options.dry_run:
        return
    contact_plan_store.number_rows(plan)
    contact_plan_store.store_plan(plan)
    contact_bulk.create_countries(staged, refs.new_countries)
    setup = MarketingSetup.get_or_none(MarketingSetup.primary_key == "") or MarketingSetup()
    with indexes_rebuilt("contact", report.companies + report.persons):
        contact_bulk.insert_planned(staged, setup, dt.date.today())
    if options.update:
        contact_bulk.update_planned(staged, dt.date.today())
    contact_bulk.link_classifications(staged, updates=report.updated > 0)
    # The planner must know the tables grew (a segment's Add right after a large import).
    analyze(IMPORTED_TABLES, changed_rows=report.rows - report.rejected)
    if report.rejected and options.rejects is not None:
        _write_rejects(rows, options, report)
        report.rejects_path = options.rejects
    if progress:
        progress(report.rows, report.rows)


def _write_rejects(rows: CsvRows, options: ImportOptions, report: ImportReport) -> None:
    """Write the bad rows as read, with their reasons, to a private (0600) CSV file."""
    assert options.rejects is not None
    reasons: dict[int, list[str]] = {}
    for problem in report.problems:
        text = f"{problem.column}: {problem.reason}" if problem.column else problem.reason
        reasons.setdefault(problem.line, []).append(text)
    target = options.rejects
    try:
        with (
            open_private(target, "w", encoding="utf-8-sig", newline="") as out,
            open_rows(rows.path, encoding=options.encoding) as again,
        ):
            # The writer neutralises formula-like cells; the cells are written as import
            # reads them (restore_cell first), so the reject file imports back the same.
            writer = csv_writer(out, delimiter=rows.delimiter)
            # A reject file imported again: its old reasons give way to the new ones.
            keep = [i for i, h in enumerate(again.header) if header_field(h) or
                    re.sub(r"[^a-z0-9]", "", h.lower()) != "rejectreason"]  # fmt: skip
            writer.writerow([*(again.header[i] for i in keep), REJECT_REASON])
            width = len(again.header)
            for line, cells in again:
                if line in reasons:
                    padded = [restore_cell(c) for c in cells] + [""] * (width - len(cells))
                    writer.writerow([*(padded[i] for i in keep), "; ".join(reasons[line])])
    except OSError as err:
        raise UserError(
            f"{target}: cannot write the reject file: {err.strerror or err} (nothing imported)"
        ) from None

"""Contacts to CSV (the columns ``contacts import`` reads back) and to records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from peewee import ColumnBase

from segment_tui.errors import UserError
from segment_tui.models import (
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
)
from segment_tui.private_files import open_private
from segment_tui.services.contact_fields import CLASSIFICATION_COLUMNS, CONTACT_FIELDS
from segment_tui.services.csv_output import csv_writer

EXPORT_COLUMNS = [f.name for f in CONTACT_FIELDS] + list(CLASSIFICATION_COLUMNS)

_LINK_MODELS: dict[str, Any] = {
    "mailing_groups": (ContactMailingGroup, ContactMailingGroup.mailing_group_code),
    "industry_groups": (ContactIndustryGroup, ContactIndustryGroup.industry_group_code),
    "business_relations": (ContactBusinessRelation, ContactBusinessRelation.business_relation_code),
    "job_responsibilities": (
        ContactJobResponsibility,
        ContactJobResponsibility.job_responsibility_code,
    ),
}


def _classifications(condition: ColumnBase | None) -> dict[str, dict[str, list[str]]]:
    """Per classification column: contact no. -> its codes, for the selected contacts only
    (reading every link of a 1,000,000-contact database took 8 s to list one contact)."""
    result: dict[str, dict[str, list[str]]] = {}
    for column, (model, code_field) in _LINK_MODELS.items():
        by_contact: dict[str, list[str]] = {}
        query = model.select(model.contact_no, code_field).order_by(model.contact_no, code_field)
        if condition is not None:
            query = query.where(model.contact_no.in_(Contact.select(Contact.no).where(condition)))
        for contact_no, code in query.tuples():
            by_contact.setdefault(contact_no, []).append(code)
        result[column] = by_contact
    return result


def iter_contact_records(condition: ColumnBase | None = None) -> Iterator[dict[str, Any]]:
    """Contacts (matching ``condition``) as records, ordered by number, with classifications."""
    query = Contact.select().order_by(Contact.no)
    if condition is not None:
        query = query.where(condition)
    links = _classifications(condition)
    for contact in query.iterator():
        record = contact.as_record()
        for column, by_contact in links.items():
            record[column] = ";".join(by_contact.get(contact.no, []))
        yield record


def export_contacts(path: Path, condition: ColumnBase | None = None) -> int:
    """Write the selected contacts to a UTF-8 CSV file (private, formula-safe: see
    :mod:`.csv_output`); returns how many."""
    count = 0
    try:
        with open_private(path, "w", encoding="utf-8", newline="") as out:
            writer = csv_writer(out)
            writer.writerow(EXPORT_COLUMNS)
            for record in iter_contact_records(condition):
                writer.writerow([record.get(c) for c in EXPORT_COLUMNS])
                count += 1
    except OSError as err:
        raise UserError(f"{path}: cannot write it: {err.strerror or err}") from None
    return count


def list_contacts(
    condition: ColumnBase | None = None, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """The selected contacts as records (at most ``limit``)."""
    records: list[dict[str, Any]] = []
    for record in iter_contact_records(condition):
        records.append(record)
        if limit is not None and len(records) >= limit:
            break
    return records


def summary_columns() -> Sequence[tuple[str, str]]:
    """The columns ``contacts list`` prints as a table."""
    return (
        ("no", "No."),
        ("type", "Type"),
        ("name", "Name"),
        ("company_name", "Company Name"),
        ("city", "City"),
        ("country_region_code", "Country"),
        ("email", "Email"),
        ("salesperson_code", "Salesperson"),
    )

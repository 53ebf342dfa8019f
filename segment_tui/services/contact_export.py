"""Contacts to CSV (the columns ``contacts import`` reads back) and to records.

Contacts are read in keyset batches by number, each row with its classification codes
(``;``-separated, in code order) aggregated by the database, so an export of 1,000,000
contacts holds one batch in memory (docs/streaming.md). Every exported value becomes a
CSV cell in :func:`csv_rows`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from peewee import ColumnBase, fn

from segment_tui.db import dialect
from segment_tui.models import (
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
)
from segment_tui.services.contact_fields import CLASSIFICATION_COLUMNS, CONTACT_FIELDS
from segment_tui.services.streaming import (
    Progress,
    fast_tuples,
    keyset_batches,
    raw_rows,
    read_snapshot,
)

EXPORT_COLUMNS = [f.name for f in CONTACT_FIELDS] + list(CLASSIFICATION_COLUMNS)

_LINK_MODELS: dict[str, Any] = {
    "mailing_groups": (ContactMailingGroup, "mailing_group_code"),
    "industry_groups": (ContactIndustryGroup, "industry_group_code"),
    "business_relations": (ContactBusinessRelation, "business_relation_code"),
    "job_responsibilities": (ContactJobResponsibility, "job_responsibility_code"),
}

_COLUMNS = [f.column_name for f in Contact._meta.sorted_fields] + list(_LINK_MODELS)
"""What a contact batch selects: every contact column, then the four code lists."""
_EXPORTED = [_COLUMNS.index(name) for name in EXPORT_COLUMNS]
_YES_NO = [n for n, f in enumerate(CONTACT_FIELDS) if f.kind == "boolean"]
"""Positions, among the exported columns, of the columns written Yes/No."""
_CODES = [_COLUMNS.index(column) for column in _LINK_MODELS]

Rows = Sequence[tuple[Any, ...]]
Reader = Callable[[Any], list[tuple[Any, ...]]]


def _codes(column: str) -> Any:
    """The contact's codes of one classification, ``;``-separated (NULL when none): one
    index look-up per contact on (contact_no, code)."""
    model, code_name = _LINK_MODELS[column]
    link = model.alias(f"{column}_link")
    code = getattr(link, code_name)
    joined = fn.group_concat(code, ";") if dialect() == "sqlite" else fn.string_agg(code, ";")
    return link.select(joined).where(link.contact_no == Contact.no)


def _in_order(codes: str | None) -> str:
    """A code list in code order ("" for none). SQLite's group_concat does not promise an
    order (it follows the index in practice), so a list of several is sorted here."""
    if not codes:
        return ""
    return ";".join(sorted(codes.split(";"))) if ";" in codes else codes


def _contact_batch(
    condition: ColumnBase | None, after: str | None, size: int, read: Reader
) -> list[tuple[Any, ...]]:
    columns = [*Contact._meta.sorted_fields, *(_codes(c).alias(c) for c in _LINK_MODELS)]
    query = Contact.select(*columns).order_by(Contact.no).limit(size)
    if condition is not None:
        query = query.where(condition)
    if after is not None:
        query = query.where(Contact.no > after)
    return read(query)


def _batches(
    condition: ColumnBase | None, limit: int | None, progress: Progress | None, read: Reader
) -> Iterator[Rows]:
    """Batches of contact rows (:data:`_COLUMNS`), in one snapshot of the database;
    ``read`` turns a query into rows."""
    with read_snapshot():
        total = None
        if progress is not None:
            selected = Contact.select()
            if condition is not None:
                selected = selected.where(condition)
            total = selected.count() if limit is None else min(limit, selected.count())
        batches = keyset_batches(
            lambda after, size: _contact_batch(condition, after, size, read),
            itemgetter(0),  # the contact no.
            limit=limit,
        )
        done = 0
        if progress is not None:
            progress("contacts", 0, total)
        for rows in batches:
            yield rows
            done += len(rows)
            if progress is not None:
                progress("contacts", done, total)


def iter_contact_records(
    condition: ColumnBase | None = None,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """Contacts (matching ``condition``) as records, ordered by number, with classifications."""
    for rows in _batches(condition, limit, progress, fast_tuples):
        for row in rows:
            record = dict(zip(_COLUMNS, row, strict=True))
            for column in _LINK_MODELS:
                record[column] = _in_order(record[column])
            yield record


def export_contacts(
    path: Path, condition: ColumnBase | None = None, *, progress: Progress | None = None
) -> int:
    """Write the selected contacts to a UTF-8 CSV file; returns how many."""
    with path.open("w", encoding="utf-8", newline="") as out:
        return write_contacts_csv(out, condition, progress=progress)


def write_contacts_csv(
    out: TextIO, condition: ColumnBase | None = None, *, progress: Progress | None = None
) -> int:
    """Write the header and the selected contacts as CSV to ``out``; returns how many."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for rows in _batches(condition, None, progress, raw_rows):
        writer.writerows(csv_rows(rows))
        count += len(rows)
    return count


def csv_rows(rows: Rows) -> Iterator[tuple[Any, ...]]:
    """The CSV rows of a batch of contacts as the driver returned them: the one place
    exported values become cells. Booleans read Yes/No, code lists are put in order;
    None is written blank and anything else as ``str()`` by the csv module (a date as
    ISO, also when SQLite returns it as text). Converted a column at a time: per cell,
    it was a third of the export's time."""
    columns = list(zip(*rows, strict=True))
    cells: list[Sequence[Any]] = [columns[i] for i in _EXPORTED]
    for position in _YES_NO:
        cells[position] = ["" if v is None else "Yes" if v else "No" for v in cells[position]]
    first_code = len(CONTACT_FIELDS)
    for position in range(first_code, first_code + len(_CODES)):
        cells[position] = [_in_order(v) if v and ";" in v else v for v in cells[position]]
    return zip(*cells, strict=True)


def list_contacts(
    condition: ColumnBase | None = None, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """The selected contacts as records (at most ``limit``)."""
    return list(iter_contact_records(condition, limit=limit))


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

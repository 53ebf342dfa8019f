"""Contacts to CSV (the columns ``contacts import`` reads back) and to records.

Contacts are fetched in number order a batch at a time from one cursor, each row with
its classification codes (``;``-separated, in code order) aggregated by the database, so
an export of 1,000,000 contacts holds one batch in memory (docs/streaming.md). Every
exported value becomes a CSV cell in :func:`csv_columns`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from peewee import JOIN, ColumnBase, fn

from segment_tui.db import dialect
from segment_tui.errors import UserError
from segment_tui.models import (
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
)
from segment_tui.private_files import open_private
from segment_tui.services.contacts.fields import CLASSIFICATION_COLUMNS, CONTACT_FIELDS
from segment_tui.services.csv_output import csv_writer
from segment_tui.services.streaming import Progress, read_snapshot, row_batches

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


def _code_lists(query: Any, whole_table: bool) -> Any:
    """``query`` (on Contact) selecting also each classification's codes of the contact,
    ``;``-separated (NULL when none).

    Per contact, a look-up on the (contact_no, code) index. PostgreSQL runs such
    sub-queries one by one (35 s for a million contacts), so for the whole table it joins
    each classification's codes aggregated once (hash joins: 4 s)."""
    sqlite = dialect() == "sqlite"
    columns = []
    for column, (model, code_name) in _LINK_MODELS.items():
        link = model.alias(f"{column}_link")
        code = getattr(link, code_name)
        # SQLite 3.40 has no ORDER BY inside group_concat: _in_order sorts there.
        codes = fn.group_concat(code, ";") if sqlite else fn.string_agg(code, ";").order_by(code)
        if whole_table and not sqlite:
            lists = (
                link.select(link.contact_no, codes.alias("codes"))
                .group_by(link.contact_no)
                .alias(f"{column}_lists")
            )
            query = query.join(lists, JOIN.LEFT_OUTER, on=(lists.c.contact_no == Contact.no))
            columns.append(lists.c.codes.alias(column))
        else:
            lookup = link.select(codes).where(link.contact_no == Contact.no)
            columns.append(lookup.alias(column))
    return query.select_extend(*columns)


def _in_order(codes: str | None) -> str:
    """A code list in code order ("" for none). SQLite's group_concat does not promise an
    order (it follows the index in practice), so a list of several is sorted here."""
    if not codes:
        return ""
    return ";".join(sorted(codes.split(";"))) if ";" in codes else codes


def _batches(
    condition: ColumnBase | None, limit: int | None, progress: Progress | None, convert: bool
) -> Iterator[Rows]:
    """Batches of contact rows (:data:`_COLUMNS`) in number order, from one snapshot of
    the database; ``convert`` as for :func:`row_batches`."""
    query = _code_lists(Contact.select(), whole_table=condition is None).order_by(Contact.no)
    if condition is not None:
        query = query.where(condition)
    if limit is not None:
        query = query.limit(limit)
    with read_snapshot():
        total = None
        if progress is not None:
            selected = Contact.select()
            if condition is not None:
                selected = selected.where(condition)
            total = selected.count() if limit is None else min(limit, selected.count())
            progress("contacts", 0, total)
        done = 0
        for rows in row_batches(query, convert=convert):
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
    for rows in _batches(condition, limit, progress, True):
        for row in rows:
            record = dict(zip(_COLUMNS, row, strict=True))
            for column in _LINK_MODELS:
                record[column] = _in_order(record[column])
            yield record


def export_contacts(
    path: Path, condition: ColumnBase | None = None, *, progress: Progress | None = None
) -> int:
    """Write the selected contacts to a UTF-8 CSV file (private, formula-safe: see
    :mod:`.csv_output`); returns how many. The file appears whole or not at all."""
    try:
        with open_private(path, "w", encoding="utf-8", newline="") as out:
            return write_contacts_csv(out, condition, progress=progress)
    except OSError as err:
        raise UserError(f"{path}: cannot write it: {err.strerror or err}") from None


def write_contacts_csv(
    out: IO[str], condition: ColumnBase | None = None, *, progress: Progress | None = None
) -> int:
    """Write the header and the selected contacts as CSV to ``out`` (through
    :func:`~.csv_output.csv_writer`: formula-like cells neutralised); returns how many."""
    writer = csv_writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for rows in _batches(condition, None, progress, False):
        writer.write_columns(csv_columns(rows))
        count += len(rows)
    return count


def csv_columns(rows: Rows) -> list[Sequence[Any]]:
    """The CSV cells of a batch of contacts as the driver returned them, a column at a
    time (per cell, it was a third of the export's time): the one place exported values
    become cells. Booleans read Yes/No, code lists are put in order; the CSV writer then
    writes None blank, neutralises formula-like text (:mod:`.csv_output`) and anything
    else as ``str()`` (a date as ISO, also when SQLite returns it as text)."""
    columns = list(zip(*rows, strict=True))
    cells: list[Sequence[Any]] = [columns[i] for i in _EXPORTED]
    for position in _YES_NO:
        cells[position] = ["" if v is None else "Yes" if v else "No" for v in cells[position]]
    first_code = len(CONTACT_FIELDS)
    for position in range(first_code, first_code + len(_CODES)):
        cells[position] = [_in_order(v) if v and ";" in v else v for v in cells[position]]
    return cells


def csv_rows(rows: Rows) -> Iterator[tuple[Any, ...]]:
    """:func:`csv_columns` as rows."""
    return zip(*csv_columns(rows), strict=True)


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

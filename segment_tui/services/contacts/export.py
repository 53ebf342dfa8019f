"""Contacts to CSV (the columns ``contacts import`` reads back) and to records.

Contacts are fetched in number order a batch at a time from one cursor, each row with
its classification codes (``;``-separated, in code order) aggregated by the database, so
an export of 1,000,000 contacts holds one batch in memory (docs/streaming.md). For a
CSV file the database writes each contact's line (:func:`_line_columns`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from peewee import JOIN, SQL, Case, ColumnBase, Select, fn

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
from segment_tui.services.csv_output import csv_writer, sql_csv_cell, sql_csv_line
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

Rows = Sequence[tuple[Any, ...]]


def _code_lists(query: Any, whole_table: bool, cell: Any = None) -> tuple[Any, list[Any]]:
    """``query`` (on Contact) with what it needs to select each classification's codes of
    the contact, and those code lists: ``;``-separated in code order, NULL when none
    (passed through ``cell``, an SQL function of the list, when given).

    Per contact, a look-up on the (contact_no, code) index. PostgreSQL runs such
    sub-queries one by one (35 s for a million contacts), so for the whole table it joins
    each classification's codes aggregated once (hash joins: 4 s)."""
    sqlite = dialect() == "sqlite"
    lists = []
    for column, (model, code_name) in _LINK_MODELS.items():
        link = model.alias(f"{column}_link")
        code = getattr(link, code_name)
        if sqlite:
            # SQLite 3.40 has no ORDER BY inside group_concat; it keeps the order of an
            # ordered sub-query it aggregates (it never flattens one into an aggregate,
            # for group_concat's sake: its ticket 2942 and the test named after it).
            ordered = link.select(code).where(link.contact_no == Contact.no).order_by(code)
            ordered = ordered.alias(f"{column}_codes")
            # The separator written in the SQL, not a parameter: ``cell`` repeats the
            # aggregate, which SQLite computes once only when the copies are identical.
            codes = fn.group_concat(getattr(ordered.c, code_name), SQL("';'"))
            lists.append(Select([ordered], [cell(codes) if cell else codes]))
            continue
        codes = fn.string_agg(code, ";").order_by(code)
        if whole_table:
            joined = (
                link.select(link.contact_no, codes.alias("codes"))
                .group_by(link.contact_no)
                .alias(f"{column}_lists")
            )
            query = query.join(joined, JOIN.LEFT_OUTER, on=(joined.c.contact_no == Contact.no))
            lists.append(cell(joined.c.codes) if cell else joined.c.codes)
        else:
            chosen = cell(codes) if cell else codes  # the same aggregate: computed once
            lists.append(link.select(chosen).where(link.contact_no == Contact.no))
    return query, lists


def _query(columns: Any, condition: ColumnBase | None, limit: int | None, cell: Any = None) -> Any:
    """Contacts (matching ``condition``, at most ``limit``) in number order, selecting what
    ``columns(code lists)`` gives (``cell`` as for :func:`_code_lists`)."""
    query, lists = _code_lists(Contact.select(), condition is None, cell)
    query = query.select(*columns(lists)).order_by(Contact.no)
    if condition is not None:
        query = query.where(condition)
    if limit is not None:
        query = query.limit(limit)
    return query


def _batches(query: Any, condition: ColumnBase | None, limit: int | None,
             progress: Progress | None, convert: bool) -> Iterator[Rows]:  # fmt: skip
    """Batches of the rows of ``query`` (made by :func:`_query` of ``condition`` and
    ``limit``) from one snapshot of the database; ``convert`` as for :func:`row_batches`."""
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


def _record_columns(lists: list[Any]) -> list[Any]:
    return [*Contact._meta.sorted_fields, *(codes.alias(name) for codes, name in
                                           zip(lists, _LINK_MODELS, strict=True))]  # fmt: skip


def iter_contact_records(
    condition: ColumnBase | None = None,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """Contacts (matching ``condition``) as records, ordered by number, with classifications."""
    query = _query(_record_columns, condition, limit)
    for rows in _batches(query, condition, limit, progress, True):
        for row in rows:
            record = dict(zip(_COLUMNS, row, strict=True))
            for column in _LINK_MODELS:
                record[column] = record[column] or ""
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


def _line_columns(lists: list[Any]) -> list[Any]:
    """The contact's number, then its CSV line (:func:`~.csv_output.sql_csv_line`):
    booleans Yes/No, code lists in code order, text through
    :func:`~.csv_output.sql_csv_cell` (``lists`` are made so already)."""
    cells: list[Any] = []
    for field in CONTACT_FIELDS:
        column = getattr(Contact, field.name)
        if field.kind == "boolean":
            cells.append(Case(None, [(column.is_null(), ""), (column, "Yes")], "No"))
        elif field.kind == "option":  # one of a few words, checked by the database
            cells.append(column)
        else:
            cells.append(sql_csv_cell(column))
    return [Contact.no, sql_csv_line(cells + lists)]


def write_contacts_csv(
    out: IO[str], condition: ColumnBase | None = None, *, progress: Progress | None = None
) -> int:
    """Write the header and the selected contacts as CSV to ``out`` (through
    :func:`~.csv_output.csv_writer`: formula-like cells neutralised); returns how many.

    The database writes each contact's CSV line (booleans, blanks, code lists and the
    formula prefix as :func:`iter_contact_records` and the writer make them), so Python
    handles one value a contact (docs/streaming.md, "CSV export")."""
    writer = csv_writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    query = _query(_line_columns, condition, None, sql_csv_cell)
    for rows in _batches(query, condition, None, progress, False):

        def cells(positions: Sequence[int], rows: Rows = rows) -> list[list[Any]]:
            # Lines with a value the csv module quotes: their contacts read as records.
            numbers = [rows[i][0] for i in positions]
            records = {r["no"]: r for r in iter_contact_records(Contact.no.in_(numbers))}
            return [[records[no][column] for column in EXPORT_COLUMNS] for no in numbers]

        writer.write_lines([line for _, line in rows], len(EXPORT_COLUMNS), cells)
        count += len(rows)
    return count


def list_contacts(
    condition: ColumnBase | None = None, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """The selected contacts as records (at most ``limit``)."""
    return list(iter_contact_records(condition, limit=limit))

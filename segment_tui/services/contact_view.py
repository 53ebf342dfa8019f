"""Reading windows of contacts for the Contacts screen (keyset paging on ``no``).

Mirrors :mod:`segment_tui.services.segment_view` for segment lines: a filtered list of a
million contacts opens with one ``COUNT`` and one page, never by reading every row.
``condition`` is a peewee expression on :class:`Contact` (from the filter line, see
:func:`segment_tui.services.filter_line.parse_filter_line`), or None for all contacts.
"""

from __future__ import annotations

from typing import Any

from peewee import ColumnBase, Select

from segment_tui.db import tuples
from segment_tui.models import Contact

VIEW_FIELDS: tuple[str, ...] = (
    "no",
    "type",
    "name",
    "company_name",
    "city",
    "post_code",
    "country_region_code",
    "email",
    "phone_no",
    "salesperson_code",
    "correspondence_type",
    "exclude_from_segment",
)
"""The contact columns a window carries (the Contacts screen's columns)."""


def _query(condition: ColumnBase | None) -> Select:
    query = Contact.select(*[getattr(Contact, name) for name in VIEW_FIELDS])
    return query if condition is None else query.where(condition)


def _records(query: Select) -> list[dict[str, Any]]:
    records = []
    for row in tuples(query):
        record = dict(zip(VIEW_FIELDS, row, strict=True))
        for key in ("country_region_code", "salesperson_code"):
            record[key] = record[key] or ""
        records.append(record)
    return records


def contact_count(condition: ColumnBase | None = None) -> int:
    """How many contacts match ``condition``."""
    query = Contact.select()
    if condition is not None:
        query = query.where(condition)
    return int(query.count())


def contacts_after(
    condition: ColumnBase | None, no: str | None, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` matching contacts after number ``no`` (from the start when None)."""
    query = _query(condition)
    if no is not None:
        query = query.where(Contact.no > no)
    return _records(query.order_by(Contact.no).limit(limit))


def contacts_before(
    condition: ColumnBase | None, no: str | None, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` matching contacts before number ``no`` (from the end when None),
    in ascending order."""
    query = _query(condition)
    if no is not None:
        query = query.where(Contact.no < no)
    rows = _records(query.order_by(Contact.no.desc()).limit(limit))
    rows.reverse()
    return rows


def contacts_at(condition: ColumnBase | None, offset: int, limit: int) -> list[dict[str, Any]]:
    """Matching contacts ``offset`` … ``offset+limit`` (for jumps; paging uses the keyset)."""
    return _records(_query(condition).order_by(Contact.no).offset(offset).limit(limit))


def contact_index(condition: ColumnBase | None, no: str) -> int | None:
    """Position of contact ``no`` among the matching contacts, or None when it does not match."""
    query = Contact.select().where(Contact.no == no)
    if condition is not None:
        query = query.where(condition)
    if not query.exists():
        return None
    before = Contact.select().where(Contact.no < no)
    if condition is not None:
        before = before.where(condition)
    return int(before.count())

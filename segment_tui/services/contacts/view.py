"""Reading windows of contacts for the Contacts screen (keyset paging on ``no``).

Mirrors :mod:`segment_tui.services.segments.view` for segment lines: a filtered list of a
million contacts opens with one ``COUNT`` and one page, never by reading every row; pages
are read by key from either end, and a jump into the middle first seeks the contact number
at that position (``contact_key_at``, numbers only).
``filters`` are the screen's filter line, parsed
(:func:`segment_tui.services.contacts.filter_line.parse_filter_line`); no filters: all contacts.
The screen holds only those parsed filters: the SQL is built by
:func:`segment_tui.services.contacts.query.matching_condition`, as for the CLI.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TypedDict, cast

from peewee import ColumnBase, Select

from segment_tui.db import chunked, count_of, tuples
from segment_tui.models import Contact
from segment_tui.services.contacts.query import matching_condition
from segment_tui.services.criteria.fields import FieldFilter

Filters = Sequence[FieldFilter]

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


class ContactRow(TypedDict):
    """A contact as a window of the Contacts screen reads it: :data:`VIEW_FIELDS`, codes
    blank rather than null."""

    no: str
    type: str
    name: str
    company_name: str
    city: str
    post_code: str
    country_region_code: str
    email: str
    phone_no: str
    salesperson_code: str
    correspondence_type: str
    exclude_from_segment: bool


def _condition(filters: Filters) -> ColumnBase | None:
    return matching_condition(filters)


def _query(filters: Filters) -> Select:
    condition = _condition(filters)
    query = Contact.select(*[getattr(Contact, name) for name in VIEW_FIELDS])
    return query if condition is None else query.where(condition)


def _records(query: Select) -> list[ContactRow]:
    records: list[dict[str, object]] = []
    for row in tuples(query):
        record = dict(zip(VIEW_FIELDS, row, strict=True))
        for key in ("country_region_code", "salesperson_code"):
            record[key] = record[key] or ""
        records.append(record)
    return cast(list[ContactRow], records)  # VIEW_FIELDS are ContactRow's keys


def contact_count(filters: Filters = ()) -> int:
    """How many contacts match ``filters``."""
    condition = _condition(filters)
    query = Contact.select()
    if condition is not None:
        query = query.where(condition)
    return count_of(query)


def contacts_after(filters: Filters, no: str | None, limit: int) -> list[ContactRow]:
    """Up to ``limit`` matching contacts after number ``no`` (from the start when None)."""
    query = _query(filters)
    if no is not None:
        query = query.where(Contact.no > no)
    return _records(query.order_by(Contact.no).limit(limit))


def contacts_before(filters: Filters, no: str | None, limit: int) -> list[ContactRow]:
    """Up to ``limit`` matching contacts before number ``no`` (from the end when None),
    in ascending order."""
    query = _query(filters)
    if no is not None:
        query = query.where(Contact.no < no)
    rows = _records(query.order_by(Contact.no.desc()).limit(limit))
    rows.reverse()
    return rows


def contact_key_at(filters: Filters, index: int, *, from_end: bool = False) -> str | None:
    """The number of the matching contact at position ``index`` (counted back from the last
    when ``from_end``), or None past the end: reads contact numbers only."""
    condition = _condition(filters)
    query = Contact.select(Contact.no)
    if condition is not None:
        query = query.where(condition)
    order = Contact.no.desc() if from_end else Contact.no
    hit = query.order_by(order).offset(index).limit(1).scalar()
    return None if hit is None else str(hit)


def contacts_present(filters: Filters, numbers: Collection[str]) -> set[str]:
    """The contact numbers among ``numbers`` that exist and match ``filters``."""
    condition = _condition(filters)
    found: set[str] = set()
    for chunk in chunked(sorted(numbers)):
        query = Contact.select(Contact.no).where(Contact.no.in_(list(chunk)))
        if condition is not None:
            query = query.where(condition)
        found.update(str(row[0]) for row in tuples(query))
    return found


def contact_index(filters: Filters, no: str) -> int | None:
    """Position of contact ``no`` among the matching contacts, or None when it does not match."""
    condition = _condition(filters)
    query = Contact.select().where(Contact.no == no)
    if condition is not None:
        query = query.where(condition)
    if not query.exists():
        return None
    before = Contact.select().where(Contact.no < no)
    if condition is not None:
        before = before.where(condition)
    return count_of(before)

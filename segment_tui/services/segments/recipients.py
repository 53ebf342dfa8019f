"""The contacts of a segment's lines, read in batches for printouts and exports.

Labels, cover sheets and the Segment - Contacts report walk a segment that may have
100,000 lines: in line order the lines are read with their contact in batches (keyset
paging on the segment's ``(segment_no, line_no)`` index); by contact no. in one sorted
query read row by row. They are never all held in memory at once. Lines without a contact
are skipped, as BC's reports skip them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict, cast

from peewee import fn

from segment_tui.db import tuples
from segment_tui.errors import UserError
from segment_tui.models import CompanyInformation, Contact, CountryRegion, SegmentLine
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.printouts.postal_address import ADDRESS_FIELDS, AddressBook

BATCH = 1000
"""Lines read per query."""

RECIPIENT_FIELDS = (*ADDRESS_FIELDS, "salesperson_code")
"""What a recipient record holds: the address fields and the contact's salesperson."""


class Recipient(TypedDict):
    """A line's contact as the printouts read it: the line and its salesperson, then the
    contact's :data:`RECIPIENT_FIELDS` (blank rather than null)."""

    line_no: int
    line_salesperson_code: str
    no: str
    type: str
    name: str
    name_2: str
    company_no: str
    company_name: str
    address: str
    address_2: str
    post_code: str
    city: str
    county: str
    country_region_code: str
    salesperson_code: str


_KEYS = ("line_no", "line_salesperson_code", *RECIPIENT_FIELDS)
"""Recipient's keys, in its order (the columns the query selects)."""


def _recipient(row: tuple[object, ...]) -> Recipient:
    return cast(Recipient, dict(zip(_KEYS, ("" if v is None else v for v in row), strict=True)))


def address_book() -> AddressBook:
    """Country names and the home country (Company Information's), read once."""
    query = CountryRegion.select(CountryRegion.code, CountryRegion.name)
    names = {code: name or "" for code, name in tuples(query)}
    info = CompanyInformation.get_or_none(CompanyInformation.primary_key == "")
    home = (info.country_region_code or "") if info is not None else ""
    return AddressBook(names, home)


def company_name() -> str:
    """Company Information's name (the sender of every printout)."""
    info = CompanyInformation.get_or_none(CompanyInformation.primary_key == "")
    return (info.name or "") if info is not None else ""


def line_count(segment_no: str) -> int:
    """How many lines with a contact the segment has."""
    return int(
        SegmentLine.select(fn.COUNT(SegmentLine.id))
        .where((SegmentLine.segment_no == segment_no) & SegmentLine.contact_no.is_null(False))
        .scalar()
        or 0
    )


def require_lines(segment_no: str) -> tuple[str, str, int]:
    """(No., Description, line count) of a segment that has lines; BC's "Segment %1 is
    empty." otherwise."""
    header = get_header(segment_no)
    count = line_count(header.no)
    if count == 0:
        raise UserError(f"Segment {header.no} is empty.")
    return header.no, header.description or "", count


def iter_recipients(segment_no: str, *, by_contact: bool = False) -> Iterator[Recipient]:
    """Each line's contact as a record (``line_no``, the line's ``line_salesperson_code``
    and :data:`RECIPIENT_FIELDS`), in line order or, with ``by_contact``, by contact no."""
    columns = [getattr(Contact, name) for name in RECIPIENT_FIELDS]
    base = (
        SegmentLine.select(SegmentLine.line_no, SegmentLine.salesperson_code, *columns)
        .join(Contact, on=(Contact.no == SegmentLine.contact_no))
        .where(SegmentLine.segment_no == segment_no)
    )
    if by_contact:
        # One sorted query, read row by row: paging by contact no. would sort the whole
        # segment again for every page (100 sorts of 100,000 lines took 15 s).
        query = base.order_by(SegmentLine.contact_no, SegmentLine.line_no)
        for row in query.tuples().iterator():
            yield _recipient(row)
        return
    after = 0
    while True:  # line order pages on the (segment_no, line_no) index: no sort at all
        query = base.where(SegmentLine.line_no > after).order_by(SegmentLine.line_no)
        rows = tuples(query.limit(BATCH))
        for row in rows:
            yield _recipient(row)
        if len(rows) < BATCH:
            return
        after = rows[-1][0]

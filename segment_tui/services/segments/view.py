"""Reading segments for display and JSON: lines with their contact's names, windows of
lines for the worksheet (keyset paging from either end, seeks by position on the
index only), a whole segment as one document or a stream. (The criteria list is
:mod:`segment_tui.services.criteria.view`'s.)

Line records carry BC's computed columns: ``contact_name`` is blank for a company
contact (BC's FlowField filters Type=Person), ``contact_company_name`` is the name of the
contact's company, ``document`` is "Inherited", "Unique" or blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from typing import Literal, TypedDict, cast, overload

from peewee import JOIN, Case, Select, fn

from segment_tui.db import chunked, count_of, tuples
from segment_tui.models import (
    Contact,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.json_rows import json_record
from segment_tui.services.segments.headers import SegmentHeaderRecord, header_record
from segment_tui.services.streaming import (
    Progress,
    counted,
    only,
    read_snapshot,
    record_batches,
    row_batches,
)

LINE_COLUMNS = [f.column_name for f in SegmentLine._meta.sorted_fields if f.name != "id"]


class LineRecord(TypedDict):
    """A segment line as the worksheet, ``segment show`` and the JSON present it: the
    line's columns (codes blank rather than null) and BC's computed columns."""

    segment_no: str
    line_no: int
    contact_no: str
    campaign_no: str
    salesperson_code: str
    correspondence_type: str
    interaction_template_code: str
    cost_lcy: Decimal
    duration_min: int
    attachment_no: int | None
    campaign_response: bool
    information_flow: str
    initiated_by: str
    evaluation: str
    campaign_target: bool
    language_code: str
    description: str
    date: dt.date | None
    time_of_interaction: dt.time | None
    attempt_failed: bool
    contact_company_no: str
    interaction_group_code: str
    send_word_doc_as_attmt: bool
    contact_via: str
    subject: str
    merged: bool
    line_note: str
    added_by_action: int
    contact_name: str
    """Blank for a company contact (BC's FlowField filters Type=Person)."""
    contact_company_name: str
    contact_email: str
    contact_phone_no: str
    contact_mobile_phone_no: str
    document: Literal["Inherited", "Unique", ""]


LineColumns = dict[str, object]
"""Some columns of a :class:`LineRecord`, those a caller asked for, by key (a new dict
per line: the caller's to change)."""


class SegmentDocument(SegmentHeaderRecord):
    """A segment as one JSON document: the header record and its lines."""

    lines: list[LineRecord]


def _lines_query(segment_no: str) -> Select:
    contact = Contact.alias("line_contact")
    company = Contact.alias("line_company")
    own = SegmentInteractionLanguage.alias("own_doc")
    header_doc = SegmentInteractionLanguage.alias("header_doc")
    unique = fn.EXISTS(
        own.select(own.id).where(
            (own.segment_no == SegmentLine.segment_no)
            & (own.segment_line_no == SegmentLine.line_no)
            & own.attachment_no.is_null(False)
        )
    )
    inherited = SegmentLine.attachment_no.in_(
        header_doc.select(header_doc.attachment_no).where(
            (header_doc.segment_no == SegmentLine.segment_no) & (header_doc.segment_line_no == 0)
        )
    )
    document = Case(None, [(unique, "Unique"), (inherited, "Inherited")], "")
    return (
        SegmentLine.select(
            *[getattr(SegmentLine, c) for c in LINE_COLUMNS],
            Case(None, [(contact.type == "person", contact.name)], "").alias("contact_name"),
            fn.COALESCE(company.name, "").alias("contact_company_name"),
            fn.COALESCE(contact.email, "").alias("contact_email"),
            fn.COALESCE(contact.phone_no, "").alias("contact_phone_no"),
            fn.COALESCE(contact.mobile_phone_no, "").alias("contact_mobile_phone_no"),
            document.alias("document"),
        )
        .join(contact, JOIN.LEFT_OUTER, on=(contact.no == SegmentLine.contact_no))
        .join(company, JOIN.LEFT_OUTER, on=(company.no == contact.company_no))
        .where(SegmentLine.segment_no == segment_no)
    )


_RECORD_KEYS = [
    *LINE_COLUMNS,
    "contact_name",
    "contact_company_name",
    "contact_email",
    "contact_phone_no",
    "contact_mobile_phone_no",
    "document",
]


def _records(query: Select) -> list[LineRecord]:
    records: list[dict[str, object]] = []
    for row in tuples(query):
        record = dict(zip(_RECORD_KEYS, row, strict=True))
        for key in ("campaign_no", "salesperson_code", "interaction_template_code",
                    "language_code", "interaction_group_code", "contact_no"):  # fmt: skip
            record[key] = record[key] or ""
        records.append(record)
    return cast(list[LineRecord], records)  # _RECORD_KEYS are LineRecord's keys


def line_record(segment_no: str, line_no: int) -> LineRecord:
    """One line with its computed columns."""
    rows = _records(_lines_query(segment_no).where(SegmentLine.line_no == line_no))
    return rows[0]


def lines_after(segment_no: str, line_no: int | None, limit: int) -> list[LineRecord]:
    """Up to ``limit`` lines after ``line_no`` (from the start when None), in order."""
    query = _lines_query(segment_no)
    if line_no is not None:
        query = query.where(SegmentLine.line_no > line_no)
    return _records(query.order_by(SegmentLine.line_no).limit(limit))


def lines_before(segment_no: str, line_no: int | None, limit: int) -> list[LineRecord]:
    """Up to ``limit`` lines before ``line_no`` (from the end when None), in order."""
    query = _lines_query(segment_no)
    if line_no is not None:
        query = query.where(SegmentLine.line_no < line_no)
    rows = _records(query.order_by(SegmentLine.line_no.desc()).limit(limit))
    rows.reverse()
    return rows


def line_key_at(segment_no: str, index: int, *, from_end: bool = False) -> int | None:
    """The line no. at position ``index`` (counted back from the last line when
    ``from_end``), or None past the end: a seek on the (segment_no, line_no) index that
    reads no line and joins nothing, for jumps into the middle of a big segment."""
    order = SegmentLine.line_no.desc() if from_end else SegmentLine.line_no
    hit = (
        SegmentLine.select(SegmentLine.line_no)
        .where(SegmentLine.segment_no == segment_no)
        .order_by(order)
        .offset(index)
        .limit(1)
        .scalar()
    )
    return None if hit is None else int(hit)


def line_total(segment_no: str) -> int:
    """How many lines the segment has (a count on the (segment_no, line_no) index)."""
    return count_of(SegmentLine.select().where(SegmentLine.segment_no == segment_no))


def line_index(segment_no: str, line_no: int) -> int | None:
    """How many lines come before ``line_no``, or None when the segment has no such line."""
    lines = SegmentLine.select().where(SegmentLine.segment_no == segment_no)
    if not lines.where(SegmentLine.line_no == line_no).exists():
        return None
    return count_of(lines.where(SegmentLine.line_no < line_no))


def lines_present(segment_no: str, line_nos: Collection[int]) -> set[int]:
    """The line nos. among ``line_nos`` that the segment still has."""
    found: set[int] = set()
    for chunk in chunked(sorted(line_nos)):
        query = SegmentLine.select(SegmentLine.line_no).where(
            (SegmentLine.segment_no == segment_no) & SegmentLine.line_no.in_(list(chunk))
        )
        found.update(int(row[0]) for row in tuples(query))
    return found


def iter_lines(segment_no: str, batch: int = 5000) -> Iterator[LineRecord]:
    """Every line of a segment, in order, read in batches."""
    last: int | None = None
    while True:
        rows = lines_after(segment_no, last, batch)
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1]["line_no"]


@overload
def segment_stream(
    segment_no: str,
    *,
    fields: None = None,
    progress: Progress | None = None,
    batch: int | None = None,
) -> AbstractContextManager[tuple[SegmentHeaderRecord, Iterator[LineRecord]]]: ...


@overload
def segment_stream(
    segment_no: str,
    *,
    fields: Sequence[str],
    progress: Progress | None = None,
    batch: int | None = None,
) -> AbstractContextManager[tuple[SegmentHeaderRecord, Iterator[LineColumns]]]: ...


def segment_stream(
    segment_no: str,
    *,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    batch: int | None = None,
) -> AbstractContextManager[tuple[SegmentHeaderRecord, Iterator[Mapping[str, object]]]]:
    """A segment's header record and an iterator over its line records (only ``fields``
    when given: a table of 13 columns read 2x faster), fetched a batch at a time from one
    snapshot of the database (the header's ``no_of_lines`` counts the lines the iterator
    yields): one batch is held at a time, whatever the segment's size.

    Reports ``progress("lines", done, no_of_lines)`` after each batch.
    """
    return _segment_stream(segment_no, fields, progress, batch)


@contextmanager
def _segment_stream(
    segment_no: str,
    fields: Sequence[str] | None,
    progress: Progress | None,
    batch: int | None,
) -> Iterator[tuple[SegmentHeaderRecord, Iterator[Mapping[str, object]]]]:
    with read_snapshot():
        header = header_record(get_header(segment_no).no)
        query, keys = only(_lines_query(header["no"]), _RECORD_KEYS, fields)
        # The blanks _records fills in are CodeFields, which record_batches blanks already.
        batches = record_batches(query.order_by(SegmentLine.line_no), keys, batch=batch)
        yield header, counted(batches, "lines", header["no_of_lines"], progress)


@contextmanager
def segment_json_stream(
    segment_no: str, *, progress: Progress | None = None, batch: int | None = None
) -> Iterator[tuple[SegmentHeaderRecord, Iterator[str]]]:
    """:func:`segment_stream` with each line as its JSON text, written by the database
    (services/json_rows.py): the same JSON as the line record; on SQLite 3x faster than
    encoding the records."""
    with read_snapshot():
        header = header_record(get_header(segment_no).no)
        query = _lines_query(header["no"])
        query = query.select(json_record(query, _RECORD_KEYS)).order_by(SegmentLine.line_no)
        rows = counted(
            row_batches(query, convert=False, batch=batch),
            "lines",
            header["no_of_lines"],
            progress,
        )
        yield header, (text for (text,) in rows)


def segment_document(segment_no: str) -> SegmentDocument:
    """The JSON document of a segment: header fields plus ``lines``."""
    header = get_header(segment_no)
    return {**header_record(header.no), "lines": list(iter_lines(header.no))}

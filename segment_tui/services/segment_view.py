"""Reading segments for display and JSON: lines with their contact's names, windows of
lines for the worksheet (keyset paging), the criteria list with +added/−removed.

Line records carry BC's computed columns: ``contact_name`` is blank for a company
contact (BC's FlowField filters Type=Person), ``contact_company_name`` is the name of the
contact's company, ``document`` is "Inherited", "Unique" or blank.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import JOIN, Case, Select, fn

from segment_tui.db import contains, tuples
from segment_tui.models import (
    Contact,
    SegmentCriteriaLine,
    SegmentHistory,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.models.enums import caption
from segment_tui.services.criteria import get_header
from segment_tui.services.criteria_fields import SECTION_CAPTIONS, describe_table_view
from segment_tui.services.json_rows import json_record
from segment_tui.services.segments import header_record
from segment_tui.services.streaming import (
    Progress,
    counted,
    only,
    read_snapshot,
    record_batches,
    row_batches,
)

LINE_COLUMNS = [f.column_name for f in SegmentLine._meta.sorted_fields if f.name != "id"]


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


def _records(query: Select) -> list[dict[str, Any]]:
    records = []
    for row in tuples(query):
        record = dict(zip(_RECORD_KEYS, row, strict=True))
        for key in ("campaign_no", "salesperson_code", "interaction_template_code",
                    "language_code", "interaction_group_code", "contact_no"):  # fmt: skip
            record[key] = record[key] or ""
        records.append(record)
    return records


def line_record(segment_no: str, line_no: int) -> dict[str, Any]:
    """One line with its computed columns."""
    rows = _records(_lines_query(segment_no).where(SegmentLine.line_no == line_no))
    return rows[0]


def lines_after(segment_no: str, line_no: int | None, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` lines after ``line_no`` (from the start when None), in order."""
    query = _lines_query(segment_no)
    if line_no is not None:
        query = query.where(SegmentLine.line_no > line_no)
    return _records(query.order_by(SegmentLine.line_no).limit(limit))


def lines_before(segment_no: str, line_no: int | None, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` lines before ``line_no`` (from the end when None), in order."""
    query = _lines_query(segment_no)
    if line_no is not None:
        query = query.where(SegmentLine.line_no < line_no)
    rows = _records(query.order_by(SegmentLine.line_no.desc()).limit(limit))
    rows.reverse()
    return rows


def lines_at(segment_no: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """Lines ``offset``… ``offset+limit`` (for jumps; paging uses the keyset functions)."""
    return _records(
        _lines_query(segment_no).order_by(SegmentLine.line_no).offset(offset).limit(limit)
    )


def line_index(segment_no: str, line_no: int) -> int:
    """How many lines come before ``line_no``."""
    return int(
        SegmentLine.select()
        .where((SegmentLine.segment_no == segment_no) & (SegmentLine.line_no < line_no))
        .count()
    )


def find_line(segment_no: str, text: str, after_line_no: int | None = None) -> int | None:
    """The first line (after ``after_line_no``, wrapping) whose contact no. or name
    contains ``text`` (case-insensitive); its line no., or None."""
    contact = Contact.alias("found")
    base = (
        SegmentLine.select(SegmentLine.line_no)
        .join(contact, on=(contact.no == SegmentLine.contact_no))
        .where(
            (SegmentLine.segment_no == segment_no)
            & (
                contains(contact.no, text)
                | contains(contact.name, text)
                | contains(contact.company_name, text)
            )
        )
        .order_by(SegmentLine.line_no)
    )
    if after_line_no is not None:
        hit = base.where(SegmentLine.line_no > after_line_no).limit(1).scalar()
        if hit is not None:
            return int(hit)
    first = base.limit(1).scalar()
    return int(first) if first is not None else None


def iter_lines(segment_no: str, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Every line of a segment, in order, read in batches."""
    last: int | None = None
    while True:
        rows = lines_after(segment_no, last, batch)
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1]["line_no"]


@contextmanager
def segment_stream(
    segment_no: str,
    *,
    fields: Sequence[str] | None = None,
    progress: Progress | None = None,
    batch: int | None = None,
) -> Iterator[tuple[dict[str, Any], Iterator[dict[str, Any]]]]:
    """A segment's header record and an iterator over its line records (only ``fields``
    when given: a table of 13 columns read 2x faster), fetched a batch at a time from one
    snapshot of the database (the header's ``no_of_lines`` counts the lines the iterator
    yields): one batch is held at a time, whatever the segment's size.

    Reports ``progress("lines", done, no_of_lines)`` after each batch.
    """
    with read_snapshot():
        header = header_record(get_header(segment_no).no)
        query, keys = only(_lines_query(header["no"]), _RECORD_KEYS, fields)
        # The blanks _records fills in are CodeFields, which record_batches blanks already.
        batches = record_batches(query.order_by(SegmentLine.line_no), keys, batch=batch)
        yield header, counted(batches, "lines", header.get("no_of_lines"), progress)


@contextmanager
def segment_json_stream(
    segment_no: str, *, progress: Progress | None = None, batch: int | None = None
) -> Iterator[tuple[dict[str, Any], Iterator[str]]]:
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
            header.get("no_of_lines"),
            progress,
        )
        yield header, (text for (text,) in rows)


def segment_document(segment_no: str, *, with_lines: bool = True) -> dict[str, Any]:
    """The JSON document of a segment: header fields plus ``lines``."""
    header = get_header(segment_no)
    record = header_record(header.no)
    if with_lines:
        record["lines"] = list(iter_lines(header.no))
    return record


def criteria_records(segment_no: str) -> list[dict[str, Any]]:
    """The criteria lines in order; action lines carry their number and +added/−removed."""
    header = get_header(segment_no)
    counts: dict[tuple[int, str], int] = {
        (int(action), str(taken)): int(count)
        for action, taken, count in tuples(
            SegmentHistory.select(
                SegmentHistory.segment_action_no,
                SegmentHistory.action_taken,
                fn.COUNT(SegmentHistory.id),
            )
            .where(SegmentHistory.segment_no == header.no)
            .group_by(SegmentHistory.segment_action_no, SegmentHistory.action_taken)
        )
    }
    records: list[dict[str, Any]] = []
    action_no = 0
    for line in (
        SegmentCriteriaLine.select()
        .where(SegmentCriteriaLine.segment_no == header.no)
        .order_by(SegmentCriteriaLine.line_no)
    ):
        record = line.as_record()
        if line.type == "action":
            action_no += 1
            record.update(
                action_no=action_no,
                caption=caption(line.action),
                added=counts.get((action_no, "insertion"), 0),
                removed=counts.get((action_no, "deletion"), 0),
                filter_text="",
            )
        else:
            record.update(
                action_no=action_no,
                caption=SECTION_CAPTIONS.get(line.section, line.section),
                filter_text=describe_table_view(line.table_view),
            )
        records.append(record)
    return records

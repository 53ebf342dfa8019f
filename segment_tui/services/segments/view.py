"""Reading segments for display and JSON: lines with their contact's names, windows of
lines for the worksheet (keyset paging from either end, seeks by position on the
index only), the criteria list with +added/−removed.

Line records carry BC's computed columns: ``contact_name`` is blank for a company
contact (BC's FlowField filters Type=Person), ``contact_company_name`` is the name of the
contact's company, ``document`` is "Inherited", "Unique" or blank.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import JOIN, Case, Select, fn

from segment_tui.db import chunked, count_of, tuples
from segment_tui.models import (
    Contact,
    SegmentCriteriaLine,
    SegmentHistory,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.models.enums import caption
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.criteria.fields import (
    SECTION_CAPTIONS,
    describe_table_view,
    table_view_items,
)
from segment_tui.services.json_rows import json_record
from segment_tui.services.segments.headers import header_record
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
                filter_items=[],
            )
        else:
            record.update(
                action_no=action_no,
                caption=SECTION_CAPTIONS.get(line.section, line.section),
                filter_text=describe_table_view(line.table_view),
                filter_items=table_view_items(line.table_view),
            )
        records.append(record)
    return records


def last_action_summary(segment_no: str) -> str:
    """The criteria action Go Back would undo, in one line for its question:
    ``3. Add Contacts city=London|Paris type=Person (+34 added)``; blank without one."""
    records = criteria_records(segment_no)
    actions = [r for r in records if r["type"] == "action"]
    if not actions:
        return ""
    last = actions[-1]
    filters = [
        f"{name}={text}"
        for r in records
        if r["type"] == "filter" and r["action_no"] == last["action_no"]
        for name, text in json.loads(r["table_view"])
    ]
    changed = [f"+{last['added']:,} added" if last["added"] else ""]
    changed.append(f"−{last['removed']:,} removed" if last["removed"] else "")
    counts = ", ".join(c for c in changed if c) or "nothing changed"
    where = " ".join(filters) or "(no filters)"
    return f"{last['action_no']}. {last['caption']} {where} ({counts})"

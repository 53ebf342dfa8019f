"""Reading interaction log entries for display: windows of entries for the Interaction Log
Entries screen (keyset paging on Entry No., newest first), with the page's filters.

A logged segment can hold 100,000+ entries, so the screen never reads them all: it counts,
then reads pages before or after a known entry (``entries_after``/``entries_before``; from
either end with None), and for a jump into the middle first seeks the entry number at that
position (``entry_key_at``, entry numbers only). Records carry BC's FlowFields Contact Name
and Contact Company Name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict, TypeVar, cast, overload

from peewee import JOIN, Case, Select, fn

from segment_tui.db import chunked, count_of, tuples
from segment_tui.models import Contact, InteractionLogEntry
from segment_tui.services.interactions.letters import DELIVERED, DOCUMENT, LetterState
from segment_tui.services.json_rows import json_record
from segment_tui.services.list_filters import ListFilter, describe_list_filters, list_condition
from segment_tui.services.streaming import (
    Progress,
    counted,
    only,
    read_snapshot,
    record_batches,
    row_batches,
)

_FIELDS = tuple(f.column_name for f in InteractionLogEntry._meta.sorted_fields)
_KEYS = (*_FIELDS, "contact_name", "contact_company_name")
_STREAM_KEYS = (*_KEYS, "letter")
"""The keys of a streamed entry: a page's record and its ``letter`` (as ``interactions
list`` has always shown it)."""
T = TypeVar("T")


class EntryRow(TypedDict):
    """An interaction log entry as a page of the Interaction Log Entries screen reads it:
    the entry's columns (``delivery_status`` as shown: ``sending`` reads ``unknown`` once
    no process delivers it) and BC's FlowFields Contact Name and Contact Company Name."""

    entry_no: int
    contact_no: str
    contact_company_no: str
    date: dt.date | None
    description: str
    information_flow: str
    initiated_by: str
    attachment_no: int | None
    cost_lcy: Decimal
    duration_min: int
    user_id: str
    interaction_group_code: str
    interaction_template_code: str
    campaign_no: str
    campaign_entry_no: int | None
    campaign_response: bool
    campaign_target: bool
    segment_no: str
    evaluation: str
    time_of_interaction: dt.time | None
    attempt_failed: bool
    salesperson_code: str
    delivery_status: str
    canceled: bool
    correspondence_type: str
    logged_segment_entry_no: int | None
    contact_via: str
    send_word_docs_as_attmt: bool
    interaction_language_code: str
    subject: str
    line_note: str
    delivery_error: str
    delivered_attachment_no: int | None
    delivered_at: dt.datetime | None
    delivery_file: str
    contact_name: str
    contact_company_name: str


class EntryRecord(EntryRow):
    """An entry as ``interactions list`` and the other lists of entries give it: the
    page's row and whether its letter is attached."""

    letter: LetterState


EntryColumns = dict[str, object]
"""Some columns of an :class:`EntryRecord`, those a caller asked for, by key (a new dict
per entry: the caller's to change)."""


@dataclass(frozen=True)
class EntryFilter:
    """The filters of the Interaction Log Entries page (empty: every entry)."""

    logged_segment: int | None = None
    """Logged Segment Entry No. (set when opened from a logged segment; Clear Filter keeps it)."""
    segment_no: str | None = None
    """Segment No."""
    contact_no: str | None = None
    """Contact No."""
    filters: tuple[ListFilter, ...] = ()
    """The user's filter line, parsed
    (:func:`~segment_tui.services.contacts.filter_line.parse_list_line`
    with :data:`~segment_tui.services.list_filters.ENTRY_FIELDS`)."""
    campaign_entry: int | None = None
    """Campaign Entry No. (set when opened from a campaign entry; Clear Filter keeps it)."""

    def describe(self) -> str:
        """The filter in words, e.g. ``Logged Segment 3, Contact P1, delivery_status=error``
        (blank without one)."""
        parts = []
        if self.logged_segment is not None:
            parts.append(f"Logged Segment {self.logged_segment}")
        if self.segment_no:
            parts.append(f"Segment {self.segment_no}")
        if self.contact_no:
            parts.append(f"Contact {self.contact_no}")
        if self.campaign_entry is not None:
            parts.append(f"Campaign Entry {self.campaign_entry}")
        if self.filters:
            parts.append(describe_list_filters(self.filters))
        return ", ".join(parts)

    def where(self, query: Select) -> Select:
        """``query`` restricted to the filter."""
        entry = InteractionLogEntry
        if self.logged_segment is not None:
            query = query.where(entry.logged_segment_entry_no == self.logged_segment)
        if self.segment_no:
            query = query.where(entry.segment_no == self.segment_no.strip().upper())
        if self.contact_no:
            query = query.where(entry.contact_no == self.contact_no.strip().upper())
        if self.campaign_entry is not None:
            query = query.where(entry.campaign_entry_no == self.campaign_entry)
        condition = list_condition(self.filters)
        if condition is not None:
            query = query.where(condition)
        return query


def _query(view: EntryFilter) -> Select:
    contact = Contact.alias("view_contact")
    company = Contact.alias("view_company")
    query = (
        InteractionLogEntry.select(
            *[getattr(InteractionLogEntry, name) for name in _FIELDS],
            fn.COALESCE(contact.name, "").alias("contact_name"),
            fn.COALESCE(company.name, "").alias("contact_company_name"),
        )
        .join(contact, JOIN.LEFT_OUTER, on=(contact.no == InteractionLogEntry.contact_no))
        .join(company, JOIN.LEFT_OUTER, on=(company.no == InteractionLogEntry.contact_company_no))
    )
    return view.where(query)


def _shown_status(query: Select) -> Select:
    """``query`` (of :func:`_query`) with ``delivery_status`` as shown, and the entry's
    ``letter`` (:func:`~segment_tui.services.interactions.letters.letter_state`) last.

    ``sending`` reads ``unknown`` where no process delivers that logged segment (or that
    entry, when it has none) any more, as
    :func:`~segment_tui.services.delivery.states.show_interrupted_as_unknown` does for a
    page of records — here in SQL, so that streamed records and the JSON the database
    writes show it too (the running deliveries are few and looked up once)."""
    from segment_tui.services.delivery.claim import running_deliveries
    from segment_tui.services.delivery.entry_claim import running_entry_deliveries

    entry = InteractionLogEntry
    sending = entry.delivery_status == "sending"
    running = sorted(running_deliveries())
    running_alone = sorted(running_entry_deliveries())
    if running or running_alone:
        alone = entry.logged_segment_entry_no.is_null() | (entry.logged_segment_entry_no == 0)
        alive_logged = ~alone & entry.logged_segment_entry_no.in_(running or [0])
        alive_alone = alone & entry.entry_no.in_(running_alone or [0])
        sending &= ~(alive_logged | alive_alone)
    shown = Case(None, [(sending, "unknown")], entry.delivery_status).alias("delivery_status")
    letter = Case(
        None,
        [
            (entry.delivered_attachment_no.is_null(False), DELIVERED),
            (entry.attachment_no.is_null(False), DOCUMENT),
        ],
        "",
    ).alias("letter")
    columns = [shown if key == "delivery_status" else column
               for key, column in zip(_KEYS, _selected(query), strict=True)]  # fmt: skip
    return query.select(*columns, letter)


def _selected(query: Any) -> list[Any]:
    return list(query._returning)


def _records(query: Select) -> list[EntryRow]:
    from segment_tui.services.delivery.states import show_interrupted_as_unknown

    # _KEYS are EntryRow's keys, in its order.
    records = cast(list[EntryRow], [dict(zip(_KEYS, row, strict=True)) for row in tuples(query)])
    show_interrupted_as_unknown(records)  # a killed delivery's entries read Unknown
    return records


def entry_count(view: EntryFilter) -> int:
    """How many entries the filter shows."""
    return count_of(view.where(InteractionLogEntry.select()))


def entries_after(view: EntryFilter, entry_no: int | None, limit: int | None) -> list[EntryRow]:
    """Up to ``limit`` entries shown after ``entry_no`` (older ones; from the newest when
    None), newest first."""
    query = _query(view)
    if entry_no is not None:
        query = query.where(InteractionLogEntry.entry_no < entry_no)
    return _records(query.order_by(InteractionLogEntry.entry_no.desc()).limit(limit))


def entries_before(view: EntryFilter, entry_no: int | None, limit: int) -> list[EntryRow]:
    """Up to ``limit`` entries shown before ``entry_no`` (newer ones; from the oldest when
    None), newest first."""
    query = _query(view)
    if entry_no is not None:
        query = query.where(InteractionLogEntry.entry_no > entry_no)
    rows = _records(query.order_by(InteractionLogEntry.entry_no).limit(limit))
    rows.reverse()
    return rows


def entry_key_at(view: EntryFilter, index: int, *, from_end: bool = False) -> int | None:
    """The entry no. at position ``index`` of the display order (counted back from the
    oldest when ``from_end``), or None past the end: reads entry numbers only."""
    entry = InteractionLogEntry
    order = entry.entry_no if from_end else entry.entry_no.desc()
    hit = view.where(entry.select(entry.entry_no)).order_by(order).offset(index).limit(1).scalar()
    return None if hit is None else int(hit)


def entries_present(view: EntryFilter, entry_nos: Collection[int]) -> set[int]:
    """The entry numbers among ``entry_nos`` that exist and the filter shows."""
    entry = InteractionLogEntry
    found: set[int] = set()
    for chunk in chunked(sorted(entry_nos)):
        query = view.where(entry.select(entry.entry_no).where(entry.entry_no.in_(list(chunk))))
        found.update(int(row[0]) for row in tuples(query))
    return found


def entry_index(view: EntryFilter, entry_no: int) -> int | None:
    """The position of ``entry_no`` in the display order, or None when the filter hides it."""
    entry = InteractionLogEntry
    if not view.where(entry.select().where(entry.entry_no == entry_no)).exists():
        return None
    return count_of(view.where(entry.select().where(entry.entry_no > entry_no)))


def _newest_first(limit: int | None, query: Select) -> Select:
    query = query.order_by(InteractionLogEntry.entry_no.desc())
    return query if limit is None else query.limit(limit)


def _counted(
    view: EntryFilter, limit: int | None, progress: Progress | None, batches: Iterator[list[T]]
) -> Iterator[T]:
    total = None
    if progress is not None:
        total = entry_count(view)
        total = total if limit is None else min(total, limit)
    return counted(batches, "entries", total, progress)


@overload
def stream_entries(
    view: EntryFilter,
    *,
    fields: None = None,
    limit: int | None = None,
    progress: Progress | None = None,
    batch: int | None = None,
) -> Iterator[EntryRecord]: ...


@overload
def stream_entries(
    view: EntryFilter,
    *,
    fields: Sequence[str],
    limit: int | None = None,
    progress: Progress | None = None,
    batch: int | None = None,
) -> Iterator[EntryColumns]: ...


def stream_entries(
    view: EntryFilter,
    *,
    fields: Sequence[str] | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
    batch: int | None = None,
) -> Iterator[Mapping[str, object]]:
    """The entries the filter shows, newest first (at most ``limit``; only ``fields`` of
    each when given), fetched a batch at a time from one snapshot of the database: any
    number of entries, one batch held at a time. Reports ``progress("entries", done,
    total)`` after each batch."""
    with read_snapshot():
        query, keys = only(_shown_status(_query(view)), _STREAM_KEYS, fields)
        batches = record_batches(_newest_first(limit, query), keys, batch=batch)
        yield from _counted(view, limit, progress, batches)


def stream_entries_json(
    view: EntryFilter,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    batch: int | None = None,
) -> Iterator[str]:
    """:func:`stream_entries` with each entry as its JSON text, written by the database
    (services/json_rows.py): the same JSON as the entry record; on SQLite 3x faster than
    encoding the records."""
    with read_snapshot():
        query = _shown_status(_query(view))
        query = _newest_first(limit, query.select(json_record(query, _STREAM_KEYS)))
        rows = row_batches(query, convert=False, batch=batch)
        yield from (text for (text,) in _counted(view, limit, progress, rows))


def entry_nos(view: EntryFilter) -> list[int]:
    """Every entry number the filter shows, newest first (e.g. to resend a logged segment)."""
    entry = InteractionLogEntry
    query = view.where(entry.select(entry.entry_no)).order_by(entry.entry_no.desc())
    return [int(row[0]) for row in tuples(query)]


def canceled_count(view: EntryFilter) -> int:
    """How many canceled entries the filter shows (what Delete Canceled Entries removes)."""
    entry = InteractionLogEntry
    return int(view.where(entry.select().where(entry.canceled == True)).count())  # noqa: E712

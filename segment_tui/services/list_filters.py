"""Filter lines for the lists (Interaction Log Entries, Logged Segments): the criteria's
filter language (:mod:`segment_tui.filters`) on the list's own fields.

``contact_no=CT00002* date=..t delivery_status=error canceled=no`` is split by
:func:`segment_tui.services.contacts.filter_line.split_filter_line`, each filter is parsed for its
field (so ``date=..t`` is a date range and ``canceled=no`` a boolean), and the result is a
tuple of :class:`ListFilter` — plain values the UI holds and passes back. Only the
services turn them into SQL (:func:`list_condition`), so a screen never builds a
database expression.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from peewee import ColumnBase, Node, fn

from segment_tui.db import dialect
from segment_tui.filters import FieldKind, FieldSpec, Filter, to_sql
from segment_tui.models import Contact, InteractionLogEntry, LoggedSegment
from segment_tui.models.enums import (
    CORRESPONDENCE_TYPES,
    DELIVERY_STATUSES,
    EVALUATIONS,
    spellings,
)


@dataclass(frozen=True)
class ListField:
    """A field a list can be filtered on."""

    name: str
    """What is typed before ``=``."""
    caption: str
    """BC's caption (shown by F4)."""
    spec: FieldSpec
    column: Callable[[], Node]
    """The filtered expression: a column, or a correlated subquery for computed fields."""
    lookup: str = ""
    """Where F4 finds values: a lookup table, ``option:<field>``, or blank."""


@dataclass(frozen=True)
class ListFilter:
    """One parsed ``field=FILTER`` item of a list's filter line."""

    field: ListField
    filter: Filter

    def __str__(self) -> str:
        return f"{self.field.name}={self.filter.text}"

    def describe(self) -> str:
        """Normalised (codes upper-cased, dates ISO): ``contact_no=CT00002*``."""
        return f"{self.field.name}={self.filter.describe()}"


def _spec(name: str, kind: FieldKind, values: tuple[str, ...] = ()) -> FieldSpec:
    if kind is FieldKind.OPTION:
        return FieldSpec(name, kind, options=spellings(values))
    return FieldSpec(name, kind)


def _field(
    name: str,
    caption: str,
    kind: FieldKind,
    column: Callable[[], Node],
    *,
    values: tuple[str, ...] = (),
    lookup: str = "",
) -> ListField:
    return ListField(name, caption, _spec(name, kind, values), column, lookup)


def _entry(name: str) -> Callable[[], Node]:
    return lambda: getattr(InteractionLogEntry, name)


def _contact_name() -> Node:
    # BC's FlowField Contact Name: the name of the entry's contact (a subquery, so the
    # filter needs no join and keeps the keyset paging on entry_no).
    named = Contact.alias("filter_contact")
    return named.select(named.name).where(named.no == InteractionLogEntry.contact_no)


ENTRY_FIELDS: dict[str, ListField] = {
    f.name: f
    for f in (
        _field("entry_no", "Entry No.", FieldKind.INTEGER, _entry("entry_no")),
        _field("contact_no", "Contact No.", FieldKind.CODE, _entry("contact_no"),
               lookup="contact"),
        _field("contact_name", "Contact Name", FieldKind.TEXT, _contact_name),
        _field("contact_company_no", "Contact Company No.", FieldKind.CODE,
               _entry("contact_company_no"), lookup="contact"),
        _field("date", "Date", FieldKind.DATE, _entry("date")),
        _field("description", "Description", FieldKind.TEXT, _entry("description")),
        _field("segment_no", "Segment No.", FieldKind.CODE, _entry("segment_no"),
               lookup="segment"),
        _field("logged_segment", "Logged Segment Entry No.", FieldKind.INTEGER,
               _entry("logged_segment_entry_no"), lookup="logged_segment"),
        _field("template", "Interaction Template Code", FieldKind.CODE,
               _entry("interaction_template_code"), lookup="interaction_template"),
        _field("campaign_no", "Campaign No.", FieldKind.CODE, _entry("campaign_no"),
               lookup="campaign"),
        _field("salesperson_code", "Salesperson Code", FieldKind.CODE,
               _entry("salesperson_code"), lookup="salesperson"),
        _field("correspondence_type", "Correspondence Type", FieldKind.OPTION,
               _entry("correspondence_type"), values=CORRESPONDENCE_TYPES,
               lookup="option:correspondence_type"),
        _field("delivery_status", "Delivery Status", FieldKind.OPTION,
               _entry("delivery_status"), values=DELIVERY_STATUSES,
               lookup="option:delivery_status"),
        _field("delivery_error", "Delivery Error", FieldKind.TEXT, _entry("delivery_error")),
        _field("evaluation", "Evaluation", FieldKind.OPTION, _entry("evaluation"),
               values=EVALUATIONS, lookup="option:evaluation"),
        _field("canceled", "Canceled", FieldKind.BOOLEAN, _entry("canceled"),
               lookup="option:boolean"),
        _field("attempt_failed", "Attempt Failed", FieldKind.BOOLEAN, _entry("attempt_failed"),
               lookup="option:boolean"),
        _field("cost_lcy", "Cost (LCY)", FieldKind.DECIMAL, _entry("cost_lcy")),
        _field("duration_min", "Duration (Min.)", FieldKind.INTEGER, _entry("duration_min")),
        _field("subject", "Subject", FieldKind.TEXT, _entry("subject")),
        _field("user_id", "User ID", FieldKind.TEXT, _entry("user_id")),
    )
}  # fmt: skip
"""The fields of Interaction Log Entries' filter line."""

ENTRY_ALIASES = {
    "logged_segment_entry_no": "logged_segment",
    "interaction_template_code": "template",
    "status": "delivery_status",
    "contact": "contact_no",
    "segment": "segment_no",
}


def _logged(name: str) -> Callable[[], Node]:
    return lambda: getattr(LoggedSegment, name)


DeliveryState = Literal["sent", "failed", "unknown", "pending"]


def state_condition(entry: Any, state: DeliveryState) -> ColumnBase:
    """The entries (InteractionLogEntry or an alias) of a logged segment in a delivery
    state, in SQL, as :func:`segment_tui.services.delivery.states.counts_of_states` counts
    them. Sending is unknown when no delivery holds the logged segment's claim; a claim
    left behind by a killed process counts as held until the next delivery takes it over."""
    logged = LoggedSegment.alias("claim_logged")
    claimed = logged.select(logged.entry_no).where(
        (logged.entry_no == entry.logged_segment_entry_no) & (logged.delivery_claim != "")
    )
    sending = entry.delivery_status == "sending"
    if state == "sent":
        return entry.delivery_status == "sent"  # type: ignore[no-any-return]
    if state == "failed":
        return entry.delivery_status == "error"  # type: ignore[no-any-return]
    if state == "unknown":
        return (entry.delivery_status == "unknown") | (sending & ~fn.EXISTS(claimed))  # type: ignore[no-any-return]
    return (entry.delivery_status == "in_progress") | (sending & fn.EXISTS(claimed))  # type: ignore[no-any-return]


def _delivery_count(state: DeliveryState) -> Callable[[], Node]:
    """A logged segment's number of entries in a delivery state (a correlated subquery)."""

    def column() -> Node:
        entry = InteractionLogEntry.alias("filter_entry")
        return entry.select(fn.COUNT(entry.entry_no)).where(
            (entry.logged_segment_entry_no == LoggedSegment.entry_no)
            & state_condition(entry, state)
        )

    return column


LOGGED_FIELDS: dict[str, ListField] = {
    f.name: f
    for f in (
        _field("entry_no", "Entry No.", FieldKind.INTEGER, _logged("entry_no")),
        _field("segment_no", "Segment No.", FieldKind.CODE, _logged("segment_no")),
        _field("description", "Description", FieldKind.TEXT, _logged("description")),
        _field("creation_date", "Creation Date", FieldKind.DATE, _logged("creation_date")),
        _field("user_id", "User ID", FieldKind.TEXT, _logged("user_id")),
        _field("canceled", "Canceled", FieldKind.BOOLEAN, _logged("canceled"),
               lookup="option:boolean"),
        _field("sent", "Entries sent", FieldKind.INTEGER, _delivery_count("sent")),
        _field("failed", "Entries failed", FieldKind.INTEGER,
               _delivery_count("failed")),
        _field("unknown", "Entries with unknown delivery", FieldKind.INTEGER,
               _delivery_count("unknown")),
        _field("pending", "Entries queued or sending", FieldKind.INTEGER,
               _delivery_count("pending")),
    )
}  # fmt: skip
"""The fields of Logged Segments' filter line (``failed=>0``: some delivery failed)."""

LOGGED_ALIASES = {"date": "creation_date", "segment": "segment_no"}


def list_condition(filters: Sequence[ListFilter]) -> ColumnBase | None:
    """The filters ANDed as one SQL condition (None without filters: every row)."""
    conditions = [to_sql(f.filter, f.field.column(), dialect=dialect()) for f in filters]
    return _all(conditions) if conditions else None


def _all(conditions: Sequence[ColumnBase]) -> ColumnBase:
    # Halves, not a chain: hundreds of items chained nest past Python's recursion limit.
    if len(conditions) == 1:
        return conditions[0]
    middle = len(conditions) // 2
    return _all(conditions[:middle]) & _all(conditions[middle:])


def describe_list_filters(filters: Sequence[ListFilter]) -> str:
    """``contact_no=CT00002* canceled=No`` — normalised, and can be typed again."""
    return " ".join(item.describe() for item in filters)


def field_rows(fields: Mapping[str, ListField], search: str = "") -> list[tuple[str, str]]:
    """(name, caption) of the fields matching ``search`` (F4 on a filter line)."""
    needle = search.strip().lower()
    return [
        (f.name, f.caption)
        for f in fields.values()
        if not needle or needle in f.name or needle in f.caption.lower()
    ]

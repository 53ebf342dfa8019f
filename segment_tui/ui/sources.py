"""Row sources for the virtual tables: windows of rows read through the services.

A source is called from the table's worker threads (one call at a time), so each call
opens that thread's own connection for its duration.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from segment_tui.db import db
from segment_tui.services import columns as formats
from segment_tui.services.columns import FieldColumn
from segment_tui.services.segments import view as segment_view
from segment_tui.services.segments.columns import criteria_action
from segment_tui.services.segments.view import LineRecord
from segment_tui.ui.widgets import Column, Row, RowKey

Formatter = Callable[[Any], str]

ENUM_COLUMNS = {
    "correspondence_type", "evaluation", "information_flow", "initiated_by", "type",
    "delivery_status", "correspondence_type_default", "default_correspondence_type",
}  # fmt: skip


def columns_of(fields: Iterable[FieldColumn]) -> tuple[Column, ...]:
    """A table's columns from an entity's shared columns (caption, width, alignment and
    format from :mod:`segment_tui.services.columns`), in the order given."""
    columns = []
    for field in fields:
        if field.width <= 0:
            raise ValueError(f"column {field.key!r} has no width in the terminal UI")
        columns.append(Column(field.key, field.caption, field.width, field.align, field.format))
    return tuple(columns)


def format_value(key: str, value: Any) -> str:
    """How a field reads outside a table's columns (the header panel, a status line),
    with the formats the tables use."""
    if key in ENUM_COLUMNS:
        return formats.option(value)
    if key == "added_by_action":
        return criteria_action(value)
    if type(value) is int and (key == "no" or key.endswith("_no")):
        return str(value)  # numbers that identify (No., Entry No.) stay as typed
    return formats.shown(value)


def to_row(record: Mapping[str, Any], columns: Sequence[Column], key: str, style: str = "") -> Row:
    """A table row from a record, each cell in its column's format."""
    return Row(
        record[key],
        tuple(
            c.format(record.get(c.key)) if c.format else format_value(c.key, record.get(c.key))
            for c in columns
        ),
        style,
    )


class LinesSource:
    """The lines of one segment in line-number order (keyset paging on line_no)."""

    def __init__(self, segment_no: str, columns: Sequence[Column]) -> None:
        self.segment_no = segment_no
        self.columns = tuple(columns)

    def _rows(self, records: list[LineRecord]) -> list[Row]:
        return [to_row(r, self.columns, "line_no") for r in records]

    def count(self) -> int:
        """Number of lines."""
        with db.connection_context():
            return segment_view.line_total(self.segment_no)

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        """Lines after the line ``key`` (from the first when None)."""
        with db.connection_context():
            return self._rows(segment_view.lines_after(self.segment_no, _int(key), limit))

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        """Lines before the line ``key`` (the last ones when None)."""
        with db.connection_context():
            return self._rows(segment_view.lines_before(self.segment_no, _int(key), limit))

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        """The line no. at position ``index``."""
        with db.connection_context():
            return segment_view.line_key_at(self.segment_no, index, from_end=from_end)

    def locate(self, key: RowKey) -> int | None:
        """Position of the line ``key``."""
        with db.connection_context():
            return segment_view.line_index(self.segment_no, int(key))

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        """The line nos. among ``keys`` that still exist."""
        with db.connection_context():
            return set(segment_view.lines_present(self.segment_no, {int(k) for k in keys}))


def _int(key: RowKey | None) -> int | None:
    return None if key is None else int(key)

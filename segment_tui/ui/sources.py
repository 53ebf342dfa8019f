"""Row sources for the virtual tables: windows of rows read through the services.

A source is called from the table's worker threads (one call at a time), so each call
opens that thread's own connection for its duration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from segment_tui.db import db
from segment_tui.models.enums import caption
from segment_tui.services.segments import view as segment_view
from segment_tui.services.segments.view import LineRecord
from segment_tui.ui.widgets import Column, Row, RowKey

Formatter = Callable[[Any], str]

ENUM_COLUMNS = {
    "correspondence_type", "evaluation", "information_flow", "initiated_by", "type",
    "delivery_status", "correspondence_type_default", "default_correspondence_type",
}  # fmt: skip


def format_value(key: str, value: Any) -> str:
    """How a field reads in a table cell."""
    if value is None:
        return ""
    if key in ENUM_COLUMNS:
        return caption(str(value))
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)):,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if key == "added_by_action":
        return f"#{value}" if value else ""
    if isinstance(value, int) and not (key == "no" or key.endswith("_no")):
        return f"{value:,}"  # a quantity; numbers that identify (No., Entry No.) stay as typed
    return str(value).replace("\n", " ")


def to_row(record: Mapping[str, Any], columns: Sequence[Column], key: str, style: str = "") -> Row:
    """A table row from a record."""
    return Row(record[key], tuple(format_value(c.key, record.get(c.key)) for c in columns), style)


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

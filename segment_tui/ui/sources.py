"""Row sources for the virtual tables: windows of rows read through the services.

A source is called from the table's worker threads (one call at a time), so each call
opens that thread's own connection for its duration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from segment_tui.db import db
from segment_tui.models.enums import caption
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


def to_row(record: dict[str, Any], columns: Sequence[Column], key: str, style: str = "") -> Row:
    """A table row from a record."""
    return Row(record[key], tuple(format_value(c.key, record.get(c.key)) for c in columns), style)


class LinesSource:
    """The lines of one segment in line-number order (keyset paging on line_no)."""

    def __init__(self, segment_no: str, columns: Sequence[Column]) -> None:
        self.segment_no = segment_no
        self.columns = tuple(columns)

    def _rows(self, records: list[dict[str, Any]]) -> list[Row]:
        return [to_row(r, self.columns, "line_no") for r in records]

    def count(self) -> int:
        from segment_tui.services.criteria import line_count

        with db.connection_context():
            return line_count(self.segment_no)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        from segment_tui.services.segment_view import lines_at

        with db.connection_context():
            return self._rows(lines_at(self.segment_no, offset, limit))

    def fetch_after(self, key: RowKey, limit: int) -> list[Row]:
        from segment_tui.services.segment_view import lines_after

        with db.connection_context():
            return self._rows(lines_after(self.segment_no, int(key), limit))

    def fetch_before(self, key: RowKey, limit: int) -> list[Row]:
        from segment_tui.services.segment_view import lines_before

        with db.connection_context():
            return self._rows(lines_before(self.segment_no, int(key), limit))

    def locate(self, key: RowKey) -> int | None:
        from segment_tui.models import SegmentLine
        from segment_tui.services.segment_view import line_index

        with db.connection_context():
            exists = (
                SegmentLine.select()
                .where(
                    (SegmentLine.segment_no == self.segment_no) & (SegmentLine.line_no == int(key))
                )
                .exists()
            )
            return line_index(self.segment_no, int(key)) if exists else None

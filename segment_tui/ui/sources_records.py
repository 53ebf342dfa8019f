"""A row source over a list of records read at once (statistics, campaign entries,
profile lines): ``count`` reads them all through a service call, the fetches slice the
list. For lists of a few thousand rows at most, or whose computing is the cost anyway
(an aggregate over every interaction log entry)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from segment_tui.db import db
from segment_tui.ui.sources import to_row
from segment_tui.ui.widgets import Column, Row, RowKey

Load = Callable[[], list[dict[str, Any]]]
Style = Callable[[dict[str, Any]], str]


class RecordsSource:
    """Rows of the records ``load`` returns (called in the table's worker thread)."""

    def __init__(
        self, load: Load, columns: Sequence[Column], key: str, style: Style | None = None
    ) -> None:
        self.load = load
        self.columns = tuple(columns)
        self.key = key
        self.style = style
        # (records, rows, index by key), replaced as a whole so readers on the UI thread
        # never see a half-updated list.
        self._data: tuple[list[dict[str, Any]], list[Row], dict[RowKey, int]] = ([], [], {})

    def count(self) -> int:
        """Read the records again; their number."""
        with db.connection_context():
            records = self.load()
        rows = [
            to_row(r, self.columns, self.key, self.style(r) if self.style else "") for r in records
        ]
        self._data = (records, rows, {row.key: i for i, row in enumerate(rows)})
        return len(records)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The records as last read."""
        return self._data[0]

    def record(self, key: RowKey) -> dict[str, Any] | None:
        """The record of row ``key`` as last read."""
        records, _, index = self._data
        position = index.get(key)
        return None if position is None else records[position]

    def fetch(self, offset: int, limit: int) -> list[Row]:
        """Rows ``offset``…"""
        return self._data[1][offset : offset + limit]

    def fetch_after(self, key: RowKey, limit: int) -> list[Row]:
        """Rows below the row ``key``."""
        _, rows, index = self._data
        start = index[key] + 1 if key in index else len(rows)
        return rows[start : start + limit]

    def fetch_before(self, key: RowKey, limit: int) -> list[Row]:
        """Rows above the row ``key``."""
        _, rows, index = self._data
        end = index.get(key, 0)
        return rows[max(0, end - limit) : end]

    def locate(self, key: RowKey) -> int | None:
        """Index of the row ``key``."""
        return self._data[2].get(key)

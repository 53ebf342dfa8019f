"""Row sources of the Interaction Log Entries and Logged Segments screens.

Like :class:`segment_tui.ui.sources.LinesSource`, each call runs in one of the table's
worker threads and opens that thread's own connection for its duration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from segment_tui.db import db
from segment_tui.services import entry_view
from segment_tui.services.entry_view import EntryFilter
from segment_tui.ui.sources import to_row
from segment_tui.ui.widgets import Column, Row, RowKey

CANCELED_STYLE = "dim"
"""Canceled entries and logged segments read dimmed."""


class EntriesSource:
    """Interaction log entries of a filter, newest first (keyset paging on entry_no)."""

    def __init__(self, view: EntryFilter, columns: Sequence[Column]) -> None:
        self.view = view
        """The filter shown."""
        self.columns = tuple(columns)

    def _rows(self, records: list[dict[str, Any]]) -> list[Row]:
        return [
            to_row(r, self.columns, "entry_no", CANCELED_STYLE if r["canceled"] else "")
            for r in records
        ]

    def count(self) -> int:
        """Number of entries the filter shows."""
        with db.connection_context():
            return entry_view.entry_count(self.view)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        """Rows ``offset``… in display order."""
        with db.connection_context():
            return self._rows(entry_view.entries_at(self.view, offset, limit))

    def fetch_after(self, key: RowKey, limit: int) -> list[Row]:
        """Rows shown below the row ``key``."""
        with db.connection_context():
            return self._rows(entry_view.entries_after(self.view, int(key), limit))

    def fetch_before(self, key: RowKey, limit: int) -> list[Row]:
        """Rows shown above the row ``key``."""
        with db.connection_context():
            return self._rows(entry_view.entries_before(self.view, int(key), limit))

    def locate(self, key: RowKey) -> int | None:
        """Index of the entry ``key``, or None when the filter hides it."""
        with db.connection_context():
            return entry_view.entry_index(self.view, int(key))


class LoggedSource:
    """The logged segments, newest first; a few rows, so ``count`` reads them all and the
    fetches slice that list (``record`` hands them to the screen's actions)."""

    def __init__(self, columns: Sequence[Column], filters: Sequence[Any] = ()) -> None:
        self.columns = tuple(columns)
        self.filters = tuple(filters)
        """The parsed filter line (:data:`segment_tui.services.list_filters.LOGGED_FIELDS`)."""
        # (records, rows, index by key), replaced as a whole so readers on the UI thread
        # never see a half-updated list.
        self._data: tuple[list[dict[str, Any]], list[Row], dict[RowKey, int]] = ([], [], {})

    def count(self) -> int:
        """Read the logged segments again; their number."""
        from segment_tui.services.logged_segments import list_logged_segments

        with db.connection_context():
            records = list_logged_segments(self.filters)
        rows = [
            to_row(r, self.columns, "entry_no", CANCELED_STYLE if r["canceled"] else "")
            for r in records
        ]
        self._data = (records, rows, {row.key: i for i, row in enumerate(rows)})
        return len(records)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The logged segments as last read, newest first."""
        return self._data[0]

    def record(self, key: RowKey) -> dict[str, Any] | None:
        """The logged segment ``key`` as last read."""
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
        """Index of the logged segment ``key``."""
        return self._data[2].get(key)

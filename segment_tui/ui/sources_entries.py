"""Row sources of the Interaction Log Entries and Logged Segments screens.

Like :class:`segment_tui.ui.sources.LinesSource`, each call runs in one of the table's
worker threads and opens that thread's own connection for its duration.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from segment_tui.db import db
from segment_tui.services.interactions import entry_view
from segment_tui.services.interactions.entry_view import EntryFilter, EntryRow
from segment_tui.services.list_filters import ListFilter
from segment_tui.ui.sources import to_row
from segment_tui.ui.widgets import Column, Row, RowKey

if TYPE_CHECKING:  # the logged segments' service is imported when the screen first reads
    from segment_tui.services.log.logged_segments import LoggedSegmentRecord

CANCELED_STYLE = "dim"
"""Canceled entries and logged segments read dimmed."""


class EntriesSource:
    """Interaction log entries of a filter, newest first (keyset paging on entry_no)."""

    def __init__(self, view: EntryFilter, columns: Sequence[Column]) -> None:
        self.view = view
        """The filter shown."""
        self.columns = tuple(columns)

    def _rows(self, records: list[EntryRow]) -> list[Row]:
        from segment_tui.services.interactions.letters import letter_state

        return [
            to_row(
                # whether the entry's letter is attached (Show Attachments): the Letter
                # column reads its caption
                {**r, "letter": letter_state(r)},
                self.columns,
                "entry_no",
                CANCELED_STYLE if r["canceled"] else "",
            )
            for r in records
        ]

    def count(self) -> int:
        """Number of entries the filter shows."""
        with db.connection_context():
            return entry_view.entry_count(self.view)

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        """Rows shown below the row ``key`` (from the newest when None)."""
        no = None if key is None else int(key)
        with db.connection_context():
            return self._rows(entry_view.entries_after(self.view, no, limit))

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        """Rows shown above the row ``key`` (the oldest ones when None)."""
        no = None if key is None else int(key)
        with db.connection_context():
            return self._rows(entry_view.entries_before(self.view, no, limit))

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        """The entry no. at position ``index`` of the display order."""
        with db.connection_context():
            return entry_view.entry_key_at(self.view, index, from_end=from_end)

    def locate(self, key: RowKey) -> int | None:
        """Index of the entry ``key``, or None when the filter hides it."""
        with db.connection_context():
            return entry_view.entry_index(self.view, int(key))

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        """The entry numbers among ``keys`` that exist and the filter shows."""
        with db.connection_context():
            return set(entry_view.entries_present(self.view, {int(k) for k in keys}))


class LoggedSource:
    """The logged segments, newest first; a few rows, so a (re)load reads them all (the
    first page or the count, whichever the table asks first) and the other calls slice
    that list (``record`` hands them to the screen's actions)."""

    def __init__(self, columns: Sequence[Column], filters: Sequence[ListFilter] = ()) -> None:
        self.columns = tuple(columns)
        self.filters = tuple(filters)
        """The parsed filter line (:data:`segment_tui.services.list_filters.LOGGED_FIELDS`)."""
        # (records, rows, index by key), replaced as a whole so readers on the UI thread
        # never see a half-updated list.
        self._data: tuple[list[LoggedSegmentRecord], list[Row], dict[RowKey, int]] = ([], [], {})

    def count(self) -> int:
        """Read the logged segments again; their number."""
        self._read()
        return len(self._data[0])

    def _read(self) -> None:
        from segment_tui.services.log.logged_segments import list_logged_segments

        with db.connection_context():
            records = list_logged_segments(self.filters)
        rows = [
            to_row(r, self.columns, "entry_no", CANCELED_STYLE if r["canceled"] else "")
            for r in records
        ]
        self._data = (records, rows, {row.key: i for i, row in enumerate(rows)})

    @property
    def records(self) -> list[LoggedSegmentRecord]:
        """The logged segments as last read, newest first."""
        return self._data[0]

    def record(self, key: RowKey) -> LoggedSegmentRecord | None:
        """The logged segment ``key`` as last read."""
        records, _, index = self._data
        position = index.get(key)
        return None if position is None else records[position]

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        """Rows below the row ``key`` (from the first when None: the list is read again)."""
        if key is None:
            self._read()
        _, rows, index = self._data
        start = 0 if key is None else index[key] + 1 if key in index else len(rows)
        return rows[start : start + limit]

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        """Rows above the row ``key`` (the last ones when None)."""
        _, rows, index = self._data
        end = len(rows) if key is None else index.get(key, 0)
        return rows[max(0, end - limit) : end]

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        """The key at position ``index``."""
        rows = self._data[1]
        position = len(rows) - 1 - index if from_end else index
        return rows[position].key if 0 <= position < len(rows) else None

    def locate(self, key: RowKey) -> int | None:
        """Index of the logged segment ``key``."""
        return self._data[2].get(key)

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        """The keys among ``keys`` read by the last ``count``."""
        index = self._data[2]
        return {key for key in keys if key in index}

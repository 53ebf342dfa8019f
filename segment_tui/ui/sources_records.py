"""A row source over a list of records read at once (statistics, campaign entries,
profile lines): the first call reads them all through a service call, the other calls
slice that list. For lists of a few thousand rows at most, or whose computing is the
cost anyway (an aggregate over every interaction log entry).

A source is a snapshot: it reads once, whichever the table asks first (the first page
or the count), so an aggregate is never computed twice for one load, and scrolling
(Home, End, a jump) never mixes rows of two reads. To read again, give the table
:meth:`RecordsSource.reloaded` (``table.set_source(source.reloaded(),
keep_cursor_key=True)``); ``refresh_rows`` alone would show the same snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Generic, TypeVar

from segment_tui.db import db
from segment_tui.ui.sources import to_row
from segment_tui.ui.widgets import Column, Row, RowKey

R = TypeVar("R", bound=Mapping[str, object])
"""The record type a source lists (a service's TypedDict); its cells are read by the
columns' keys."""


class RecordsSource(Generic[R]):
    """Rows of the records ``load`` returns (called once, in the table's worker thread)."""

    def __init__(
        self,
        load: Callable[[], Sequence[R]],
        columns: Sequence[Column],
        key: str,
        style: Callable[[R], str] | None = None,
    ) -> None:
        self.load = load
        self.columns = tuple(columns)
        self.key = key
        self.style = style
        # (records, rows, index by key), set as a whole so readers on the UI thread never
        # see a half-updated list; None until the first call reads it.
        self._data: tuple[Sequence[R], list[Row], dict[RowKey, int]] | None = None

    def reloaded(self) -> RecordsSource[R]:
        """A new snapshot of the same records (read at its first call)."""
        return RecordsSource(self.load, self.columns, self.key, self.style)

    def _read(self) -> tuple[Sequence[R], list[Row], dict[RowKey, int]]:
        # The table calls its source one call at a time, so no lock is needed here.
        if self._data is None:
            with db.connection_context():
                records = self.load()
            rows = [
                to_row(r, self.columns, self.key, self.style(r) if self.style else "")
                for r in records
            ]
            self._data = (records, rows, {row.key: i for i, row in enumerate(rows)})
        return self._data

    def count(self) -> int:
        """The number of records."""
        return len(self._read()[0])

    @property
    def records(self) -> Sequence[R]:
        """The records as read (none before the first read)."""
        return [] if self._data is None else self._data[0]

    def record(self, key: RowKey) -> R | None:
        """The record of row ``key`` as read."""
        if self._data is None:
            return None
        records, _, index = self._data
        position = index.get(key)
        return None if position is None else records[position]

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        """Rows below the row ``key`` (from the first when None)."""
        _, rows, index = self._read()
        start = 0 if key is None else index[key] + 1 if key in index else len(rows)
        return rows[start : start + limit]

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        """Rows above the row ``key`` (the last ones when None)."""
        _, rows, index = self._read()
        end = len(rows) if key is None else index.get(key, 0)
        return rows[max(0, end - limit) : end]

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        """The key at position ``index`` (counted back from the last when ``from_end``)."""
        rows = self._read()[1]
        position = len(rows) - 1 - index if from_end else index
        return rows[position].key if 0 <= position < len(rows) else None

    def locate(self, key: RowKey) -> int | None:
        """Index of the row ``key``."""
        return self._read()[2].get(key)

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        """The keys among ``keys`` that the records hold."""
        index = self._read()[2]
        return {key for key in keys if key in index}

"""Value types and the data-access protocol behind `VirtualTable`.

The table never holds a whole data set: it asks a `RowSource` for windows of
rows from a thread worker. A source is any object with the five methods below;
it lives outside the UI (a service wraps a query) and is injected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

RowKey = int | str
"""A stable row identity, typically the database primary key."""


@dataclass(frozen=True)
class Column:
    """One column of a `VirtualTable`."""

    key: str
    """Identifies the column in messages (e.g. the model field name)."""
    label: str
    """Header text."""
    width: int
    """Width in terminal cells, excluding the one-cell padding on each side."""
    align: Literal["left", "right"] = "left"
    """Horizontal alignment of header and cells."""


@dataclass(frozen=True)
class Row:
    """One row as the table displays it."""

    key: RowKey
    """Stable id (database primary key)."""
    cells: tuple[str, ...]
    """Already formatted text, one per column."""
    style: str = ""
    """Optional Rich style for the whole row, e.g. `"bold"` or `"dim"`."""


class RowSource(Protocol):
    """Blocking, ordered data access for a `VirtualTable`.

    The table calls a source only from thread workers, one call at a time per
    table (calls are serialised by a lock), but not always from the same
    thread: a SQLite-backed source must open its connection per thread.
    Indexes are 0-based positions in the source's fixed order.
    """

    def count(self) -> int:
        """Return the number of rows."""
        ...

    def fetch(self, offset: int, limit: int) -> list[Row]:
        """Return rows `[offset, offset + limit)` in order."""
        ...

    def fetch_after(self, key: RowKey, limit: int) -> list[Row]:
        """Return up to `limit` rows that follow the row `key`, in order (keyset paging)."""
        ...

    def fetch_before(self, key: RowKey, limit: int) -> list[Row]:
        """Return up to `limit` rows that precede the row `key`, in ascending order."""
        ...

    def locate(self, key: RowKey) -> int | None:
        """Return the index of the row `key`, or `None` when it does not exist."""
        ...

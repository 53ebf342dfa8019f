"""Value types and the data-access protocol behind `VirtualTable`.

The table never holds a whole data set: it asks a `RowSource` for windows of
rows from a thread worker. A source is any object with the five methods below;
it lives outside the UI (a service wraps a query) and is injected.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Literal, Protocol

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
    format: Callable[[Any], str] | None = None
    """How a source turns a record's value into the cell's text (the table itself shows
    rows already formatted); None: by the value's type."""


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

    Rows are read by key (keyset paging), never by offset: the first and the
    last page are `fetch_after(None)` and `fetch_before(None)`, and a jump into
    the middle first asks `key_at` for the key next to the window (a seek that
    reads only the key column, from whichever end is nearer), so the cost of
    any window stays flat in the size of the list.
    """

    def count(self) -> int:
        """Return the number of rows."""
        ...

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        """Return up to `limit` rows that follow the row `key`, in order; the first rows
        when `key` is `None`."""
        ...

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        """Return up to `limit` rows that precede the row `key`, in ascending order; the
        last rows when `key` is `None`."""
        ...

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        """Return the key of the row at `index` (counted back from the last row, which is
        0, when `from_end`), or `None` past the end."""
        ...

    def locate(self, key: RowKey) -> int | None:
        """Return the index of the row `key`, or `None` when it does not exist."""
        ...

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        """Return the keys among `keys` that still exist (to drop marks of gone rows)."""
        ...

"""Messages posted by `VirtualTable` (also reachable as `VirtualTable.CursorMoved` etc.).

They live in their own module to keep the table modules short; the `virtual_table`
namespace gives them the handler names of nested classes, e.g.
`on_virtual_table_cursor_moved`. The `table` they carry is typed as the base
`CursorTable`, which posts most of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from segment_tui.ui.widgets.row_source import RowKey

if TYPE_CHECKING:
    from segment_tui.ui.widgets.cursor_table import CursorTable


class CursorMoved(Message, namespace="virtual_table"):
    """Posted when the cursor moves to another cell, once that row is loaded."""

    def __init__(
        self,
        table: CursorTable,
        row_key: RowKey,
        column_key: str,
        row_index: int,
        column_index: int,
    ) -> None:
        super().__init__()
        self.table = table
        """The table."""
        self.row_key = row_key
        """Key of the cursor row."""
        self.column_key = column_key
        """Key of the cursor column."""
        self.row_index = row_index
        """Index of the cursor row."""
        self.column_index = column_index
        """Index of the cursor column."""

    @property
    def control(self) -> CursorTable:
        """Alias for the table."""
        return self.table


class CellSelected(Message, namespace="virtual_table"):
    """Posted when enter is pressed on a loaded row (or its current cell is clicked)."""

    def __init__(
        self,
        table: CursorTable,
        row_key: RowKey,
        column_key: str,
        row_index: int,
        value: str,
    ) -> None:
        super().__init__()
        self.table = table
        """The table."""
        self.row_key = row_key
        """Key of the selected row."""
        self.column_key = column_key
        """Key of the selected column."""
        self.row_index = row_index
        """Index of the selected row."""
        self.value = value
        """Text of the selected cell."""

    @property
    def control(self) -> CursorTable:
        """Alias for the table."""
        return self.table


class Loaded(Message, namespace="virtual_table"):
    """Posted when `set_source` or `refresh_rows` has counted and shown the rows."""

    def __init__(self, table: CursorTable, row_count: int) -> None:
        super().__init__()
        self.table = table
        """The table."""
        self.row_count = row_count
        """Number of rows in the source."""

    @property
    def control(self) -> CursorTable:
        """Alias for the table."""
        return self.table


class MarksChanged(Message, namespace="virtual_table"):
    """Posted when a row is marked or unmarked (space, or a refresh dropping gone rows)."""

    def __init__(self, table: CursorTable, marked: frozenset[RowKey]) -> None:
        super().__init__()
        self.table = table
        """The table."""
        self.marked = marked
        """Keys of the marked rows."""

    @property
    def control(self) -> CursorTable:
        """Alias for the table."""
        return self.table


class FetchFailed(Message, namespace="virtual_table"):
    """Posted when the source raised; the table keeps running and retries on the next move."""

    def __init__(self, table: CursorTable, error: BaseException) -> None:
        super().__init__()
        self.table = table
        """The table."""
        self.error = error
        """The exception raised by the source."""

    @property
    def control(self) -> CursorTable:
        """Alias for the table."""
        return self.table

"""What the filtered list screens share (Contacts, Logged Segments, Interaction Log
Entries): a header, the filter line, the table, a hint shown when the table is empty, a
status line and the key footer; ``/`` edits the filter line and Esc leaves it before it
leaves the screen.

Each screen describes its parts in a :class:`ListLayout` and keeps its own bindings, so
its keys and the help's order stay its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from segment_tui.ui.screens.filter_bar import FilterBar, FilterHelp
from segment_tui.ui.widgets import Column, VirtualTable
from segment_tui.ui.widgets.key_footer import KeyFooter


@dataclass(frozen=True)
class ListLayout:
    """The parts of one list screen."""

    table_id: str
    """The table's id (``@on(VirtualTable.Loaded, "#id")`` selects by it)."""
    parse: Callable[[str], Any]
    """Parses the filter line (raises the filter language's error on a mistake)."""
    help: FilterHelp
    """F4 on the filter line: the fields, then a field's values."""
    placeholder: str
    """The empty filter line's example."""
    hint: str
    """The keys the filter line's message names while it has no error."""
    empty_hint: bool = True
    """Whether a hint line (``#empty``) says why the table is empty."""


class ListScreen(Screen[None]):
    """A filter line above a virtual table; subclasses set ``LAYOUT`` and the columns."""

    LAYOUT: ClassVar[ListLayout]

    def table_columns(self) -> Sequence[Column]:
        """The columns the table starts with (the screen fits them to the width)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        layout = self.LAYOUT
        yield Header()
        yield FilterBar(
            layout.parse,
            layout.help,
            placeholder=layout.placeholder,
            hint=layout.hint,
            id="filter-bar",
        )
        yield VirtualTable(self.table_columns(), id=layout.table_id, classes="listing")
        if layout.empty_hint:
            empty = Static("", id="empty", classes="hint")
            empty.display = False
            yield empty
        yield Static("", id="status", classes="status")
        yield KeyFooter()

    @property
    def table(self) -> VirtualTable:
        """The list's table."""
        return self.query_one(f"#{self.LAYOUT.table_id}", VirtualTable)

    @property
    def filter_bar(self) -> FilterBar:
        """The filter line and its message."""
        return self.query_one(FilterBar)

    @property
    def filter_input(self) -> Input:
        """The filter line's input."""
        return self.filter_bar.input

    def action_filter(self) -> None:
        """Edit the filter line (/): Enter applies it, F4 lists the fields."""
        self.filter_input.focus()

    def action_close(self) -> None:
        """Leave the filter line, else go back to where the list was opened from."""
        if self.filter_input.has_focus:
            self.table.focus()
        else:
            self.dismiss(None)

    def show_status(self, text: str) -> None:
        """Put ``text`` on the status line."""
        self.query_one("#status", Static).update(text)

    def show_empty(self, text: str, row_count: int) -> None:
        """Say ``text`` on the hint line while the table has no rows."""
        empty = self.query_one("#empty", Static)
        empty.update(text)
        empty.display = not row_count

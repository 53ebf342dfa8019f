"""`CursorTable`: the keyboard, cursor, marks and drawing of `VirtualTable`.

A Line-API `ScrollView` one header line plus one line per row tall; it draws the
rows `get_row_at` returns (a dim `…` for a row not read yet) and moves a cell
cursor over them. Where rows come from is the subclass's business
(`VirtualTable` reads them from a `RowSource`); it is told through
`_rows_wanted` whenever the view or the cursor moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeAlias

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from segment_tui.ui.widgets.row_source import Column, Row, RowKey
from segment_tui.ui.widgets.table_messages import (
    CellSelected,
    CursorMoved,
    FetchFailed,
    Loaded,
    MarksChanged,
)
from segment_tui.ui.widgets.table_render import (
    COMPONENT_CLASSES,
    CURSOR_GLYPH,
    ELLIPSIS,
    GUTTER_WIDTH,
    MARK_GLYPH,
    TABLE_CSS,
    assemble_line,
    column_offsets,
    parse_row_style,
    render_cells,
)


class CursorTable(ScrollView, can_focus=True):
    """A table of rows by index with a cell cursor (whole row highlighted) and marks.

    Rows can be marked (space) to act on several rows at once (`marked`).
    """

    ALLOW_SELECT = False

    HELP = """
## Table

- **↑ ↓ ← →** move the cursor; **PgUp / PgDn** move one screen.
- **Home / End** go to the first / last row; **Ctrl+Home / Ctrl+End** to the first / last cell.
- **Space** marks or unmarks the row (`●` in the left gutter); **Enter** selects the cell.
- Rows are read from the database as you move: `…` marks a row still loading.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False, id="virtual-table.cursor-up"),
        Binding("down", "cursor_down", "Cursor down", show=False, id="virtual-table.cursor-down"),
        Binding("left", "cursor_left", "Cursor left", show=False, id="virtual-table.cursor-left"),
        Binding(
            "right", "cursor_right", "Cursor right", show=False, id="virtual-table.cursor-right"
        ),
        Binding("pageup", "page_up", "Page up", show=False, id="virtual-table.page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="virtual-table.page-down"),
        Binding("home", "first_row", "First row", show=False, id="virtual-table.first-row"),
        Binding("end", "last_row", "Last row", show=False, id="virtual-table.last-row"),
        Binding("ctrl+home", "first_cell", "First cell", show=False, id="virtual-table.first-cell"),
        Binding("ctrl+end", "last_cell", "Last cell", show=False, id="virtual-table.last-cell"),
        Binding("enter", "select_cell", "Select", show=False, id="virtual-table.select"),
        Binding("space", "toggle_mark", "Mark", show=False, id="virtual-table.toggle-mark"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up / down | Move the cursor one row. |
    | left / right | Move the cursor one column. |
    | pageup / pagedown | Move the cursor and the view one screen. |
    | home / end | Go to the first / last row (same column). |
    | ctrl+home / ctrl+end | Go to the first cell of the first row / last cell of the last row. |
    | enter | Select the cell under the cursor (posts `CellSelected`). |
    | space | Mark or unmark the cursor row (posts `MarksChanged`). |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = COMPONENT_CLASSES
    """The component classes (see `table_render.COMPONENT_CLASSES`)."""

    DEFAULT_CSS = TABLE_CSS

    cursor_row: Reactive[int] = Reactive(0, repaint=False, init=False)
    """Index of the cursor row (0-based, in source order)."""
    cursor_column: Reactive[int] = Reactive(0, repaint=False, init=False)
    """Index of the cursor column."""

    CursorMoved: TypeAlias = CursorMoved
    CellSelected: TypeAlias = CellSelected
    Loaded: TypeAlias = Loaded
    MarksChanged: TypeAlias = MarksChanged
    FetchFailed: TypeAlias = FetchFailed

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a table.

        Args:
            columns: The columns, in display order.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._columns = tuple(columns)
        self._offsets = column_offsets(self._columns)
        self._last_cursor: tuple[int, RowKey, int] | None = None
        self.marked: set[RowKey] = set()
        """Keys of the rows marked with space (edit it freely, then call `refresh()`)."""

    # -- rows (the subclass provides them) -------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of rows."""
        return 0

    def get_row_at(self, index: int) -> Row | None:
        """Return the row at `index` if it is at hand, else `None` (never reads)."""
        return None

    def _rows_wanted(self) -> None:
        """The view or the cursor moved: rows around it may be needed."""

    # -- public API ---------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns, in display order."""
        return self._columns

    @property
    def cursor_key(self) -> RowKey | None:
        """Key of the cursor row, or `None` when it is not loaded (yet)."""
        row = self.get_row_at(self.cursor_row)
        return None if row is None else row.key

    @property
    def cursor_cells(self) -> tuple[str, ...] | None:
        """Cells of the cursor row, or `None` when it is not loaded (yet)."""
        row = self.get_row_at(self.cursor_row)
        return None if row is None else row.cells

    def move_cursor(self, *, row: int | None = None, column: int | None = None) -> None:
        """Move the cursor (clamped) and scroll just enough to show it."""
        if column is not None:
            self.cursor_column = column
        if row is not None:
            self.cursor_row = row

    def go_to_index(self, index: int) -> None:
        """Put the cursor on row `index`, centring it when it is off screen."""
        if self.row_count == 0:
            return
        index = max(0, min(index, self.row_count - 1))
        top, visible = self.scroll_offset.y, self._visible_rows()
        if visible > 0 and not top <= index < top + visible:
            self.scroll_to(y=max(0, index - visible // 2), animate=False, force=True)
        self.cursor_row = index
        self._post_cursor_moved()

    # -- geometry -----------------------------------------------------------------------------

    def _visible_rows(self) -> int:
        """Number of data rows the viewport shows (the header takes one line)."""
        return max(0, self.scrollable_content_region.height - 1)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(GUTTER_WIDTH + self._offsets[-1], self.row_count + 1)

    def _on_resize(self, event: events.Resize) -> None:
        self._rows_wanted()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._rows_wanted()

    # -- cursor -------------------------------------------------------------------------------

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1))

    def validate_cursor_column(self, value: int) -> int:
        return max(0, min(value, len(self._columns) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_row_into_view(new)
        self._rows_wanted()
        self._post_cursor_moved()

    def watch_cursor_column(self, old: int, new: int) -> None:
        self._refresh_row(self.cursor_row)
        self.refresh(Region(0, 0, self.size.width, 1))
        self._scroll_column_into_view(new)
        self._post_cursor_moved()

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)

    def _scroll_row_into_view(self, index: int) -> None:
        visible = self._visible_rows()
        top = self.scroll_offset.y
        if visible <= 0 or top <= index < top + visible:
            return
        new_top = index if index < top else index - visible + 1
        self.scroll_to(y=new_top, animate=False, force=True)

    def _scroll_column_into_view(self, column: int) -> None:
        visible = self.scrollable_content_region.width - GUTTER_WIDTH
        if visible <= 0 or not self._columns:
            return
        left, right = self._offsets[column], self._offsets[column + 1]
        scroll_x = self.scroll_offset.x
        if left < scroll_x:
            self.scroll_to(x=left, animate=False, force=True)
        elif right > scroll_x + visible:
            self.scroll_to(x=min(left, right - visible), animate=False, force=True)

    def _post_cursor_moved(self) -> None:
        """Post `CursorMoved` when the cursor cell changed and its row is loaded."""
        row = self.get_row_at(self.cursor_row)
        if row is None or not self._columns:
            return
        state = (self.cursor_row, row.key, self.cursor_column)
        if state != self._last_cursor:
            self._last_cursor = state
            column = self._columns[self.cursor_column]
            self.post_message(
                self.CursorMoved(self, row.key, column.key, self.cursor_row, self.cursor_column)
            )

    # -- actions ------------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        """Move the cursor up one row."""
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        """Move the cursor down one row."""
        self.cursor_row += 1

    def action_cursor_left(self) -> None:
        """Move the cursor left one column."""
        self.cursor_column -= 1

    def action_cursor_right(self) -> None:
        """Move the cursor right one column."""
        self.cursor_column += 1

    def action_page_down(self) -> None:
        """Move the cursor and the view one screen down."""
        page = max(1, self._visible_rows())
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, force=True)
        self.cursor_row += page

    def action_page_up(self) -> None:
        """Move the cursor and the view one screen up."""
        page = max(1, self._visible_rows())
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False, force=True)
        self.cursor_row -= page

    def action_first_row(self) -> None:
        """Go to the first row."""
        self.cursor_row = 0

    def action_last_row(self) -> None:
        """Go to the last row."""
        self.cursor_row = self.row_count - 1

    def action_first_cell(self) -> None:
        """Go to the first column of the first row."""
        self.move_cursor(row=0, column=0)

    def action_last_cell(self) -> None:
        """Go to the last column of the last row."""
        self.move_cursor(row=self.row_count - 1, column=len(self._columns) - 1)

    def action_select_cell(self) -> None:
        """Post `CellSelected` for the cursor cell (ignored while the row is loading)."""
        row = self.get_row_at(self.cursor_row)
        if row is None or not self._columns:
            return
        column = self.cursor_column
        value = row.cells[column] if column < len(row.cells) else ""
        self.post_message(
            self.CellSelected(self, row.key, self._columns[column].key, self.cursor_row, value)
        )

    def action_toggle_mark(self) -> None:
        """Mark or unmark the cursor row."""
        key = self.cursor_key
        if key is None:
            return
        self.marked.symmetric_difference_update({key})
        self._refresh_row(self.cursor_row)
        self.post_message(self.MarksChanged(self, frozenset(self.marked)))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = self.scroll_offset.y + offset.y - 1
        if index >= self.row_count:
            return
        column = self.cursor_column
        if offset.x >= GUTTER_WIDTH:
            x = offset.x - GUTTER_WIDTH + self.scroll_offset.x
            column = next(
                (i for i in range(len(self._columns)) if x < self._offsets[i + 1]), column
            )
        again = (index, column) == (self.cursor_row, self.cursor_column)
        self.move_cursor(row=index, column=column)
        if again:
            self.action_select_cell()
        event.stop()

    # -- rendering ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        get_style = self.get_component_rich_style
        if y == 0:
            header = get_style("virtual-table--header")
            body = render_cells(
                self._columns,
                [column.label for column in self._columns],
                header,
                self.cursor_column,
                get_style("virtual-table--header-cursor"),
            )
            return assemble_line(
                " " * GUTTER_WIDTH, header, body, self._offsets[-1], scroll_x, width, header
            )
        index = scroll_y + y - 1
        if index >= self.row_count:
            return Strip.blank(width, base)
        row = self.get_row_at(index)
        is_cursor = index == self.cursor_row
        marked = row is not None and row.key in self.marked
        style = base
        if marked:
            style += get_style("virtual-table--marked")
        if is_cursor:
            style += get_style("virtual-table--cursor-row")
        gutter = (CURSOR_GLYPH if is_cursor else " ") + (MARK_GLYPH if marked else " ")
        if row is None:
            texts: Sequence[str] = (ELLIPSIS,)
            cell_style = style + get_style("virtual-table--placeholder")
        else:
            texts = row.cells
            cell_style = style + parse_row_style(row.style) if row.style else style
        cursor_style = cell_style + get_style("virtual-table--cursor")
        body = render_cells(
            self._columns,
            texts,
            cell_style,
            self.cursor_column if is_cursor else -1,
            cursor_style,
        )
        return assemble_line(gutter, style, body, self._offsets[-1], scroll_x, width, style)

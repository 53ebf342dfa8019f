"""`VirtualTable`: a keyboard-first table over a window of a large, database-backed list.

Textual's `DataTable` measures every cell of every row on the UI thread, which
freezes the app for ~14 s at 100,000 rows. `VirtualTable` is a Line-API
`ScrollView` whose virtual height is the row count reported by a `RowSource`;
it keeps a bounded `RowCache` of rows around the view, renders a dim `…`
placeholder for rows not fetched yet, and fetches them in a thread worker.
Opening 100,000 rows therefore costs one `count()` plus one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeAlias

from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import WorkerCancelled, WorkerFailed

from segment_tui.ui.widgets.row_loader import RowLoader, RowsFetched, WindowLoaded
from segment_tui.ui.widgets.row_source import Column, Row, RowKey, RowSource
from segment_tui.ui.widgets.table_messages import (
    CellSelected,
    CursorMoved,
    FetchFailed,
    Loaded,
    MarksChanged,
)
from segment_tui.ui.widgets.table_render import (
    CURSOR_GLYPH,
    ELLIPSIS,
    GUTTER_WIDTH,
    MARK_GLYPH,
    assemble_line,
    column_offsets,
    parse_row_style,
    render_cells,
)


class VirtualTable(ScrollView, can_focus=True):
    """A table that shows a window of rows read on demand from a `RowSource`.

    The cursor is a cell cursor whose whole row is highlighted; rows can be
    marked (space) to act on several rows at once (`marked`).
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

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--header-cursor",
        "virtual-table--cursor",
        "virtual-table--cursor-row",
        "virtual-table--marked",
        "virtual-table--placeholder",
    }
    """
    | Class | Description |
    | :- | :- |
    | `virtual-table--header` | The fixed header row. |
    | `virtual-table--header-cursor` | The header cell of the cursor column. |
    | `virtual-table--cursor` | The cell under the cursor. |
    | `virtual-table--cursor-row` | The rest of the cursor row. |
    | `virtual-table--marked` | Marked rows. |
    | `virtual-table--placeholder` | Rows not fetched yet (rendered as `…`). |
    """

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--header-cursor {
            background: $primary 40%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .virtual-table--cursor-row {
            background: $foreground 8%;
        }
        & > .virtual-table--marked {
            background: $accent 20%;
        }
        & > .virtual-table--placeholder {
            color: $text-muted;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--cursor-row {
                background: $primary 20%;
            }
        }
    }
    """

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
        source: RowSource | None = None,
        *,
        page_size: int = 200,
        max_cached_rows: int = 5000,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a table.

        Args:
            columns: The columns, in display order.
            source: Where rows come from; loaded on mount (or later with `set_source`).
            page_size: Rows read per fetch (raised to three screens on tall terminals).
            max_cached_rows: Bound of the row cache (at least four pages).
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._columns = tuple(columns)
        self._offsets = column_offsets(self._columns)
        self._loader = RowLoader(self, page_size=page_size, max_rows=max_cached_rows)
        self._loader.source = source
        self._last_cursor: tuple[int, RowKey, int] | None = None
        self.marked: set[RowKey] = set()
        """Keys of the rows marked with space (edit it freely, then call `refresh()`)."""

    # -- public API ---------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns, in display order."""
        return self._columns

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show the same columns with other widths (e.g. fitted to a resized terminal);
        rows hold formatted text, so nothing is read again."""
        self._columns = tuple(columns)
        self._offsets = column_offsets(self._columns)
        self._update_virtual_size()
        self.refresh()

    @property
    def source(self) -> RowSource | None:
        """The current row source."""
        return self._loader.source

    @property
    def row_count(self) -> int:
        """Number of rows in the source (0 until loaded)."""
        return self._loader.row_count

    @property
    def is_loading(self) -> bool:
        """True while `set_source`/`refresh_rows` is counting and reading the first window."""
        return self._loader.loading

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

    def get_row_at(self, index: int) -> Row | None:
        """Return the row at `index` if it is cached, else `None` (never fetches)."""
        return self._loader.cache.get(index) if 0 <= index < self.row_count else None

    def set_source(self, source: RowSource, *, keep_cursor_key: bool = False) -> None:
        """Show another source: count it and read its first window in a worker.

        Args:
            source: The new source.
            keep_cursor_key: Keep the cursor (and marks) on the same keys, e.g. after
                re-sorting or re-filtering; otherwise start at the top with no marks.
        """
        self._loader.source = source
        if keep_cursor_key:
            if self.is_mounted:
                self._reload(self.cursor_key, frozenset(self.marked))
            return
        self._loader.reset()
        self.marked.clear()
        self._last_cursor = None
        self.set_reactive(VirtualTable.cursor_row, 0)
        if self.is_mounted:
            self._update_virtual_size()
            self.scroll_to(0, 0, animate=False, force=True)
            self.refresh()
            self._reload(None, frozenset())

    def refresh_rows(self) -> None:
        """Re-read after the data changed (edit, insert, delete).

        Re-counts, drops the cache and re-reads the visible window; the cursor stays
        on the same key when it still exists (else on the same index, clamped), and
        marks of rows that no longer exist are dropped. The old rows stay on screen
        until the new ones arrive.
        """
        if self._loader.source is not None and self.is_mounted:
            self._reload(self.cursor_key, frozenset(self.marked))

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

    async def go_to_key(self, key: RowKey) -> bool:
        """Put the cursor on the row `key` (asks the source where it is if not cached).

        Returns:
            `True` if the row exists.
        """
        index = self._loader.cache.index_of(key)
        source = self._loader.source
        if index is None and source is not None:
            try:
                index = await self._loader.locate(key).wait()
            except (WorkerFailed, WorkerCancelled) as error:
                cause = error.error if isinstance(error, WorkerFailed) else error
                self.post_message(self.FetchFailed(self, cause))
                return False
            if source is not self._loader.source:
                return False
        if index is None:
            return False
        self.go_to_index(index)
        return True

    # -- loading ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._update_virtual_size()
        if self._loader.source is not None and not self._loader.loading:
            self._reload(None, frozenset())

    def _reload(self, keep_key: RowKey | None, marks: frozenset[RowKey]) -> None:
        """Start the (re)load worker: count, locate `keep_key`, read the window around it."""
        visible = self._visible_rows()
        offset = max(0, min(self.cursor_row - self.scroll_offset.y, visible - 1))
        self._loader.reload(keep_key, self.cursor_row, offset, visible, self._page(), marks)

    @on(WindowLoaded)
    def _on_window_loaded(self, message: WindowLoaded) -> None:
        if not self._loader.accept_loaded(message):
            return
        if message.error is not None:
            self.post_message(self.FetchFailed(self, message.error))
            return
        if gone := message.gone_marks & self.marked:
            self.marked -= gone
            self.post_message(self.MarksChanged(self, frozenset(self.marked)))
        self._last_cursor = None
        self._update_virtual_size()
        self.scroll_to(y=message.top, animate=False, force=True)
        self.cursor_row = message.cursor
        self.refresh()
        self._post_cursor_moved()
        self.post_message(self.Loaded(self, message.count))
        self._request_rows()

    def _visible_rows(self) -> int:
        """Number of data rows the viewport shows (the header takes one line)."""
        return max(0, self.scrollable_content_region.height - 1)

    def _page(self) -> int:
        """Rows to read per fetch: the page size, or three screens if larger."""
        return max(self._loader.page_size, 3 * self._visible_rows())

    def _request_rows(self) -> None:
        """The view or cursor moved: fetch what is missing (retrying after an error)."""
        self._loader.resume()
        self._fetch_missing()

    def _fetch_missing(self) -> None:
        """Fetch the visible rows first, then one screen below, then one above."""
        visible = max(1, self._visible_rows())
        top = self.scroll_offset.y
        ranges = [(top, top + visible), (top + visible, top + 2 * visible), (top - visible, top)]
        self._loader.fetch_missing(ranges, self._page())

    @on(RowsFetched)
    def _on_rows_fetched(self, message: RowsFetched) -> None:
        center = self.scroll_offset.y + self._visible_rows() // 2
        outcome = self._loader.accept_fetched(message, center)
        if outcome == "error":
            assert message.error is not None
            self.post_message(self.FetchFailed(self, message.error))
            return
        if outcome == "rows":
            self.refresh()
            self._post_cursor_moved()
        self._fetch_missing()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(GUTTER_WIDTH + self._offsets[-1], self.row_count + 1)

    def _on_resize(self, event: events.Resize) -> None:
        self._request_rows()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._request_rows()

    # -- cursor -------------------------------------------------------------------------------

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1))

    def validate_cursor_column(self, value: int) -> int:
        return max(0, min(value, len(self._columns) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_row_into_view(new)
        self._request_rows()
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
        row = self._loader.cache.get(index)
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

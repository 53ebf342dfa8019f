"""`VirtualTable`: a keyboard-first table over a window of a large, database-backed list.

Textual's `DataTable` measures every cell of every row on the UI thread, which
freezes the app for ~14 s at 100,000 rows. `VirtualTable` is a `CursorTable`
(a Line-API `ScrollView`) whose virtual height is the row count reported by a
`RowSource`; it keeps a bounded `RowCache` of rows around the view, renders a
dim `…` placeholder for rows not fetched yet, and fetches them in a thread
worker with keyset reads only. Opening, Home, End and a jump to a row cost one
`count()` or `locate()` plus one page, whatever the size of the list.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.worker import WorkerCancelled, WorkerFailed

from segment_tui.ui.widgets.cursor_table import CursorTable
from segment_tui.ui.widgets.row_loader import FirstRows, RowLoader, RowsFetched, WindowLoaded
from segment_tui.ui.widgets.row_source import Column, Row, RowKey, RowSource
from segment_tui.ui.widgets.table_render import column_offsets


class VirtualTable(CursorTable):
    """A table that shows a window of rows read on demand from a `RowSource`.

    The cursor is a cell cursor whose whole row is highlighted; rows can be
    marked (space) to act on several rows at once (`marked`).
    """

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
        super().__init__(columns, name=name, id=id, classes=classes, disabled=disabled)
        self._loader = RowLoader(self, page_size=page_size, max_rows=max_cached_rows)
        self._loader.source = source
        self._end_pending: int | None = None
        """End pressed on the first page while the rows were being counted: the row it
        reached then (the cursor goes on to the real last row once counted)."""

    # -- public API ---------------------------------------------------------------------------

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

    async def go_to_key(self, key: RowKey) -> bool:
        """Put the cursor on the row `key`: when it is not cached, ask the source where
        it is and read the window around it (keyset reads) in a worker.

        Returns:
            `True` if the row exists.
        """
        index = self._loader.cache.index_of(key)
        if index is None and self._loader.source is not None:
            try:
                located = await self._loader.locate(key, self._page()).wait()
            except (WorkerFailed, WorkerCancelled) as error:
                cause = error.error if isinstance(error, WorkerFailed) else error
                self.post_message(self.FetchFailed(self, cause))
                return False
            if located is None or not self._loader.accept_located(located, located.index):
                return False
            index = located.index
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
        if not message.shown:
            self.scroll_to(y=message.top, animate=False, force=True)
            self.cursor_row = message.cursor
        elif self._end_pending is not None and self.cursor_row == self._end_pending:
            self.cursor_row = self.row_count - 1
        self._end_pending = None
        self.refresh()
        self._post_cursor_moved()
        self.post_message(self.Loaded(self, message.count))
        self._rows_wanted()

    def action_last_row(self) -> None:
        """Go to the last row (once counted, when End comes before the count)."""
        super().action_last_row()
        if self.is_loading:
            self._end_pending = self.cursor_row

    @on(FirstRows)
    def _on_first_rows(self, message: FirstRows) -> None:
        if not self._loader.accept_first(message):
            return
        self._update_virtual_size()
        self.refresh()
        self._post_cursor_moved()

    def _page(self) -> int:
        """Rows to read per fetch: the page size, or three screens if larger."""
        return max(self._loader.page_size, 3 * self._visible_rows())

    def _rows_wanted(self) -> None:
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

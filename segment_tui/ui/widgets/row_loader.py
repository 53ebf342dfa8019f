"""The load/fetch machinery of `VirtualTable`: source calls in thread workers.

`RowLoader` owns the row cache and runs every `RowSource` call in a thread
worker of its owner widget; results come back as (non-bubbling) messages that
the widget hands to `accept_loaded`/`accept_fetched` on the UI thread.

Rules it enforces:

- at most one fetch in flight; when it lands the widget asks again, so bursts of
  scrolling coalesce into fetches for wherever the view is *now*;
- a generation number, bumped by every (re)load, discards results that were
  started against an older count or cache;
- no fetch while a (re)load runs (its indexes would be stale);
- after an error, or a fetch that did not fill the gap it was planned for (the
  source returned fewer rows than its count), fetching pauses until the next
  user move instead of looping;
- source calls are serialised by a lock, so a source is never called
  concurrently (but may be called from different threads);
- every read is a keyset read (see `row_cache`): a (re)load reads the window
  around the kept cursor row by its key, `locate` reads the window around the
  row it found, so no read costs more at the end of a million rows than at
  the start.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker

from segment_tui.ui.widgets.row_cache import (
    FetchPlan,
    RowCache,
    read_around,
    read_window,
    run_plan,
)
from segment_tui.ui.widgets.row_source import Row, RowKey, RowSource


class RowsFetched(Message, bubble=False):
    """A fetch worker finished (rows, or the error the source raised)."""

    def __init__(
        self,
        generation: int,
        token: int,
        plan: FetchPlan,
        start: int,
        rows: list[Row],
        error: Exception | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.token = token
        self.plan = plan
        self.start = start
        self.rows = rows
        self.error = error


class WindowLoaded(Message, bubble=False):
    """The (re)load worker finished: count, first window and where the cursor goes."""

    def __init__(
        self,
        generation: int,
        count: int = 0,
        start: int = 0,
        rows: list[Row] | None = None,
        cursor: int = 0,
        top: int = 0,
        gone_marks: frozenset[RowKey] = frozenset(),
        error: Exception | None = None,
        *,
        shown: bool = False,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.count = count
        """Rows in the source."""
        self.start = start
        """Index of `rows[0]`."""
        self.rows = rows or []
        self.cursor = cursor
        """Index for the cursor (the kept key's new index, or the old index clamped)."""
        self.top = top
        """Index of the first row to show."""
        self.gone_marks = gone_marks
        """Marked keys that no longer exist."""
        self.error = error
        self.shown = shown
        """The rows were shown already (`FirstRows`): keep where the user moved since."""


class FirstRows(Message, bubble=False):
    """The first page of a (re)load at the top, before the rows are counted."""

    def __init__(self, generation: int, rows: list[Row]) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows


@dataclass(frozen=True)
class Located:
    """What `RowLoader.locate` found: the row's index and the window read around it."""

    generation: int
    index: int
    start: int
    rows: list[Row]


class RowLoader:
    """Cache plus the single-flight load/fetch state machine of one table."""

    def __init__(self, owner: Widget, *, page_size: int, max_rows: int) -> None:
        """Create a loader.

        Args:
            owner: The widget that runs the workers and receives the messages.
            page_size: Minimum rows read per fetch.
            max_rows: Bound of the row cache.
        """
        self.owner = owner
        self.page_size = max(1, page_size)
        self.cache = RowCache(max(max_rows, 4 * self.page_size))
        self.source: RowSource | None = None
        self.row_count = 0
        """Rows in the source as of the last (re)load."""
        self.loading = False
        """True while a (re)load worker runs."""
        self._generation = 0
        self._token = 0
        self._in_flight: int | None = None
        self._paused = False
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget the rows and discard every result still on its way."""
        self._generation += 1
        self._in_flight = None
        self.cache.clear()
        self.row_count = 0
        self.loading = False

    # -- (re)load ---------------------------------------------------------------------------

    def reload(
        self,
        keep_key: RowKey | None,
        fallback: int,
        screen_offset: int,
        visible: int,
        page: int,
        marks: frozenset[RowKey],
    ) -> None:
        """Count the source and read the window around the cursor, in a worker.

        Args:
            keep_key: Key the cursor should stay on, if any.
            fallback: Cursor index to use (clamped) when `keep_key` is gone or `None`.
            screen_offset: Lines between the top of the view and the cursor, to keep.
            visible: Data rows the view shows.
            page: Rows to read.
            marks: Marked keys to check for existence.
        """
        if self.source is None:
            return
        self._generation += 1
        self._in_flight = None
        self.loading = True
        work = partial(
            self._load,
            self.source,
            self._generation,
            keep_key,
            fallback,
            screen_offset,
            max(1, visible),
            page,
            marks,
        )
        self.owner.run_worker(
            work, thread=True, exclusive=True, group="virtual-table-load", exit_on_error=False
        )

    def _load(
        self,
        source: RowSource,
        generation: int,
        keep_key: RowKey | None,
        fallback: int,
        screen_offset: int,
        visible: int,
        page: int,
        marks: frozenset[RowKey],
    ) -> None:
        """Thread: count, find the cursor row, read the window around it.

        Opening at the top reads the first page before counting and shows it at once
        (`FirstRows`): counting a million rows takes longer than reading a page, and a
        page shorter than asked for is the whole list, with no count at all.
        """
        try:
            with self._lock:
                if keep_key is None and fallback == 0:
                    first = source.fetch_after(None, page)
                    gone = frozenset(marks - source.present(marks)) if marks else frozenset()
                    if len(first) < page:
                        message = WindowLoaded(generation, len(first), 0, first, 0, 0, gone)
                        self.owner.post_message(message)
                        return
                    self.owner.post_message(FirstRows(generation, first))
                    count = source.count()
                    message = WindowLoaded(generation, count, 0, first, 0, 0, gone, shown=True)
                    self.owner.post_message(message)
                    return
                count = source.count()
                found = source.locate(keep_key) if keep_key is not None else None
                cursor = max(0, min(fallback if found is None else found, count - 1))
                top = max(0, min(cursor - screen_offset, count - visible))
                if found is not None and keep_key is not None:
                    start, rows = read_around(source, keep_key, found, page)
                else:
                    start, rows = read_window(source, count, top - (page - visible) // 2, page)
                gone = frozenset(marks - source.present(marks)) if marks else frozenset()
        except Exception as error:
            self.owner.post_message(WindowLoaded(generation, error=error))
            return
        self.owner.post_message(WindowLoaded(generation, count, start, rows, cursor, top, gone))

    def accept_first(self, message: FirstRows) -> bool:
        """Show the first page while the count runs (the row count is the page's length
        until then); `False` if it is stale."""
        if message.generation != self._generation or not self.loading:
            return False
        self.row_count = len(message.rows)
        self.cache.clear()
        self.cache.put(0, message.rows, center=0)
        return True

    def accept_loaded(self, message: WindowLoaded) -> bool:
        """Apply a load result; `False` if it is stale (ignore it)."""
        if message.generation != self._generation:
            return False
        self.loading = False
        if message.error is None:
            self.row_count = message.count
            self.cache.clear()
            self.cache.put(message.start, message.rows, center=message.top)
        return True

    # -- fetch -------------------------------------------------------------------------------

    def resume(self) -> None:
        """Allow fetching again after an error or a short read (on a user move)."""
        self._paused = False

    def fetch_missing(self, ranges: Iterable[tuple[int, int]], page: int) -> None:
        """Start a fetch for the first gap in `ranges` unless one is running or paused."""
        source = self.source
        if source is None or self.loading or self._paused or self._in_flight is not None:
            return
        plan = self.cache.plan(ranges, self.row_count, page)
        if plan is None:
            return
        self._token += 1
        self._in_flight = self._token
        work = partial(self._fetch, source, plan, self._generation, self._token)
        self.owner.run_worker(work, thread=True, group="virtual-table-fetch", exit_on_error=False)

    def _fetch(self, source: RowSource, plan: FetchPlan, generation: int, token: int) -> None:
        """Thread: run one fetch."""
        try:
            with self._lock:
                start, rows = run_plan(source, plan)
        except Exception as error:
            self.owner.post_message(RowsFetched(generation, token, plan, plan.index, [], error))
            return
        self.owner.post_message(RowsFetched(generation, token, plan, start, rows))

    def accept_fetched(
        self, message: RowsFetched, center: int
    ) -> Literal["stale", "error", "rows"]:
        """Apply a fetch result; `center` is the view centre (eviction keeps rows near it)."""
        if message.token == self._in_flight:
            self._in_flight = None
        if message.generation != self._generation:
            return "stale"
        if message.error is not None:
            self._paused = True
            return "error"
        self.cache.put(message.start, message.rows, center=center)
        if message.plan.target not in self.cache:
            self._paused = True
        return "rows"

    # -- locate ------------------------------------------------------------------------------

    def locate(self, key: RowKey, page: int) -> Worker[Located | None]:
        """Find the row `key` and read the window around it, in a worker (await `.wait()`;
        hand the result to `accept_located`)."""
        source = self.source
        assert source is not None
        generation = self._generation

        def work() -> Located | None:
            with self._lock:
                index = source.locate(key)
                if index is None:
                    return None
                start, rows = read_around(source, key, index, page)
            return Located(generation, index, start, rows)

        return self.owner.run_worker(
            work, thread=True, group="virtual-table-locate", exit_on_error=False
        )

    def accept_located(self, located: Located, center: int) -> bool:
        """Store the window `locate` read; `False` if a (re)load made it stale."""
        if located.generation != self._generation or self.loading:
            return False
        self.cache.put(located.start, located.rows, center=center)
        return True

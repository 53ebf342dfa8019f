"""The bounded row cache of `VirtualTable` and the choice of the next fetch.

Pure logic, no Textual: the widget asks `RowCache.plan` what to fetch for the
lines it is about to show, runs the returned `FetchPlan` in a thread worker
with `run_plan`, and stores the result with `RowCache.put`.

Every fetch is a keyset read (`fetch_after`/`fetch_before` of a `RowSource`):

- a gap next to a cached row extends the window from that row, so scrolling
  row by row or page by page never re-reads what is cached;
- a jump into the unknown reads the window around the gap: from the first row
  (Home) or up to the last row (End) with no anchor at all, else from the key
  next to the window that `key_at` seeks from the nearer end (scrollbar drag,
  `go_to_index`). No read ever skips rows by `OFFSET`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from segment_tui.ui.widgets.row_source import Row, RowKey, RowSource


@dataclass(frozen=True)
class FetchPlan:
    """One keyset read to make on a `RowSource`."""

    kind: Literal["after", "before"]
    """`after`: `fetch_after` (rows from `index` on); `before`: `fetch_before` (rows up to
    `index`, excluded)."""
    index: int
    """`after`: the index of the first row returned; `before`: the index of the anchor
    row (one past the last row returned; the row count for the last page)."""
    limit: int
    """Maximum number of rows to read."""
    target: int = 0
    """An index of the gap this fetch must fill (to detect a source returning too few rows)."""
    key: RowKey | None = None
    """The anchor row key; `None` with no `seek` reads from the first / up to the last row."""
    seek: tuple[int, bool] | None = None
    """Find the anchor key first with `key_at(*seek)` (a jump into the unknown)."""


def run_plan(source: RowSource, plan: FetchPlan) -> tuple[int, list[Row]]:
    """Execute `plan` against `source` (blocking; call from a worker thread).

    Returns:
        The index of the first returned row, and the rows (none when a seek found
        no row because the source shrank; the next reload recounts).
    """
    key = plan.key
    if plan.seek is not None:
        index, from_end = plan.seek
        key = source.key_at(index, from_end=from_end)
        if key is None:
            return plan.index, []
    if plan.kind == "after":
        return plan.index, source.fetch_after(key, plan.limit)
    rows = source.fetch_before(key, plan.limit)
    return plan.index - len(rows), rows


def window_plan(start: int, count: int, page: int, target: int) -> FetchPlan:
    """Plan the read of `[start, start + page)` (clamped) with no cached neighbour.

    Args:
        start: Index of the first row wanted.
        count: Number of rows in the source.
        page: Rows to read.
        target: An index of the gap the read must fill.
    """
    start = max(0, min(start, count - page))
    end = min(count, start + page)
    if start == 0:
        return FetchPlan("after", 0, page, target=target)
    if end >= count:
        return FetchPlan("before", count, page, target=target)
    if start - 1 <= count - 1 - end:
        # seek the row just above the window from the start, then read down from it
        return FetchPlan("after", start, page, target=target, seek=(start - 1, False))
    # seek the row just below the window from the end, then read up to it
    return FetchPlan("before", end, page, target=target, seek=(count - 1 - end, True))


def read_around(source: RowSource, key: RowKey, index: int, page: int) -> tuple[int, list[Row]]:
    """Read a window of `page` rows holding the row `key` (at `index`), centred on it.

    Two keyset reads: the rows above `key`, then `key` and the rows below it.

    Returns:
        The index of the first returned row, and the rows.
    """
    if index <= 0:
        return 0, source.fetch_after(None, page)
    above = source.fetch_before(key, max(1, min(index, page // 2)))
    if not above:  # the source changed since `index` was found: read from the top
        return 0, source.fetch_after(None, page)
    start = index - len(above)
    return start, above + source.fetch_after(above[-1].key, page - len(above))


def read_window(source: RowSource, count: int, start: int, page: int) -> tuple[int, list[Row]]:
    """Read `[start, start + page)` (clamped) with keyset reads (see `window_plan`)."""
    if count <= 0:
        return 0, []
    return run_plan(source, window_plan(start, count, page, target=max(0, start)))


class RowCache:
    """Rows by index, bounded: the rows farthest from the view are dropped first."""

    def __init__(self, max_rows: int = 5000) -> None:
        """Create an empty cache.

        Args:
            max_rows: Upper bound of rows kept in memory.
        """
        self.max_rows = max_rows
        """Upper bound of rows kept in memory."""
        self._rows: dict[int, Row] = {}
        self._index_by_key: dict[RowKey, int] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, index: object) -> bool:
        return index in self._rows

    def get(self, index: int) -> Row | None:
        """Return the cached row at `index`, or `None`."""
        return self._rows.get(index)

    def index_of(self, key: RowKey) -> int | None:
        """Return the index of a cached row by key, or `None` if it is not cached."""
        return self._index_by_key.get(key)

    def clear(self) -> None:
        """Drop every row."""
        self._rows.clear()
        self._index_by_key.clear()

    def put(self, start: int, rows: Sequence[Row], *, center: int) -> None:
        """Store `rows` at indexes `start, start + 1, ...` and evict if over the bound.

        Args:
            start: Index of the first row.
            rows: Rows in order.
            center: Index the view is centred on; eviction keeps rows close to it.
        """
        for index, row in enumerate(rows, start):
            old = self._rows.get(index)
            if old is not None and self._index_by_key.get(old.key) == index:
                del self._index_by_key[old.key]
            self._rows[index] = row
            self._index_by_key[row.key] = index
        if len(self._rows) > self.max_rows:
            self._evict(center)

    def _evict(self, center: int) -> None:
        """Drop the rows farthest from `center` down to 80% of the bound."""
        keep = max(1, self.max_rows * 4 // 5)
        by_distance = sorted(self._rows, key=lambda index: abs(index - center), reverse=True)
        for index in by_distance[: len(self._rows) - keep]:
            row = self._rows.pop(index)
            if self._index_by_key.get(row.key) == index:
                del self._index_by_key[row.key]

    def first_gap(self, start: int, end: int) -> tuple[int, int] | None:
        """Return the first run `[a, b)` of missing indexes within `[start, end)`, if any."""
        rows = self._rows
        index = start
        while index < end and index in rows:
            index += 1
        if index >= end:
            return None
        gap_end = index + 1
        while gap_end < end and gap_end not in rows:
            gap_end += 1
        return index, gap_end

    def plan(self, ranges: Iterable[tuple[int, int]], count: int, page: int) -> FetchPlan | None:
        """Choose the next fetch: for the first gap in `ranges`, taken in priority order.

        Args:
            ranges: Index ranges `[start, end)` wanted, e.g. the visible rows, then the
                screens below and above (clipped to `[0, count)` here).
            count: Number of rows in the source.
            page: Rows to read per fetch.

        Returns:
            What to fetch, or `None` when every wanted row is cached.
        """
        for lo, hi in ranges:
            gap = self.first_gap(max(0, lo), min(count, hi))
            if gap is not None:
                return self._plan_gap(*gap, count=count, page=page)
        return None

    def _plan_gap(self, start: int, end: int, *, count: int, page: int) -> FetchPlan:
        """Plan a fetch that fills (at least the start of) the gap `[start, end)`."""
        before = self._rows.get(start - 1)
        if before is not None:
            limit = min(page, max(1, count - start))
            return FetchPlan("after", start, limit, target=start, key=before.key)
        after = self._rows.get(end) if end < count else None
        if after is not None:
            return FetchPlan("before", end, min(page, end), target=end - 1, key=after.key)
        slack = max(0, page - (end - start))
        return window_plan(start - slack // 2, count, page, target=start)

"""The bounded row cache of `VirtualTable` and the choice of the next fetch.

Pure logic, no Textual: the widget asks `RowCache.plan` what to fetch for the
lines it is about to show, runs the returned `FetchPlan` in a thread worker
with `run_plan`, and stores the result with `RowCache.put`.

Fetch strategy: keyset paging (`fetch_after`/`fetch_before`) when a gap touches
a cached row, so scrolling row by row or page by page extends the window with
index-friendly queries; offset paging (`fetch`) for jumps into the unknown
(scrollbar drag, `go_to_index`, End), centred on the gap and clamped so that a
jump to the end reads exactly the last page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from segment_tui.ui.widgets.row_source import Row, RowKey, RowSource


@dataclass(frozen=True)
class FetchPlan:
    """One call to make on a `RowSource`."""

    kind: Literal["offset", "after", "before"]
    """Which source method to call: `fetch`, `fetch_after` or `fetch_before`."""
    index: int
    """`offset`: the first index to read; `after`: the index of the first row
    returned; `before`: the index of the anchor row (one past the last row returned)."""
    limit: int
    """Maximum number of rows to read."""
    target: int = 0
    """An index of the gap this fetch must fill (to detect a source returning too few rows)."""
    key: RowKey | None = None
    """The anchor row key of a keyset fetch."""


def run_plan(source: RowSource, plan: FetchPlan) -> tuple[int, list[Row]]:
    """Execute `plan` against `source` (blocking; call from a worker thread).

    Returns:
        The index of the first returned row, and the rows.
    """
    if plan.kind == "offset":
        return plan.index, source.fetch(plan.index, plan.limit)
    assert plan.key is not None
    if plan.kind == "after":
        return plan.index, source.fetch_after(plan.key, plan.limit)
    rows = source.fetch_before(plan.key, plan.limit)
    return plan.index - len(rows), rows


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
        offset = max(0, min(start - slack // 2, count - page))
        return FetchPlan("offset", offset, page, target=start)

"""Pilot tests for `VirtualTable`: a 100,000-row fake source, a failing source and a SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot

from segment_tui.ui.widgets import Column, Row, RowKey, RowSource, VirtualTable
from segment_tui.ui.widgets.row_cache import RowCache, run_plan

M = TypeVar("M", bound=Message)
SIZE = (80, 24)
COLUMNS = (
    Column("no", "No.", 7, "right"),
    Column("name", "Name", 16),
    Column("city", "City", 12),
    Column("amount", "Amount", 9, "right"),
)


def make_row(key: int) -> Row:
    return Row(key, (str(key), f"Name {key}", f"City {key % 97}", f"{key * 3 % 1000:.2f}"))


ALL_ROWS = [make_row(key) for key in range(1, 100_001)]
"""Shared by the fake sources (rows are immutable; each source slices its own list)."""


class FakeSource:
    """In-memory source over a list; counts the rows it hands out and the calls."""

    def __init__(self, count: int) -> None:
        self.rows = ALL_ROWS[:count]
        self._reindex()
        self.rows_returned = 0
        self.calls: list[str] = []
        self.threads: set[int] = set()

    def _reindex(self) -> None:
        self.index = {row.key: position for position, row in enumerate(self.rows)}

    def _out(self, call: str, rows: list[Row]) -> list[Row]:
        self.calls.append(call)
        self.threads.add(threading.get_ident())
        self.rows_returned += len(rows)
        return rows

    def delete(self, keys: set[int]) -> None:
        self.rows = [row for row in self.rows if row.key not in keys]
        self._reindex()

    def insert(self, position: int, rows: Sequence[Row]) -> None:
        self.rows[position:position] = rows
        self._reindex()

    def count(self) -> int:
        self.calls.append("count")
        return len(self.rows)

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        start = 0 if key is None else self.index[key] + 1
        return self._out("first" if key is None else "after", self.rows[start : start + limit])

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        end = len(self.rows) if key is None else self.index[key]
        return self._out("last" if key is None else "before", self.rows[max(0, end - limit) : end])

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        self.calls.append("seek from end" if from_end else "seek")
        position = len(self.rows) - 1 - index if from_end else index
        return self.rows[position].key if 0 <= position < len(self.rows) else None

    def locate(self, key: RowKey) -> int | None:
        self.calls.append("locate")
        return self.index.get(key)

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        return {key for key in keys if key in self.index}


class BrokenSource(FakeSource):
    """Counts fine, then every read raises."""

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        raise RuntimeError("disk on fire")

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        raise RuntimeError("disk on fire")


class ShortSource(FakeSource):
    """Claims twice as many rows as it has (stale count)."""

    def count(self) -> int:
        return 2 * len(self.rows)


class SqliteSource:
    """Keyset source over a SQLite file; one connection per thread, as sqlite3 requires."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self.threads: set[int] = set()

    def _db(self) -> sqlite3.Connection:
        self.threads.add(threading.get_ident())
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path)
            self._local.connection = connection
        return connection

    @staticmethod
    def _rows(records: list[tuple[int, str, str, float]]) -> list[Row]:
        return [
            Row(id_, (str(id_), name, city, f"{amount:.2f}")) for id_, name, city, amount in records
        ]

    def count(self) -> int:
        return int(self._db().execute("SELECT count(*) FROM line").fetchone()[0])

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        sql = "SELECT id, name, city, amount FROM line WHERE id > ? ORDER BY id LIMIT ?"
        return self._rows(self._db().execute(sql, (key or 0, limit)).fetchall())

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        where = "" if key is None else f"WHERE id < {int(key)}"
        sql = f"SELECT id, name, city, amount FROM line {where} ORDER BY id DESC LIMIT ?"
        return self._rows(self._db().execute(sql, (limit,)).fetchall()[::-1])

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        order = "DESC" if from_end else ""
        sql = f"SELECT id FROM line ORDER BY id {order} LIMIT 1 OFFSET ?"
        row = self._db().execute(sql, (index,)).fetchone()
        return None if row is None else int(row[0])

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        marks = ", ".join("?" * len(keys))
        sql = f"SELECT id FROM line WHERE id IN ({marks})"
        return {row[0] for row in self._db().execute(sql, tuple(keys))}

    def locate(self, key: RowKey) -> int | None:
        db = self._db()
        if db.execute("SELECT 1 FROM line WHERE id = ?", (key,)).fetchone() is None:
            return None
        return int(db.execute("SELECT count(*) FROM line WHERE id < ?", (key,)).fetchone()[0])


class TableApp(App[None]):
    """One table filling the screen; records the table's messages."""

    def __init__(self, source: RowSource, columns: Sequence[Column] = COLUMNS) -> None:
        super().__init__()
        self.source = source
        self.columns = columns
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.columns, self.source, page_size=200)

    def on_virtual_table_cursor_moved(self, message: VirtualTable.CursorMoved) -> None:
        self.messages.append(message)

    def on_virtual_table_cell_selected(self, message: VirtualTable.CellSelected) -> None:
        self.messages.append(message)

    def on_virtual_table_loaded(self, message: VirtualTable.Loaded) -> None:
        self.messages.append(message)

    def on_virtual_table_marks_changed(self, message: VirtualTable.MarksChanged) -> None:
        self.messages.append(message)

    def on_virtual_table_fetch_failed(self, message: VirtualTable.FetchFailed) -> None:
        self.messages.append(message)

    def of_type(self, kind: type[M]) -> list[M]:
        return [message for message in self.messages if isinstance(message, kind)]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no worker runs and every message they posted is handled (no sleeps)."""
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            return
    raise AssertionError("workers kept starting")


def screen_text(table: VirtualTable) -> str:
    return "\n".join(
        table.render_line(y).text for y in range(table.scrollable_content_region.height)
    )


@pytest.fixture
def source() -> FakeSource:
    return FakeSource(100_000)


@pytest.fixture
def app(source: FakeSource) -> Iterator[TableApp]:
    yield TableApp(source)


async def test_open_shows_header_and_first_page(app: TableApp, source: FakeSource) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.row_count == 100_000
        header = table.render_line(0).text
        assert all(label in header for label in ("No.", "Name", "City", "Amount"))
        assert "Name 1 " in table.render_line(1).text
        assert "Name 22 " in screen_text(table)
        assert table.cursor_key == 1
        assert table.cursor_cells == make_row(1).cells
        assert source.rows_returned <= 200
        assert [m.row_count for m in app.of_type(VirtualTable.Loaded)] == [100_000]
        assert app.of_type(VirtualTable.CursorMoved)[-1].row_key == 1
        assert table.virtual_size.height == 100_001


async def test_the_first_page_shows_before_the_rows_are_counted() -> None:
    """Counting a million rows takes longer than reading a page: the page comes first."""

    class SlowCount(FakeSource):
        def __init__(self, count: int) -> None:
            super().__init__(count)
            self.counting, self.release = threading.Event(), threading.Event()

        def count(self) -> int:
            self.counting.set()
            self.release.wait(timeout=30)
            return super().count()

    slow = SlowCount(100_000)
    app = TableApp(slow)
    async with app.run_test(size=SIZE) as pilot:
        assert await asyncio.to_thread(slow.counting.wait, 30)
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert "Name 1 " in table.render_line(1).text and table.row_count == 200
        await pilot.press("down")
        slow.release.set()
        await settle(pilot)
        assert table.row_count == 100_000
        assert table.cursor_key == 2  # where the user moved meanwhile
        assert [m.row_count for m in app.of_type(VirtualTable.Loaded)] == [100_000]

    slow = SlowCount(100_000)  # End before the count: the real last row once counted
    app = TableApp(slow)
    async with app.run_test(size=SIZE) as pilot:
        assert await asyncio.to_thread(slow.counting.wait, 30)
        await pilot.pause()
        await pilot.press("end")
        slow.release.set()
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.cursor_key == 100_000 and "Name 100000" in screen_text(table)

    short = FakeSource(150)  # a page shorter than asked for is the whole list
    app = TableApp(short)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(VirtualTable).row_count == 150
        assert short.calls == ["first"]  # no count


async def test_keys_move_across_all_rows(app: TableApp, source: FakeSource) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        visible = table.scrollable_content_region.height - 1

        await pilot.press("down", "down")
        assert table.cursor_key == 3

        await pilot.press("pagedown")
        await settle(pilot)
        assert table.cursor_row == 2 + visible
        assert f"Name {3 + visible} " in screen_text(table)

        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_key == 100_000
        text = screen_text(table)
        assert "Name 100000" in text
        assert "Name 1 " not in text
        assert table.render_line(table.scrollable_content_region.height - 1).text.split()[1] == (
            "100000"
        )

        await pilot.press("pageup")
        await settle(pilot)
        assert table.cursor_key == 100_000 - visible

        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_key == 1
        assert "Name 1 " in table.render_line(1).text

        await pilot.press("right", "right", "ctrl+end")
        await settle(pilot)
        assert (table.cursor_key, table.cursor_column) == (100_000, len(COLUMNS) - 1)
        await pilot.press("ctrl+home")
        await settle(pilot)
        assert (table.cursor_key, table.cursor_column) == (1, 0)

        assert source.rows_returned < 2_000, "the table must never read every row"


async def test_paging_down_extends_the_window_with_keyset_fetches(
    app: TableApp, source: FakeSource
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        for _ in range(12):
            await pilot.press("pagedown")
            await settle(pilot)
            assert f"Name {table.cursor_row + 1} " in screen_text(table)
        assert "after" in source.calls
        assert source.calls[0] == "first"  # the first page, then keyset reads only
        assert not {"seek", "seek from end"} & set(source.calls)
        for _ in range(12):
            table.action_page_up()
        await settle(pilot)
        assert table.cursor_key == 1


async def test_jump_back_from_the_end_uses_keyset_backwards(
    app: TableApp, source: FakeSource
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.action_last_row()
        await settle(pilot)
        for _ in range(10):
            table.action_page_up()
            await settle(pilot)
        assert "before" in source.calls
        assert f"Name {table.cursor_row + 1} " in screen_text(table)


async def test_end_home_and_jumps_read_by_key_never_by_position_from_the_start(
    app: TableApp, source: FakeSource
) -> None:
    """End reads the last page with no anchor, a jump to a key reads around that key, and
    a jump to a position seeks the key next to it from the nearer end only."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        source.calls.clear()
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_key == 100_000 and "Name 100000" in screen_text(table)
        assert source.calls == ["last"]

        source.calls.clear()
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_key == 1 and "Name 1 " in table.render_line(1).text
        assert source.calls in ([], ["first"])  # still cached, or read with no anchor

        source.calls.clear()
        assert await table.go_to_key(61_234)
        await settle(pilot)
        assert table.cursor_key == 61_234 and "Name 61234" in screen_text(table)
        assert source.calls == ["locate", "before", "after"]

        source.calls.clear()
        table.go_to_index(89_999)
        await settle(pilot)
        assert table.cursor_key == 90_000 and "Name 90000" in screen_text(table)
        assert source.calls == ["seek from end", "before"]

        source.calls.clear()
        table.go_to_index(20_000)
        await settle(pilot)
        assert table.cursor_key == 20_001 and "Name 20001" in screen_text(table)
        assert source.calls == ["seek", "after"]


async def test_go_to_key_in_the_middle(app: TableApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert await table.go_to_key(50_000)
        await settle(pilot)
        assert table.cursor_row == 49_999
        assert table.cursor_key == 50_000
        assert "Name 50000" in screen_text(table)
        assert not await table.go_to_key(123_456_789)
        assert table.cursor_key == 50_000
        table.go_to_index(10)
        await settle(pilot)
        assert table.cursor_key == 11


async def test_refresh_rows_keeps_the_cursor_key(app: TableApp, source: FakeSource) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        await table.go_to_key(500)
        await settle(pilot)

        source.delete(set(range(1, 11)))
        source.insert(0, [make_row(key) for key in range(200_001, 200_004)])
        table.refresh_rows()
        await settle(pilot)
        assert table.row_count == 100_000 - 10 + 3
        assert table.cursor_key == 500
        assert table.cursor_row == 499 - 10 + 3
        assert "Name 500 " in screen_text(table)
        assert app.of_type(VirtualTable.Loaded)[-1].row_count == table.row_count

        # The cursor row itself disappears: the cursor stays at the same index.
        row_before = table.cursor_row
        source.delete({500})
        table.refresh_rows()
        await settle(pilot)
        assert table.cursor_row == row_before
        assert table.cursor_key == 501


async def test_refresh_rows_clamps_when_the_tail_is_deleted(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.action_last_row()
        await settle(pilot)
        source.delete(set(range(90_001, 100_001)))
        table.refresh_rows()
        await settle(pilot)
        assert table.row_count == 90_000
        assert table.cursor_key == 90_000
        assert "Name 90000" in screen_text(table)


async def test_space_marks_rows(app: TableApp, source: FakeSource) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        await pilot.press("space", "down", "down", "space")
        assert table.marked == {1, 3}
        assert table.render_line(1).text.startswith(" ●")
        assert table.render_line(3).text.startswith("▸●")
        assert table.render_line(2).text.startswith("  ")
        await pilot.press("space")
        assert table.marked == {1}
        assert [set(m.marked) for m in app.of_type(VirtualTable.MarksChanged)] == [
            {1},
            {1, 3},
            {1},
        ]
        # Marks of rows that no longer exist are dropped on refresh.
        await pilot.press("down", "space")
        source.delete({4})
        table.refresh_rows()
        await settle(pilot)
        assert table.marked == {1}
        assert set(app.of_type(VirtualTable.MarksChanged)[-1].marked) == {1}


async def test_enter_posts_cell_selected(app: TableApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "right", "enter")
        await pilot.pause()
        (selected,) = app.of_type(VirtualTable.CellSelected)
        assert (selected.row_key, selected.column_key, selected.row_index) == (2, "name", 1)
        assert selected.value == "Name 2"
        assert selected.control is app.query_one(VirtualTable)
        moved = app.of_type(VirtualTable.CursorMoved)[-1]
        assert (moved.row_key, moved.column_key, moved.column_index) == (2, "name", 1)


async def test_click_moves_the_cursor(app: TableApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        # gutter (2) + "No." cell (9) + 3 cells into "Name"; line 5 = row index 4
        await pilot.click(VirtualTable, offset=(14, 5))
        assert (table.cursor_key, table.cursor_column) == (5, 1)


async def test_failing_source_posts_fetch_failed(source: FakeSource) -> None:
    app = TableApp(BrokenSource(1_000))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        (failed,) = app.of_type(VirtualTable.FetchFailed)
        assert "disk on fire" in str(failed.error)
        assert app.is_running
        assert table.row_count == 0
        # A working source brings the table back.
        table.set_source(source)
        await settle(pilot)
        assert table.row_count == 100_000
        assert "Name 1 " in table.render_line(1).text


async def test_failing_fetch_is_retried_on_the_next_move_only(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        broken = BrokenSource(100_000)
        table.set_source(broken, keep_cursor_key=True)  # count works, fetch raises
        await settle(pilot)
        assert len(app.of_type(VirtualTable.FetchFailed)) == 1
        table.action_last_row()
        await settle(pilot)
        assert len(app.of_type(VirtualTable.FetchFailed)) == 2
        assert "…" in screen_text(table)  # placeholders, no crash
        assert app.is_running


async def test_short_source_does_not_loop() -> None:
    short = ShortSource(1_000)
    app = TableApp(short)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        table.action_last_row()
        await settle(pilot)
        assert table.row_count == 2_000
        assert "Name 1000" in screen_text(table)  # End reads the real last page
        table.go_to_index(1_000)  # rows that do not exist: placeholders, no loop
        await settle(pilot)
        assert len(short.calls) < 10
        assert "…" in screen_text(table)


async def test_set_source_keeps_cursor_key_when_asked(app: TableApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        await table.go_to_key(700)
        await settle(pilot)  # the row is on screen (loaded) before the user marks it
        await pilot.press("space")
        reversed_source = FakeSource(0)
        reversed_source.rows = [make_row(key) for key in range(1_000, 0, -1)]
        reversed_source._reindex()
        table.set_source(reversed_source, keep_cursor_key=True)
        await settle(pilot)
        assert (table.row_count, table.cursor_key, table.cursor_row) == (1_000, 700, 300)
        assert table.marked == {700}
        table.set_source(FakeSource(5))
        await settle(pilot)
        assert (table.row_count, table.cursor_key, table.marked) == (5, 1, set())
        assert table.render_line(6).text.strip() == ""


async def test_horizontal_scroll_follows_the_cursor_column(source: FakeSource) -> None:
    wide = [Column(f"c{i}", f"Col{i}", 12) for i in range(10)]

    class WideSource(FakeSource):
        def _out(self, call: str, rows: list[Row]) -> list[Row]:
            rows = [Row(row.key, tuple(f"r{row.key}c{i}" for i in range(10))) for row in rows]
            return super()._out(call, rows)

    app = TableApp(WideSource(1_000), columns=wide)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.scroll_offset.x > 0
        assert "Col9" in table.render_line(0).text
        assert "r1000c9" in screen_text(table)
        assert table.render_line(1).text[:2] == "  "  # the gutter does not scroll
        await pilot.press("ctrl+home")
        assert table.scroll_offset.x == 0


async def test_sqlite_file_source_in_worker_threads(tmp_path: Path) -> None:
    path = tmp_path / "lines.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE line (id INTEGER PRIMARY KEY, name TEXT, city TEXT, amount REAL)")
        db.executemany(
            "INSERT INTO line VALUES (?, ?, ?, ?)",
            ((i, f"Name {i}", f"City {i % 97}", i * 1.5) for i in range(1, 20_001)),
        )
    db.close()
    sqlite_source = SqliteSource(path)
    app = TableApp(sqlite_source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(VirtualTable)
        assert table.row_count == 20_000
        assert "Name 1 " in table.render_line(1).text
        await pilot.press("end")
        await settle(pilot)
        assert "Name 20000" in screen_text(table)
        for _ in range(12):
            table.action_page_up()
            await settle(pilot)
        assert f"Name {table.cursor_row + 1} " in screen_text(table)
        assert await table.go_to_key(12_345)
        await settle(pilot)
        assert table.cursor_row == 12_344 and "Name 12345" in screen_text(table)

        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM line WHERE id < 100")
        db.close()
        table.refresh_rows()
        await settle(pilot)
        assert (table.row_count, table.cursor_key, table.cursor_row) == (19_901, 12_345, 12_245)
    assert threading.get_ident() not in sqlite_source.threads


def test_row_cache_plans_keyset_reads_only() -> None:
    cache = RowCache(max_rows=1_000)
    first = cache.plan([(0, 40)], count=10_000, page=200)
    assert first is not None and (first.kind, first.index, first.key, first.seek) == (
        "after",
        0,
        None,
        None,
    )
    cache.put(0, [make_row(key) for key in range(1, 201)], center=0)
    after = cache.plan([(190, 230)], count=10_000, page=200)
    assert after is not None and (after.kind, after.index, after.key) == ("after", 200, 200)
    # A jump into the first half seeks the key above the window from the start ...
    jump = cache.plan([(3_000, 3_040)], count=10_000, page=200)
    assert jump is not None and jump.kind == "after" and jump.index <= 3_000 < jump.index + 200
    assert jump.seek == (jump.index - 1, False)
    # ... into the second half, the key below the window from the end.
    late = cache.plan([(7_000, 7_040)], count=10_000, page=200)
    assert late is not None and late.kind == "before" and late.index - 200 <= 7_000 < late.index
    assert late.seek == (10_000 - 1 - late.index, True)
    # The last page needs no key at all (no OFFSET, however long the list).
    last = cache.plan([(9_980, 10_020)], count=10_000, page=200)
    assert last is not None and (last.kind, last.index, last.key, last.seek) == (
        "before",
        10_000,
        None,
        None,
    )
    cache.put(5_000, [make_row(key) for key in range(5_001, 5_201)], center=5_000)
    before = cache.plan([(4_950, 5_010)], count=10_000, page=200)
    assert before is not None
    assert (before.kind, before.index, before.key) == ("before", 5_000, 5_001)
    assert cache.plan([(0, 200)], count=10_000, page=200) is None


def test_run_plan_reads_the_window_a_jump_asks_for() -> None:
    source = FakeSource(10_000)
    for start in (0, 1, 3_000, 4_999, 5_000, 7_000, 9_799, 9_800, 9_950):
        cache = RowCache(max_rows=1_000)
        plan = cache.plan([(start, start + 40)], count=10_000, page=200)
        assert plan is not None
        first, rows = run_plan(source, plan)
        assert [row.key for row in rows] == list(range(first + 1, first + 1 + len(rows)))
        assert first <= start < first + len(rows), start
        assert len(rows) == 200


def test_row_cache_is_bounded_and_keeps_rows_near_the_view() -> None:
    cache = RowCache(max_rows=1_000)
    for start in range(0, 5_000, 200):
        cache.put(start, [make_row(key) for key in range(start + 1, start + 201)], center=start)
    assert len(cache) <= 1_000
    assert 4_999 in cache and 0 not in cache
    assert cache.index_of(5_000) == 4_999 and cache.index_of(1) is None

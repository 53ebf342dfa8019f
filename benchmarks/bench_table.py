"""Time to first paint: `VirtualTable` over SQLite vs Textual's stock `DataTable`.

Builds a SQLite file with N rows (default 100,000; plain `sqlite3.executemany`), then,
headless at 120x40, measures the time from app start (`App.run_test` entered) to the
first frame whose table shows row 1:

(a) `VirtualTable` over a keyset `RowSource` reading that file (count + one page, in a
    thread worker), plus End / PageDown latencies;
(b) the stock `DataTable`: read every row, `add_rows`, wait until painted (it measures
    every cell on the UI thread: expect tens of seconds at 100,000 rows).

Usage: python benchmarks/bench_table.py [--rows N] [--skip-datatable] [--keep-db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import DataTable

from segment_tui.ui.widgets import Column, Row, RowKey, VirtualTable

SIZE = (120, 40)
FIELDS = ("no", "name", "city", "postcode", "amount", "date", "status", "contact")
COLUMNS = [
    Column("no", "No.", 8, "right"),
    Column("name", "Name", 18),
    Column("city", "City", 12),
    Column("postcode", "Post Code", 9),
    Column("amount", "Amount", 10, "right"),
    Column("date", "Date", 10),
    Column("status", "Status", 8),
    Column("contact", "Contact", 14),
]
SELECT = "SELECT id, no, name, city, postcode, amount, date, status, contact FROM line"


def build_db(path: Path, rows: int) -> float:
    """Create the `line` table with `rows` rows; return the seconds it took."""
    start = time.perf_counter()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE IF EXISTS line")
        db.execute(
            "CREATE TABLE line (id INTEGER PRIMARY KEY, no TEXT, name TEXT, city TEXT,"
            " postcode TEXT, amount REAL, date TEXT, status TEXT, contact TEXT)"
        )
        db.executemany(
            "INSERT INTO line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    i,
                    f"CT{i:06d}",
                    f"Name {i}",
                    f"City {i % 211}",
                    f"{10000 + i % 89999}",
                    (i * 37) % 100000 / 100,
                    f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                    ("Open", "Sent", "Closed")[i % 3],
                    f"Contact {i % 997}",
                )
                for i in range(1, rows + 1)
            ),
        )
    db.close()
    return time.perf_counter() - start


def format_record(record: tuple[object, ...]) -> tuple[str, ...]:
    id_, no, name, city, postcode, amount, date, status, contact = record
    assert isinstance(amount, float)
    return (str(no), str(name), str(city), str(postcode), f"{amount:,.2f}", str(date),
            str(status), str(contact))  # fmt: skip


class SqliteSource:
    """Keyset `RowSource` over the `line` table; one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path)
            self._local.connection = connection
        return connection

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[Row]:
        records = self._db().execute(sql, params).fetchall()
        return [Row(record[0], format_record(record)) for record in records]

    def count(self) -> int:
        return int(self._db().execute("SELECT count(*) FROM line").fetchone()[0])

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return self._rows(f"{SELECT} ORDER BY id LIMIT ? OFFSET ?", (limit, offset))

    def fetch_after(self, key: RowKey, limit: int) -> list[Row]:
        return self._rows(f"{SELECT} WHERE id > ? ORDER BY id LIMIT ?", (key, limit))

    def fetch_before(self, key: RowKey, limit: int) -> list[Row]:
        rows = self._rows(f"{SELECT} WHERE id < ? ORDER BY id DESC LIMIT ?", (key, limit))
        return rows[::-1]

    def locate(self, key: RowKey) -> int | None:
        db = self._db()
        if db.execute("SELECT 1 FROM line WHERE id = ?", (key,)).fetchone() is None:
            return None
        return int(db.execute("SELECT count(*) FROM line WHERE id < ?", (key,)).fetchone()[0])


class PaintProbe:
    """Records when a rendered line first contains a given text."""

    def __init__(self) -> None:
        self.want = "Name 1 "
        self.at: float | None = None

    def see(self, strip: Strip) -> Strip:
        if self.at is None and self.want in strip.text:
            self.at = time.perf_counter()
        return strip

    def expect(self, text: str) -> None:
        self.want, self.at = text, None


class ProbedVirtualTable(VirtualTable):
    probe = PaintProbe()

    def render_line(self, y: int) -> Strip:
        return self.probe.see(super().render_line(y))


class ProbedDataTable(DataTable[str]):
    probe = PaintProbe()

    def render_line(self, y: int) -> Strip:
        return self.probe.see(super().render_line(y))


class VirtualApp(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield ProbedVirtualTable(COLUMNS, SqliteSource(self.path))


class StockApp(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.read_seconds = 0.0
        self.add_seconds = 0.0

    def compose(self) -> ComposeResult:
        yield ProbedDataTable()

    def on_mount(self) -> None:
        table = self.query_one(ProbedDataTable)
        for column in COLUMNS:
            table.add_column(column.label, key=column.key)
        start = time.perf_counter()
        with sqlite3.connect(self.path) as db:
            records = db.execute(f"{SELECT} ORDER BY id").fetchall()
        db.close()
        rows = [format_record(record) for record in records]
        self.read_seconds = time.perf_counter() - start
        start = time.perf_counter()
        for record, cells in zip(records, rows, strict=True):
            table.add_row(*cells, key=str(record[0]))
        self.add_seconds = time.perf_counter() - start


async def wait_painted(pilot: Pilot[None], probe: PaintProbe, give_up: float = 300.0) -> float:
    """Let the app run until `probe` saw its text; return the time it did."""
    deadline = time.perf_counter() + give_up
    while probe.at is None:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{probe.want!r} never painted")
        await pilot.pause()
    return probe.at


async def bench_virtual(path: Path, rows: int, navigate: bool = True) -> dict[str, float]:
    probe = ProbedVirtualTable.probe
    probe.expect("Name 1 ")
    started = time.perf_counter()
    app = VirtualApp(path)
    async with app.run_test(size=SIZE) as pilot:
        first = await wait_painted(pilot, probe) - started
        if not navigate:
            return {"first_paint": first}
        table = app.query_one(ProbedVirtualTable)

        async def timed(action: Callable[[], None], text: str) -> float:
            probe.expect(text)
            start = time.perf_counter()
            action()
            return await wait_painted(pilot, probe) - start

        end = await timed(table.action_last_row, f"Name {rows} ")
        home = await timed(table.action_first_row, "Name 1 ")
        visible = table.scrollable_content_region.height - 1
        pages = []
        for page in range(1, 21):
            pages.append(
                await timed(table.action_page_down, f"Name {1 + page * visible + visible - 1} ")
            )
        middle = rows // 2
        probe.expect(f"Name {middle} ")
        start = time.perf_counter()
        await table.go_to_key(middle)
        goto = await wait_painted(pilot, probe) - start
    return {
        "first_paint": first,
        "end": end,
        "home": home,
        "pagedown_mean": sum(pages) / len(pages),
        "pagedown_max": max(pages),
        "go_to_key_middle": goto,
    }


async def bench_stock(path: Path) -> dict[str, float]:
    probe = ProbedDataTable.probe
    probe.expect("Name 1 ")
    started = time.perf_counter()
    app = StockApp(path)
    async with app.run_test(size=SIZE) as pilot:
        first = await wait_painted(pilot, probe) - started
    return {"first_paint": first, "read_all": app.read_seconds, "add_rows": app.add_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the table")
    parser.add_argument("--skip-datatable", action="store_true", help="only time VirtualTable")
    parser.add_argument("--keep-db", type=Path, help="build the SQLite file here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep_db or Path(tmp) / "bench.db"
        print(f"building {args.rows:,} rows in {path} ...", flush=True)
        print(f"  executemany: {build_db(path, args.rows):.2f} s", flush=True)
        if args.rows < 2_000:
            parser.error("--rows must be at least 2000 (the navigation part pages 20 screens)")

        small = Path(tmp) / "small.db"
        build_db(small, 10)
        cold = asyncio.run(bench_virtual(small, 10, navigate=False))  # pays CSS parsing etc.
        print(f"VirtualTable, 10 rows:      first paint {cold['first_paint']:.3f} s (cold)")
        ten = asyncio.run(bench_virtual(small, 10, navigate=False))
        print(f"VirtualTable, 10 rows:      first paint {ten['first_paint']:.3f} s", flush=True)
        result = asyncio.run(bench_virtual(path, args.rows))
        print(f"VirtualTable, {args.rows:,} rows: first paint {result['first_paint']:.3f} s")
        print(
            f"  end {result['end'] * 1000:.0f} ms, home {result['home'] * 1000:.0f} ms,"
            f" pagedown mean {result['pagedown_mean'] * 1000:.0f} ms"
            f" (max {result['pagedown_max'] * 1000:.0f} ms),"
            f" go_to_key(middle) {result['go_to_key_middle'] * 1000:.0f} ms",
            flush=True,
        )
        if args.skip_datatable:
            return
        print(f"DataTable, {args.rows:,} rows: loading (this can take tens of seconds) ...")
        stock = asyncio.run(bench_stock(path))
        print(
            f"DataTable, {args.rows:,} rows:    first paint {stock['first_paint']:.3f} s"
            f" (read all {stock['read_all']:.2f} s, add_row loop {stock['add_rows']:.2f} s)"
        )
        print(f"speed-up: {stock['first_paint'] / result['first_paint']:.0f}x")


if __name__ == "__main__":
    main()

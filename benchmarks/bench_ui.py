"""The worksheet's speed at any size: first paint, End, Home, a jump and a search in the
real worksheet screen, for segments of 10,000, 100,000 and 1,000,000 lines on SQLite and
on PostgreSQL; plus Textual's stock DataTable loading the same lines and the cold start
of `segment-tui` to its first frame in a real pseudo-terminal.

    .venv/bin/python benchmarks/bench_ui.py [--sizes 10000,100000,1000000]
        [--databases sqlite,postgres] [--pg URL] [--runs 3] [--datatable] [--keep]

Each database holds one segment (SEG00001) with one line per contact, built once and kept
(SQLite: ``bench-ui-N.db`` in the temp directory; PostgreSQL: database ``bench_ui_N`` on
the server of ``--pg`` or ``$SEGMENT_TUI_TEST_PG``, dropped unless ``--keep``). Lines are
written with one INSERT…SELECT, not through Add Contacts: this measures the worksheet.

Every figure is the median of ``--runs`` runs (each in a new app) with the spread (min–max).
"Cold" reads: the table's row cache is emptied first, so Home or a jump really reads.
Times run until the rows are in the table and the visible lines are drawn (no idle wait);
"first paint" is the first rows on screen, "lines counted" when the row count (and so the
scrollbar and End) is known.

Target (issue 10 §4): every operation ≤ 0.3 s, whatever the size. The first search of a
SQLite database after contacts were bulk-inserted also indexes them (reported apart).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SIZE = (120, 40)
TARGET = 0.3
SEGMENT = "SEG00001"
OPERATIONS = (
    "first paint",
    "lines counted",
    "End",
    "Home (cold)",
    "jump to a line",
    "jump to a position",
    "search, far match",
    "search, no match",
    "search, many matches",
)


# -- building ---------------------------------------------------------------------------


def postgres_location(server: str, lines: int) -> str:
    """Create (if needed) the PostgreSQL database of the benchmark; its URL."""
    import psycopg2

    name = f"bench_ui_{lines}"
    connection = psycopg2.connect(server)
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    finally:
        connection.close()
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def drop_postgres(server: str, lines: int) -> None:
    import psycopg2

    connection = psycopg2.connect(server)
    connection.autocommit = True
    try:
        connection.cursor().execute(f"DROP DATABASE IF EXISTS bench_ui_{lines} WITH (FORCE)")
    finally:
        connection.close()


def build(location: str, lines: int) -> None:
    """Contacts, then segment SEG00001 with one line per contact (kept between runs)."""
    from segment_tui.db import close_database, db, dialect, open_database, write_transaction
    from segment_tui.models import Contact, SegmentHeader, SegmentLine
    from segment_tui.services.demo.seed import seed_contacts, seed_setup
    from segment_tui.services.segments.headers import create_segment

    open_database(location)
    try:
        with db.connection_context():
            if SegmentLine.select().where(SegmentLine.segment_no == SEGMENT).count() == lines:
                return
            start = time.perf_counter()
            with write_transaction():
                seed_setup()
                have = Contact.select().count()
                if have < lines:
                    seed_contacts(lines - have)
            if dialect() == "postgres":
                # Line numbers step by 10,000: beyond 214,748 lines they need 64 bits
                # (no-op once the schema has them; issue 10 §1).
                db.execute_sql("ALTER TABLE segment_line ALTER COLUMN line_no TYPE bigint")
            if not SegmentHeader.select().where(SegmentHeader.no == SEGMENT).exists():
                create_segment("Big segment", template="LETTER", salesperson="BC")
            with write_transaction():
                db.execute_sql(
                    "INSERT INTO segment_line (segment_no, line_no, contact_no, line_note, "
                    "added_by_action) SELECT 'SEG00001', 10000 * ROW_NUMBER() OVER "
                    "(ORDER BY no), no, '', 1 FROM contact ORDER BY no LIMIT "
                    f"{int(lines)}"
                )
            db.execute_sql("ANALYZE")
            print(f"  built {lines:,} lines in {time.perf_counter() - start:.0f} s", flush=True)
    finally:
        close_database()


def index_for_search(location: str) -> float:
    """Seconds to build the search keys the first search would build (SQLite, once)."""
    from segment_tui.db import close_database, db, open_database
    from segment_tui.services.segments.line_search import ensure_search_keys

    open_database(location)
    try:
        with db.connection_context():
            start = time.perf_counter()
            ensure_search_keys()
            return time.perf_counter() - start
    finally:
        close_database()


def search_needles(location: str, lines: int) -> dict[str, str]:
    """What the searches look for: a contact near the end, nothing, a common word."""
    from segment_tui.db import close_database, db, open_database
    from segment_tui.models import Contact, SegmentLine

    open_database(location)
    try:
        with db.connection_context():
            far_no = (
                SegmentLine.select(SegmentLine.contact_no)
                .where(SegmentLine.segment_no == SEGMENT)
                .order_by(SegmentLine.line_no.desc())
                .offset(max(0, lines // 100))
                .limit(1)
                .scalar()
            )
            far = Contact.get_by_id(far_no)
            return {
                "search, far match": str(far.no),
                "search, no match": "zq zq zq",
                "search, many matches": "son",
            }
    finally:
        close_database()


# -- measuring ---------------------------------------------------------------------------


async def until(condition: Callable[[], bool], limit: float = 120) -> None:
    """Poll every 2 ms (pilot.pause() waits for an idle CPU and would add ~60 ms)."""
    deadline = time.perf_counter() + limit
    while not condition():  # noqa: ASYNC110
        if time.perf_counter() > deadline:
            raise TimeoutError("the worksheet did not get there")
        await asyncio.sleep(0.002)


def visible_rows_loaded(table: Any) -> bool:
    """The rows the table shows are all read (none drawn as "…")."""
    top = table.scroll_offset.y
    height = max(1, table.scrollable_content_region.height - 1)
    last = min(table.row_count, top + height)
    return table.row_count > 0 and all(table.get_row_at(i) is not None for i in range(top, last))


def draw(table: Any) -> None:
    """Render the visible lines, as a frame would."""
    for y in range(table.scrollable_content_region.height):
        table.render_line(y)


async def timed(action: Callable[[], Any], done: Callable[[], bool], table: Any) -> float:
    start = time.perf_counter()
    result = action()
    if isinstance(result, Awaitable):
        await result
    await until(done)
    draw(table)
    return time.perf_counter() - start


async def one_run(location: str, lines: int, needles: dict[str, str]) -> dict[str, float]:
    """One app: every operation once; seconds by operation."""
    from segment_tui.db import open_database
    from segment_tui.ui.app import SegmentApp
    from segment_tui.ui.screens.worksheet import WorksheetScreen

    open_database(location)  # as the command line does before it starts the app
    app = SegmentApp(location)
    times: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        start = time.perf_counter()
        await app.push_screen(WorksheetScreen(SEGMENT))
        screen = app.screen
        assert isinstance(screen, WorksheetScreen)
        table = screen.lines
        await until(lambda: visible_rows_loaded(table))
        draw(table)
        times["first paint"] = time.perf_counter() - start
        await until(lambda: table.row_count == lines)
        times["lines counted"] = time.perf_counter() - start
        await app.workers.wait_for_complete()

        def cold() -> None:
            table._loader.cache.clear()  # noqa: SLF001 - make the next read a real one

        times["End"] = await timed(
            table.action_last_row,
            lambda: table.cursor_row == lines - 1 and visible_rows_loaded(table),
            table,
        )
        await app.workers.wait_for_complete()
        cold()
        times["Home (cold)"] = await timed(
            table.action_first_row,
            lambda: table.cursor_row == 0 and visible_rows_loaded(table),
            table,
        )
        await app.workers.wait_for_complete()
        cold()
        middle = (lines // 2 + 1) * 10_000
        times["jump to a line"] = await timed(
            lambda: table.go_to_key(middle),
            lambda: table.cursor_key == middle and visible_rows_loaded(table),
            table,
        )
        await app.workers.wait_for_complete()
        cold()
        position = lines * 2 // 3
        times["jump to a position"] = await timed(
            lambda: table.go_to_index(position),
            lambda: table.cursor_key is not None and visible_rows_loaded(table),
            table,
        )
        await app.workers.wait_for_complete()
        for operation, needle in needles.items():
            table.action_first_row()
            await app.workers.wait_for_complete()
            screen.search.text = needle

            def answered(needle: str = needle) -> bool:
                status = screen.search.status_text
                return status.startswith(f"Search “{needle}”") and (
                    "no line matches" in status or visible_rows_loaded(table)
                )

            times[operation] = await timed(
                lambda: screen.search._search(None, wrap_note=False),  # noqa: SLF001
                answered,
                table,
            )
            await app.workers.wait_for_complete()
            print(f"    {operation} ({needle!r}): {screen.search.status_text}", flush=True)
    return times


def median_spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


async def datatable_first_paint(location: str) -> tuple[float, int]:
    """The same lines loaded into Textual's stock DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from segment_tui.db import db, open_database
    from segment_tui.services.segments.view import iter_lines
    from segment_tui.ui.screens.worksheet import LINE_COLUMNS
    from segment_tui.ui.sources import to_row

    class Plain(App[None]):
        def compose(self) -> ComposeResult:
            table: DataTable[str] = DataTable()
            for column in LINE_COLUMNS:
                table.add_column(column.label, width=column.width)
            yield table

    open_database(location)
    app = Plain()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        start = time.perf_counter()
        with db.connection_context():
            rows = [to_row(record, LINE_COLUMNS, "line_no").cells for record in iter_lines(SEGMENT)]
        table.add_rows(rows)
        await pilot.pause()
        while table._require_update_dimensions:  # noqa: SLF001 - wait until measured
            await pilot.pause()
        return time.perf_counter() - start, len(rows)


def cold_start(location: str, runs: int = 5) -> list[float]:
    """Seconds from exec to the first frame showing the segment list, in a real pty."""
    times = []
    for _ in range(runs):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.execv(sys.executable, [sys.executable, "-m", "segment_tui", "--db", location])
        start = time.perf_counter()
        seen = b""
        while b"Segments" not in seen and time.perf_counter() - start < 10:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
        times.append(time.perf_counter() - start)
        os.write(fd, b"\x11")  # ctrl+q
        os.waitpid(pid, 0)
        os.close(fd)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--pg", default=os.environ.get("SEGMENT_TUI_TEST_PG", ""))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--datatable", action="store_true", help="also the stock DataTable")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    databases = args.databases.split(",")
    if "postgres" in databases and not args.pg:
        print("PostgreSQL skipped: give --pg URL or set SEGMENT_TUI_TEST_PG")
        databases.remove("postgres")

    results: list[tuple[str, int, dict[str, list[float]], float | None]] = []
    for database in databases:
        for lines in sizes:
            if database == "sqlite":
                location = str(Path(tempfile.gettempdir()) / f"bench-ui-{lines}.db")
            else:
                location = postgres_location(args.pg, lines)
            print(f"{database}, {lines:,} lines: {location}", flush=True)
            build(location, lines)
            indexing = index_for_search(location) if database == "sqlite" else None
            needles = search_needles(location, lines)
            runs: dict[str, list[float]] = {operation: [] for operation in OPERATIONS}
            for _ in range(args.runs):
                for operation, seconds in asyncio.run(one_run(location, lines, needles)).items():
                    if operation in runs:
                        runs[operation].append(seconds)
            results.append((database, lines, runs, indexing))
            if database == "postgres" and not args.keep:
                drop_postgres(args.pg, lines)

    print(f"\nseconds, median of {args.runs} runs (min–max); target ≤ {TARGET} s")
    header = f"{'operation':<22}" + "".join(
        f"{f'{database} {lines:,}':>24}" for database, lines, _, _ in results
    )
    print(header)
    for operation in OPERATIONS:
        row = f"{operation:<22}"
        for _, _, runs, _ in results:
            values = runs[operation]
            flag = " " if statistics.median(values) <= TARGET else "!"
            row += f"{median_spread(values) + flag:>24}"
        print(row)
    for database, lines, _, indexing in results:
        if indexing is not None and indexing > 0.05:
            print(f"first search on {database} {lines:,}: keys built in {indexing:.1f} s (once)")

    if args.datatable and "sqlite" in databases:
        location = str(Path(tempfile.gettempdir()) / f"bench-ui-{sizes[0]}.db")
        seconds, rows = asyncio.run(datatable_first_paint(location))
        print(f"stock DataTable with the same {rows:,} lines: {seconds:.1f} s")
    if "sqlite" in databases:
        starts = cold_start(str(Path(tempfile.gettempdir()) / f"bench-ui-{sizes[0]}.db"))
        print(f"cold start to first frame (pty): {median_spread(starts)}")


if __name__ == "__main__":
    main()

"""The worksheet's speed (PRODUCT.md §8): a 100,000-line segment painted in the real
worksheet screen next to Textual's stock DataTable loading the same lines, and the
cold start of `segment-tui` to its first frame in a real pseudo-terminal.

    .venv/bin/python benchmarks/bench_ui.py [--lines N] [--db PATH] [--skip-datatable]

Targets: worksheet first paint ≤ 0.5 s; cold start ≤ 0.6 s.
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
from pathlib import Path

SIZE = (120, 40)


def build(path: Path, lines: int) -> str:
    """A database with one segment of ``lines`` lines; returns its number."""
    from segment_tui.db import open_database, write_transaction
    from segment_tui.models import Contact, SegmentHeader, SegmentLine
    from segment_tui.services.criteria import AddOptions, add_contacts
    from segment_tui.services.criteria_fields import parse_where
    from segment_tui.services.demo import seed_contacts, seed_setup
    from segment_tui.services.segments import create_segment

    open_database(str(path))
    for header in SegmentHeader.select():
        count = SegmentLine.select().where(SegmentLine.segment_no == header.no).count()
        if count == lines:
            return str(header.no)
    have = Contact.select().count()
    with write_transaction():
        seed_setup()
        if have < lines:
            seed_contacts(lines - have)
    numbers = [c.no for c in Contact.select(Contact.no).order_by(Contact.no).limit(lines)]
    no = create_segment("Big segment", template="LETTER", salesperson="BC")["no"]
    add_contacts(
        no, parse_where([f"no={numbers[0]}..{numbers[-1]}"]), AddOptions(ignore_exclusion=True)
    )
    return str(no)


async def worksheet_first_paint(location: str, segment_no: str) -> float:
    """Seconds from opening the worksheet to its first row on screen."""
    from segment_tui.ui.app import SegmentApp
    from segment_tui.ui.screens.worksheet import WorksheetScreen

    app = SegmentApp(location)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        start = time.perf_counter()
        await app.push_screen(WorksheetScreen(segment_no))
        screen = app.screen
        assert isinstance(screen, WorksheetScreen)
        # Poll at 2 ms: pilot.pause() waits for an idle CPU and would add ~60 ms.
        while screen.lines.get_row_at(0) is None or screen.lines.row_count == 0:  # noqa: ASYNC110
            await asyncio.sleep(0.002)
        await pilot.pause()  # the frame with the rows is drawn
        return time.perf_counter() - start


async def datatable_first_paint(location: str, segment_no: str) -> tuple[float, int]:
    """The same lines loaded into Textual's stock DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from segment_tui.services.segment_view import iter_lines
    from segment_tui.ui.screens.worksheet import LINE_COLUMNS
    from segment_tui.ui.sources import format_value

    class Plain(App[None]):
        def compose(self) -> ComposeResult:
            table: DataTable[str] = DataTable()
            for column in LINE_COLUMNS:
                table.add_column(column.label, width=column.width)
            yield table

    app = Plain()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        start = time.perf_counter()
        rows = [
            [format_value(c.key, record.get(c.key)) for c in LINE_COLUMNS]
            for record in iter_lines(segment_no)
        ]
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
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--skip-datatable", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"bench-ui-{args.lines}.db"
    segment_no = build(path, args.lines)
    print(f"database {path}: segment {segment_no} with {args.lines:,} lines")

    paints = [asyncio.run(worksheet_first_paint(str(path), segment_no)) for _ in range(3)]
    flag = "ok" if statistics.median(paints) <= 0.5 else "MISSES 0.5 s"
    print(
        f"worksheet first paint (VirtualTable): median {statistics.median(paints):.3f} s "
        f"of {', '.join(f'{p:.3f}' for p in paints)}  {flag}"
    )
    if not args.skip_datatable:
        seconds, rows = asyncio.run(datatable_first_paint(str(path), segment_no))
        print(f"stock DataTable with the same {rows:,} lines: {seconds:.1f} s")
    starts = cold_start(str(path))
    flag = "ok" if statistics.median(starts) <= 0.6 else "MISSES 0.6 s"
    print(
        f"cold start to first frame (pty): median {statistics.median(starts):.3f} s "
        f"of {', '.join(f'{s:.3f}' for s in starts)}  {flag}"
    )


if __name__ == "__main__":
    main()

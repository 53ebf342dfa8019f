"""Printouts of a big segment: labels, the Segment - Contacts report (PDF and CSV), Export
Contacts and cover sheets, with the time reportlab alone needs to draw the same number of
labels (the floor: no database, no address formatting, no fitting) in the same run.

    .venv/bin/python benchmarks/bench_printing.py [--lines N] [--cover N] [--db PATH] [--repeat R]

The database (N demo contacts on one segment) is built once under /tmp and reused.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def build(path: Path, lines: int) -> str:
    from segment_tui.db import open_database, write_transaction
    from segment_tui.models import Contact, SegmentHeader
    from segment_tui.services.criteria.actions import AddOptions, add_contacts
    from segment_tui.services.demo.seed import seed_contacts, seed_setup
    from segment_tui.services.segments.headers import create_segment

    open_database(str(path))
    existing = SegmentHeader.get_or_none(SegmentHeader.description == "Benchmark")
    if existing is not None:
        return str(existing.no)
    with write_transaction():
        seed_setup()
        seed_contacts(lines - int(Contact.select().count()))
    number = str(create_segment("Benchmark")["no"])
    add_contacts(number, [], AddOptions(ignore_exclusion=True))
    return number


def raw_labels(path: Path, count: int) -> None:
    """reportlab drawing ``count`` five-line labels, 24 to a page: the floor."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from segment_tui.services.printouts.pdf_text import fonts

    used = fonts()
    canvas = Canvas(str(path), pagesize=A4)
    for index in range(count):
        if index and index % 24 == 0:
            canvas.showPage()
        column, row = index % 3, (index % 24) // 3
        text = canvas.beginText(20 + column * 198, 800 - row * 102)
        text.setFont(used.regular, 10, 12)
        text.textLines([f"Contact {index}", "Company", "Street 1", "City", "COUNTRY"])
        canvas.drawText(text)
    canvas.save()


def timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--cover", type=int, default=2_000, help="cover sheets to print")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"segment-tui-bench-print-{args.lines}.db"
    number = build(db, args.lines)
    out = Path(tempfile.mkdtemp(prefix="bench-print-"))

    from segment_tui.services.printouts.cover_sheet_options import CoverSheetOptions
    from segment_tui.services.printouts.cover_sheets import print_cover_sheets
    from segment_tui.services.printouts.labels import print_labels
    from segment_tui.services.printouts.reports import (
        export_segment_contacts,
        segment_contacts_report,
    )

    runs: list[tuple[str, Callable[[], Any]]] = [
        ("labels (a4-3x8)", lambda: print_labels(number, out / "l.pdf")),
        ("labels, merged by address",
         lambda: print_labels(number, out / "m.pdf", merge_households=True)),
        ("reportlab alone, same number of labels", lambda: raw_labels(out / "r.pdf", args.lines)),
        ("Segment - Contacts (PDF)", lambda: segment_contacts_report(number, out / "c.pdf")),
        ("Segment - Contacts (CSV)", lambda: segment_contacts_report(number, out / "c.csv")),
        ("Export Contacts (CSV)", lambda: export_segment_contacts(number, out / "e.csv")),
    ]  # fmt: skip
    print(f"segment {number}: {args.lines:,} lines; files in {out}")
    for name, call in runs:
        times, _ = timed(call, args.repeat)
        spread = f"{min(times):.2f}–{max(times):.2f} s"
        print(f"{name:<42} median {statistics.median(times):6.2f} s  ({spread})")

    # Cover sheets: one page each, so a smaller segment of the first N lines.
    from segment_tui.db import write_transaction
    from segment_tui.models import SegmentLine
    from segment_tui.services.segments.headers import create_segment

    cover = str(create_segment("Cover benchmark")["no"])
    with write_transaction():
        rows = (
            SegmentLine.select(SegmentLine.contact_no)
            .where(SegmentLine.segment_no == number)
            .order_by(SegmentLine.line_no)
            .limit(args.cover)
        )
        SegmentLine.insert_many(
            [{"segment_no": cover, "line_no": (i + 1) * 10000, "contact_no": r.contact_no}
             for i, r in enumerate(rows)]
        ).execute()  # fmt: skip
    options = CoverSheetOptions(text=("Our spring catalogue is enclosed.",), remarks=("call",))
    times, result = timed(lambda: print_cover_sheets(cover, out / "s.pdf", options), args.repeat)
    per_page = statistics.median(times) / max(1, result.pages) * 1000
    spread = f"{min(times):.2f}–{max(times):.2f} s"
    print(
        f"{'cover sheets (' + format(result.pages, ',') + ' pages)':<42} median "
        f"{statistics.median(times):6.2f} s  ({spread}; {per_page:.1f} ms a page)"
    )


if __name__ == "__main__":
    main()

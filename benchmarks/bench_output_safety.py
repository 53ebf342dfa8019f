"""Benchmark: what formula neutralisation and escaped terminal output cost.

    .venv/bin/python benchmarks/bench_output_safety.py [--rows 100000] [--runs 3]

Two measurements, each beside the same work without the safety, in the same run:

* CSV: the demo's contacts (36 columns) written with the app's writer
  (:func:`segment_tui.services.csv_output.csv_writer`, every text cell checked, a
  formula-like one prefixed with ``'``) and with the plain :func:`csv.writer`. Every
  20th contact's name starts with ``=`` so the prefixing path runs too.
* Text: ``contacts list`` printed through :class:`segment_tui.printable.PrintableWriter`
  (every write scanned for control characters) and to the stream itself.

Three runs print each time, the median, the spread and the ratio safe / plain per run.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from segment_tui.cli.output import print_table  # noqa: E402
from segment_tui.db import close_database, open_database, write_transaction  # noqa: E402
from segment_tui.printable import PrintableWriter  # noqa: E402
from segment_tui.services.contacts.export import (  # noqa: E402
    EXPORT_COLUMNS,
    list_contacts,
    summary_columns,
)
from segment_tui.services.csv_output import csv_writer  # noqa: E402
from segment_tui.services.demo.seed import seed_contacts, seed_setup  # noqa: E402


def _timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    rows = [[r.get(c) for c in EXPORT_COLUMNS] for r in records]
    name = EXPORT_COLUMNS.index("name")
    for row in rows[::20]:
        row[name] = "=" + str(row[name])
    return rows


def _plain_csv(rows: list[list[Any]]) -> None:
    writer = csv.writer(io.StringIO())
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])


def _safe_csv(rows: list[list[Any]]) -> None:
    writer = csv_writer(io.StringIO())
    for row in rows:
        writer.writerow(row)


def _table(records: list[dict[str, Any]], safe: bool) -> None:
    sink = io.StringIO()
    print_table(records, summary_columns(), PrintableWriter(sink) if safe else sink)  # type: ignore[arg-type]


def report(label: str, safe: list[float], plain: list[float]) -> None:
    ratios = [s / p for s, p in zip(safe, plain, strict=True)]
    print(
        f"{label:<32} safe {statistics.median(safe):6.2f} s (spread {min(safe):.2f}-"
        f"{max(safe):.2f})  plain {statistics.median(plain):6.2f} s (spread {min(plain):.2f}-"
        f"{max(plain):.2f})  ratio {statistics.median(ratios):.2f} "
        f"({min(ratios):.2f}-{max(ratios):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        open_database(str(Path(folder) / "bench.db"))
        with write_transaction():
            seed_setup()
        seed_contacts(options.rows)
        records = list_contacts()
        close_database()
    rows = _rows(records)
    print(f"{len(records):,} contacts")
    csv_safe, csv_plain, text_safe, text_plain = [], [], [], []
    for _ in range(options.runs):
        csv_safe.append(_timed(lambda: _safe_csv(rows)))
        csv_plain.append(_timed(lambda: _plain_csv(rows)))
        text_safe.append(_timed(lambda: _table(records, True)))
        text_plain.append(_timed(lambda: _table(records, False)))
    report("CSV writer (36 columns)", csv_safe, csv_plain)
    report("contacts list table", text_safe, text_plain)


if __name__ == "__main__":
    main()

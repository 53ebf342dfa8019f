"""Benchmark: ``contacts import`` of 100,000 rows × 36 columns, beside a raw-SQL floor.

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--runs 3] [--pg URL]

Builds the file the way a user gets one: the demo's contacts (companies and persons,
classifications) exported by ``contacts export`` (36 columns). Each run imports it into
a fresh database holding only the demo setup, and in the same run times the floor:
the same rows read with the csv module and written with the driver's bulk insert
straight into the same indexed tables (contacts and classification links, one
transaction), with no checks at all. Three runs print each time, the median and the
spread, and the ratio import / floor per run.

With ``--pg postgresql://user@host:port/postgres`` the same is done on PostgreSQL
(databases ``bench_import_<pid>_<n>`` are created and dropped). Target (issue 10 §6):
≤ 3 s on SQLite for 100,000 rows. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from segment_tui.db import close_database, db, open_database, write_transaction  # noqa: E402
from segment_tui.services.contacts.bulk import CONTACT_COLUMNS, blank_value  # noqa: E402
from segment_tui.services.contacts.export import export_contacts  # noqa: E402
from segment_tui.services.contacts.fields import CLASSIFICATION_COLUMNS  # noqa: E402
from segment_tui.services.contacts.importing import import_contacts  # noqa: E402
from segment_tui.services.demo.seed import seed_contacts  # noqa: E402
from segment_tui.services.demo.setup_data import seed_setup  # noqa: E402


def build_file(rows: int, folder: Path) -> Path:
    """The demo's contacts exported to CSV (and a database with only the setup)."""
    source = folder / "source.db"
    open_database(str(source))
    with write_transaction():
        seed_setup()
        seed_contacts(rows)
    path = folder / f"contacts-{rows}.csv"
    export_contacts(path)
    close_database()
    empty = folder / "setup-only.db"
    open_database(str(empty))
    with write_transaction():
        seed_setup()
    close_database()
    return path


def raw_floor(path: Path) -> None:
    """The same rows into the same tables with the bulk insert and no checks."""
    from segment_tui.db import insert_rows

    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        index = {name: i for i, name in enumerate(header)}
        contact_cols = [c for c in CONTACT_COLUMNS if c in index]
        flags = {"exclude_from_segment", "privacy_blocked"}
        nullable = {c for c in contact_cols if blank_value(c) is None}
        links: dict[str, list[tuple[str, str]]] = {c: [] for c in CLASSIFICATION_COLUMNS}
        batch: list[tuple[Any, ...]] = []
        with write_transaction():
            for row in reader:
                values = []
                for c in contact_cols:
                    v = row[index[c]]
                    if c in flags:
                        values.append(v == "Yes")
                    else:
                        values.append(v or None if c in nullable else v)
                batch.append(tuple(values))
                for column in CLASSIFICATION_COLUMNS:
                    for code in row[index[column]].split(";") if row[index[column]] else ():
                        links[column].append((row[index["no"]], code))
                if len(batch) == 10_000:
                    insert_rows("contact", contact_cols, batch)
                    batch = []
            insert_rows("contact", contact_cols, batch)
            for column, pairs in links.items():
                table = CLASSIFICATION_COLUMNS[column]
                for start in range(0, len(pairs), 10_000):
                    insert_rows(
                        f"contact_{table}",
                        ["contact_no", f"{table}_code"],
                        pairs[start : start + 10_000],
                    )


@contextmanager
def fresh_sqlite(folder: Path, n: int) -> Iterator[str]:
    target = folder / f"run-{n}.db"
    shutil.copy(folder / "setup-only.db", target)
    yield str(target)
    target.unlink()


@contextmanager
def fresh_postgres(admin: str, n: int) -> Iterator[str]:
    import os

    import psycopg2

    name = f"bench_import_{os.getpid()}_{n}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        connection.cursor().execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
        open_database(url)
        with write_transaction():
            seed_setup()
        close_database()
        yield url
    finally:
        close_database()
        connection.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


CPU: dict[str, list[float]] = {"import": [], "raw": []}
"""CPU seconds per run: on a shared machine the wall clock mostly measures the others."""


def timed(location: str, work: Callable[[], Any], kind: str) -> float:
    open_database(location)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        work()
        seconds = time.perf_counter() - start
        CPU[kind].append(time.process_time() - cpu)
        count = db.execute_sql("SELECT COUNT(*) FROM contact").fetchone()[0]
        assert count > 0, "nothing was written"
        return seconds
    finally:
        close_database()


def report(label: str, ours: list[float], floor: list[float]) -> None:
    ratios = [o / f for o, f in zip(ours, floor, strict=True)]
    print(f"\n{label}")
    for name, times in (("import: ", ours), ("raw SQL:", floor)):
        listed = ", ".join(f"{t:.2f}" for t in times)
        median = statistics.median(times)
        spread = f"{min(times):.2f}–{max(times):.2f}"
        print(f"  {name} {listed} s  median {median:.2f} s  spread {spread} s")
    listed = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"  ratio import/raw per run: {listed}  (median {statistics.median(ratios):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", metavar="URL", help="also run on this PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        path = build_file(args.rows, folder)
        columns = len(next(csv.reader(path.open(encoding="utf-8"))))
        size = path.stat().st_size / 1e6
        print(f"{args.rows:,} rows × {columns} columns, {size:.0f} MB")
        backends: list[tuple[str, Callable[[int], Any]]] = [
            ("SQLite", lambda n: fresh_sqlite(folder, n))
        ]
        if args.pg:
            backends.append(("PostgreSQL", lambda n: fresh_postgres(args.pg, n)))
        for label, fresh in backends:
            ours: list[float] = []
            floor: list[float] = []
            for n in range(args.runs):
                with fresh(2 * n) as location:
                    ours.append(timed(location, lambda: import_contacts(path), "import"))
                with fresh(2 * n + 1) as location:
                    floor.append(timed(location, lambda: raw_floor(path), "raw"))
                cpu = f"(CPU {CPU['import'][-1]:.2f} s / {CPU['raw'][-1]:.2f} s)"
                print(f"  run {n + 1}: import {ours[-1]:.2f} s, raw {floor[-1]:.2f} s {cpu}")
            report(f"{label} ({dialect_name(label)}), wall clock", ours, floor)
            report(f"{label}, CPU time of this process", CPU["import"], CPU["raw"])
            CPU["import"].clear()
            CPU["raw"].clear()


def dialect_name(label: str) -> str:
    return "target ≤ 3 s" if label == "SQLite" else "no target; must work"


if __name__ == "__main__":
    main()

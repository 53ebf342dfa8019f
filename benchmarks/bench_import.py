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
import io
import itertools
import operator
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

from segment_tui.db import (  # noqa: E402
    close_database,
    db,
    dialect,
    open_database,
    write_transaction,
)
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


def raw_floor(path: Path, count: int) -> None:
    """The same rows into the same tables, with the driver's fastest bulk path and no
    checks, in one transaction.

    As fast as raw SQL gets, with the import's own means where they are not checks. On
    SQLite: rows bound a few hundred at a time while they are in the processor's cache,
    empty cells and Yes/No turned into NULL and booleans by SQL in the insert itself, and
    the contact table's secondary indexes built afresh after the insert under the
    import's rule (``import_indexes``): the same rows end in the same indexed tables. On
    PostgreSQL: one ``COPY`` per table (the insert trigger keys the contacts once, as it
    does for the import's one ``INSERT … SELECT``)."""
    from segment_tui.services.contacts.import_indexes import indexes_rebuilt

    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        index = {name: i for i, name in enumerate(header)}
        columns = [c for c in CONTACT_COLUMNS if c in index]
        pick = operator.itemgetter(*(index[c] for c in columns))
        no = index["no"]
        link_columns = [(index[c], c) for c in CLASSIFICATION_COLUMNS if c in index]
        links: dict[str, list[tuple[str, str]]] = {c: [] for _, c in link_columns}

        def contacts() -> Iterator[list[Any]]:
            while batch := list(itertools.islice(reader, RAW_BATCH)):
                yield list(map(pick, batch))
                for row in batch:
                    for at, column in link_columns:
                        if row[at]:
                            codes = row[at].split(";")
                            links[column].extend((row[no], code) for code in codes)

        with write_transaction():
            if dialect() == "postgres":
                _copy("contact", columns, (_copy_line(columns, r) for b in contacts() for r in b))
            else:
                with indexes_rebuilt("contact", count):
                    exprs = [_raw_value(c) for c in columns]
                    marks = ", ".join(exprs)
                    sql = f"INSERT INTO contact ({', '.join(columns)}) VALUES ({marks})"
                    for rows in contacts():
                        db.cursor().executemany(sql, rows)
            for column, pairs in links.items():
                table = CLASSIFICATION_COLUMNS[column]
                names = ["contact_no", f"{table}_code"]
                if dialect() == "postgres":
                    _copy(f"contact_{table}", names, (f"{a}\t{b}\n" for a, b in pairs))
                    continue
                sql = f"INSERT INTO contact_{table} ({', '.join(names)}) VALUES (?, ?)"
                for start in range(0, len(pairs), RAW_BATCH):
                    db.cursor().executemany(sql, pairs[start : start + RAW_BATCH])


RAW_BATCH = 250
FLAGS = ("exclude_from_segment", "privacy_blocked")


def _raw_value(column: str) -> str:
    """The SQL that stores a cell of ``column`` (SQLite; ``?`` stands for the cell)."""
    if column in FLAGS:
        return "(? = 'Yes')"
    return "NULLIF(?, '')" if blank_value(column) is None else "?"


def _copy_line(columns: list[str], row: list[str]) -> str:
    """A row in ``COPY``'s text format: NULL for empty references, t/f for Yes/No."""
    cells = []
    for column, cell in zip(columns, row, strict=True):
        if column in FLAGS:
            cells.append("t" if cell == "Yes" else "f")
        elif not cell and blank_value(column) is None:
            cells.append("\\N")
        else:
            cells.append(cell.replace("\\", "\\\\").replace("\t", "\\t"))
    return "\t".join(cells) + "\n"


class _Lines(io.TextIOBase):
    """A file ``COPY`` reads, made of lines produced on demand (bounded memory)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.buffer = ""

    def read(self, size: int | None = -1) -> str:
        want = size if size is not None and size >= 0 else 1 << 62
        while len(self.buffer) < want:
            chunk = "".join(itertools.islice(self.lines, 1000))
            if not chunk:
                break
            self.buffer += chunk
        text, self.buffer = self.buffer[:want], self.buffer[want:]
        return text


def _copy(table: str, columns: list[str], lines: Iterator[str]) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    db.cursor().copy_expert(sql, _Lines(lines), size=1 << 16)


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

STEPS: dict[str, list[tuple[float, float]]] = {}
"""Wall and CPU seconds of each step of the import, one pair per run."""


def clock_steps() -> None:
    """Time each step of the import: the functions ``importing`` calls, wrapped."""
    from segment_tui.services.contacts import bulk, import_plan, import_store, importing

    def clock(owner: Any, name: str, label: str) -> None:
        work = getattr(owner, name)

        def clocked(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return work(*args, **kwargs)
            finally:
                spent = (time.perf_counter() - start, time.process_time() - cpu)
                STEPS.setdefault(label, []).append(spent)

        setattr(owner, name, clocked)

    clock(importing, "load_stage", "read, clean and stage the file")
    clock(importing, "check_cells", "check the cells")
    clock(import_plan, "plan_rows", "plan the rows")
    clock(import_store, "number_rows", "number the new contacts")
    clock(import_store, "store_plan", "write the plan")
    clock(bulk, "insert_planned", "insert the contacts")
    clock(bulk, "link_classifications", "insert the classification links")
    rebuilt = getattr(importing, "indexes_rebuilt")  # noqa: B009 - the name the import calls

    @contextmanager
    def clocked_indexes(table: str, adding: int) -> Iterator[list[str]]:
        with rebuilt(table, adding) as dropped:
            yield dropped
            start, cpu = time.perf_counter(), time.process_time()
        spent = (time.perf_counter() - start, time.process_time() - cpu)
        STEPS.setdefault("build the contact indexes", []).append(spent)

    setattr(importing, "indexes_rebuilt", clocked_indexes)  # noqa: B010


def report_steps(total: list[float], cpu: list[float]) -> None:
    """The median of each step over the runs, and what the steps leave (the commit)."""
    print("  median per step:                     wall      CPU")
    walls = cpus = 0.0
    for label, spent in STEPS.items():
        wall, used = (statistics.median(s[i] for s in spent) for i in (0, 1))
        walls, cpus = walls + wall, cpus + used
        print(f"    {label:34s} {wall:6.2f} s {used:6.2f} s")
    rest = statistics.median(total) - walls, statistics.median(cpu) - cpus
    print(f"    {'the rest (commit, analyze, …)':34s} {rest[0]:6.2f} s {rest[1]:6.2f} s")
    STEPS.clear()


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
    clock_steps()
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
                    floor.append(timed(location, lambda: raw_floor(path, args.rows), "raw"))
                cpu = f"(CPU {CPU['import'][-1]:.2f} s / {CPU['raw'][-1]:.2f} s)"
                print(f"  run {n + 1}: import {ours[-1]:.2f} s, raw {floor[-1]:.2f} s {cpu}")
            report(f"{label} ({dialect_name(label)}), wall clock", ours, floor)
            report(f"{label}, CPU time of this process", CPU["import"], CPU["raw"])
            report_steps(ours, CPU["import"])
            CPU["import"].clear()
            CPU["raw"].clear()


def dialect_name(label: str) -> str:
    return "target ≤ 3 s" if label == "SQLite" else "no target; must work"


if __name__ == "__main__":
    main()

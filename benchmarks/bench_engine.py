"""Segment engine speed (PRODUCT.md §8): a 1,000,000-contact database, a criteria that
selects 100,000 contacts, and each set operation beside the time raw sqlite3 needs for
the equivalent INSERT…SELECT / DELETE in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--contacts N] [--db PATH] [--keep]

The database is built once (bulk insert) and reused when --db points at an existing file.
Targets: add ≤ 1 s, go back ≤ 1 s, log ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGETS = {"add": 1.0, "go back (of the add)": 1.0, "log": 1.5}


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def build(path: Path, contacts: int) -> None:
    from segment_tui.db import open_database, write_transaction
    from segment_tui.models import Contact
    from segment_tui.services.demo import seed_contacts, seed_setup

    open_database(str(path))
    have = Contact.select().count()
    if have >= contacts:
        return
    with write_transaction():
        seed_setup()
        seed_contacts(contacts - have)


def raw(path: Path, sql: str, params: tuple[Any, ...] = ()) -> float:
    """One statement in its own transaction on a plain sqlite3 connection."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(sql, params)
        connection.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        connection.close()


def raw_into_segment_line(path: Path, first: str, last: str) -> float:
    """The floor for Add: the same INSERT…SELECT into segment_line itself (its three
    indexes and foreign keys), rolled back."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO segment_header (no, description) VALUES ('RAW', 'raw')")
        start = time.perf_counter()
        connection.execute(
            "INSERT INTO segment_line (segment_no, line_no, contact_no, salesperson_code, "
            "correspondence_type, cost_lcy, duration_min, description, contact_company_no, "
            "interaction_template_code, language_code, attachment_no, information_flow, "
            "initiated_by, date, interaction_group_code, subject, line_note, added_by_action) "
            "SELECT 'RAW', 10000 * ROW_NUMBER() OVER (ORDER BY company_name, company_no, type, "
            "name, no), no, COALESCE('BC', salesperson_code), 'hard_copy', 2.5, 5, 'Benchmark', "
            "COALESCE(company_no, ''), 'LETTER', 'ENU', NULL, 'outbound', 'us', '2026-03-02', "
            "'LETTER', '', '', 1 FROM contact WHERE no BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 "
            "FROM segment_line p WHERE p.segment_no = 'RAW' AND p.contact_no = contact.no)",
            (first, last),
        )
        seconds = time.perf_counter() - start
        connection.execute("ROLLBACK")
        return seconds
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--select", type=int, default=100_000, help="contacts the criteria select")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"bench-engine-{args.contacts}.db"

    seconds, _ = timed(lambda: build(path, args.contacts))
    print(f"database: {path} ({args.contacts:,} contacts; built/checked in {seconds:.1f} s)")

    from segment_tui.db import db
    from segment_tui.models import Contact
    from segment_tui.services.criteria import AddOptions, add_contacts, preview_add, remove_contacts
    from segment_tui.services.criteria_fields import parse_where
    from segment_tui.services.go_back import go_back
    from segment_tui.services.log_segment import log_segment
    from segment_tui.services.segments import create_segment

    numbers = [
        r[0] for r in db.execute_sql("SELECT no FROM contact ORDER BY no LIMIT 1 OFFSET ?", (0,))
    ]
    first = numbers[0]
    last = db.execute_sql(
        "SELECT no FROM contact ORDER BY no LIMIT 1 OFFSET ?", (args.select - 1,)
    ).fetchone()[0]
    tenth = db.execute_sql(
        "SELECT no FROM contact ORDER BY no LIMIT 1 OFFSET ?", (args.select // 10 - 1,)
    ).fetchone()[0]
    selection = parse_where([f"no={first}..{last}"])
    options = AddOptions(ignore_exclusion=True)
    segment = create_segment("Benchmark", template="LETTER", salesperson="BC")["no"]

    rows: list[tuple[str, float, str, float | None]] = []
    t, preview = timed(lambda: preview_add(segment, selection, options))
    rows.append(("preview count", t, f"would add {preview.would_add:,}", None))

    # Raw equivalent: the same contacts copied into a scratch table with INSERT…SELECT.
    raw(path, "DROP TABLE IF EXISTS bench_lines")
    raw(path, "CREATE TABLE bench_lines AS SELECT * FROM segment_line WHERE 0")
    raw_add = raw(
        path,
        "INSERT INTO bench_lines (segment_no, line_no, contact_no, salesperson_code, "
        "correspondence_type, cost_lcy, duration_min, description, contact_company_no, "
        "interaction_template_code, language_code) SELECT 'X', 10000 * ROW_NUMBER() OVER "
        "(ORDER BY company_name, company_no, type, name, no), no, salesperson_code, "
        "correspondence_type, 2.5, 5, 'Benchmark', COALESCE(company_no, ''), 'LETTER', "
        "language_code FROM contact WHERE no BETWEEN ? AND ?",
        (first, last),
    )
    raw_floor = raw_into_segment_line(path, first, last)
    t, added = timed(lambda: add_contacts(segment, selection, options))
    rows.append(("add", t, f"{added.added:,} lines", raw_add))
    rows.append(("  raw into segment_line", raw_floor, "same statement, indexes and FKs", None))

    reduce_filter = parse_where([f"no={first}..{tenth}"])
    raw_delete = raw(
        path, "DELETE FROM bench_lines WHERE contact_no BETWEEN ? AND ?", (first, tenth)
    )
    t, reduced = timed(lambda: remove_contacts(segment, reduce_filter, "reduce"))
    rows.append(("reduce (10 %)", t, f"{reduced.removed:,} removed", raw_delete))
    t, back = timed(lambda: go_back(segment))
    rows.append(("go back (of the reduce)", t, f"{back.restored:,} restored", None))

    raw_refine = raw(
        path, "DELETE FROM bench_lines WHERE NOT (contact_no BETWEEN ? AND ?)", (first, tenth)
    )
    t, refined = timed(lambda: remove_contacts(segment, reduce_filter, "refine"))
    rows.append(("refine (keep 10 %)", t, f"{refined.removed:,} removed", raw_refine))
    t, back = timed(lambda: go_back(segment))
    rows.append(("go back (of the refine)", t, f"{back.restored:,} restored", None))

    raw_back = raw(path, "DELETE FROM bench_lines")
    t, back = timed(lambda: go_back(segment))
    rows.append(("go back (of the add)", t, f"{back.removed:,} removed", raw_back))

    add_contacts(segment, selection, options)
    Contact.update(email="bench@example.com").where(Contact.email == "").execute()
    raw(
        path,
        "CREATE TABLE IF NOT EXISTS bench_entries AS SELECT * FROM interaction_log_entry WHERE 0",
    )
    raw_log = raw(
        path,
        "INSERT INTO bench_entries (contact_no, contact_company_no, date, description, "
        "cost_lcy, duration_min, interaction_template_code, segment_no, salesperson_code, "
        "correspondence_type, subject) SELECT contact_no, contact_company_no, date, description, "
        "cost_lcy, duration_min, interaction_template_code, segment_no, salesperson_code, "
        "correspondence_type, subject FROM segment_line WHERE segment_no = ? ORDER BY line_no",
        (segment,),
    )
    t, logged = timed(lambda: log_segment(segment))
    rows.append(("log", t, f"{logged.entries:,} entries", raw_log))
    # Leave the database as found, so the next run measures the same state.
    raw(
        path,
        "DELETE FROM interaction_log_entry WHERE logged_segment_entry_no = ?",
        (logged.logged_segment_entry_no,),
    )
    raw(path, "DELETE FROM logged_segment WHERE entry_no = ?", (logged.logged_segment_entry_no,))
    raw(path, "DROP TABLE bench_lines")
    raw(path, "DROP TABLE bench_entries")

    print(f"\n{'operation':<26} {'segment-tui':>12} {'raw sqlite3':>12}  result")
    for name, seconds, result, raw_seconds in rows:
        target = TARGETS.get(name)
        flag = "" if target is None else ("  ok" if seconds <= target else f"  MISSES {target} s")
        raw_text = f"{raw_seconds:.3f} s" if raw_seconds is not None else "-"
        print(f"{name:<26} {seconds:>10.3f} s {raw_text:>12}  {result}{flag}")


if __name__ == "__main__":
    main()

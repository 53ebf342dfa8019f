"""Interaction statistics speed (docs/interactions.md): 1,000,000 interaction log entries
of 100,000 contacts; each view of ``interactions stats`` and one company's contact
statistics, beside a plain GROUP BY over the same rows with raw sqlite3 in the same run.

    .venv/bin/python benchmarks/bench_stats.py [--entries N] [--contacts N] [--db PATH]

The database is built once (SQL INSERT…SELECT) and reused when --db names an existing
file. Each figure is the best and worst of 3 runs (timings on a shared machine are noisy;
compare the ratio to raw SQL measured in the same run).
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(call: Callable[[], Any], runs: int = 3) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times), max(times)


def build(path: Path, contacts: int, entries: int) -> None:
    from segment_tui.db import db, open_database, write_transaction
    from segment_tui.models import Contact, InteractionLogEntry
    from segment_tui.services.demo.seed import seed_contacts, seed_setup

    open_database(str(path))
    if InteractionLogEntry.select().count() >= entries:
        return
    with write_transaction():
        seed_setup()
        have = Contact.select().count()
        if have < contacts:
            seed_contacts(contacts - have)
    with write_transaction():
        # Entries spread over the contacts, templates, two years; 1 in 9 canceled, 1 in 7
        # failed, half initiated by us. Contacts are numbered by row so the modulo works.
        db.execute_sql(
            "CREATE TEMP TABLE pick AS SELECT row_number() OVER (ORDER BY no) - 1 AS n, no, "
            "company_no FROM contact"
        )
        total = Contact.select().count()
        db.execute_sql(
            f"""
            WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {entries - 1})
            INSERT INTO interaction_log_entry (contact_no, contact_company_no, date, description,
                cost_lcy, duration_min, interaction_template_code, interaction_group_code,
                canceled, attempt_failed, initiated_by, line_note)
            SELECT p.no, COALESCE(p.company_no, ''), date('2025-01-01', '+' || (i % 700) || ' days'),
                'Bench', (i % 50) * 0.5, i % 60,
                CASE i % 4 WHEN 0 THEN 'LETTER' WHEN 1 THEN 'NEWS' WHEN 2 THEN 'OUTCALL' ELSE 'MEETING' END,
                CASE i % 4 WHEN 0 THEN 'LETTER' WHEN 1 THEN 'EMAIL' WHEN 2 THEN 'PHONE' ELSE 'MEETING' END,
                i % 9 = 0, i % 7 = 0, CASE WHEN i % 2 = 0 THEN 'us' ELSE 'them' END, ''
            FROM seq JOIN pick p ON p.n = (i * 7919) % {total}
            """  # noqa: E501
        )


def raw(path: Path, sql: str) -> Callable[[], Any]:
    def run() -> Any:
        connection = sqlite3.connect(path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"bench_stats_{args.entries}.db"
    started = time.perf_counter()
    build(path, args.contacts, args.entries)
    print(f"database {path} ready in {time.perf_counter() - started:.1f} s")

    from segment_tui.models import Contact
    from segment_tui.services.interactions.stats import contact_statistics, statistics

    company = Contact.select(Contact.no).where(Contact.type == "company").limit(1).scalar()
    plain = "SELECT {col}, count(*), sum(cost_lcy), sum(duration_min), max(date) FROM interaction_log_entry WHERE canceled = 0 GROUP BY {col}"  # noqa: E501
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any] | None]] = [
        ("stats --by template", lambda: statistics("template"),
         raw(path, plain.format(col="interaction_template_code"))),
        ("stats --by group", lambda: statistics("group"),
         raw(path, plain.format(col="interaction_group_code"))),
        # The fastest plain form: grouping on an expression scans instead of walking the
        # (contact_no, date) index with a random row fetch each (4x slower here).
        ("stats --by contact", lambda: statistics("contact"),
         raw(path, plain.format(col="coalesce(contact_no, '')"))),
        ("stats --by template --where ile.date=2026-01-01..",
         lambda: statistics("template", ["ile.date=2026-01-01.."]), None),
        (f"contact statistics of company {company}", lambda: contact_statistics(company), None),
    ]  # fmt: skip
    for name, call, floor in cases:
        best, worst = timed(call)
        line = f"{name:<52} {best:6.2f}–{worst:.2f} s"
        if floor is not None:
            raw_best, raw_worst = timed(floor)
            line += f"   (raw GROUP BY: {raw_best:.2f}–{raw_worst:.2f} s, ×{best / raw_best:.1f})"
        print(line)


if __name__ == "__main__":
    main()

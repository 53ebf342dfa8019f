"""Plans that stay good at scale, pinned without timing (docs/engine.md).

Adding to a segment that already holds k lines must examine about as many rows as adding
to an empty one ("is this contact already on the segment?" is one index probe per
contact, not a scan of the segment), issue the same statements whatever k is, and bulk
writes must leave the planner statistics that describe the tables' new sizes.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from segment_tui.db import analyze, db, insert_rows
from segment_tui.services.criteria.actions import AddOptions, add_contacts, remove_contacts
from segment_tui.services.criteria.go_back import go_back
from tests.engine.support import new_segment, where

K = 2_000


def insert_bulk_contacts(count: int, first: int = 1) -> None:
    """``count`` persons numbered K0000001… (no classifications), in one statement batch."""
    insert_rows(
        "contact",
        ["no", "type", "name", "company_name", "city", "email"],
        [
            (f"K{i:07d}", "person", f"Person {i * 7919 % 10007:05d}", "", "London", "x@y.z")
            for i in range(first, first + count)
        ],
    )


@contextmanager
def counting_vm_steps() -> Iterator[list[int]]:
    """SQLite's virtual-machine steps (in thousands) spent inside the block: a measure of
    the rows examined that does not depend on the machine's speed."""
    connection: sqlite3.Connection = db.connection()
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    connection.set_progress_handler(tick, 1_000)
    try:
        yield steps
    finally:
        connection.set_progress_handler(None, 0)


@contextmanager
def capturing_statements() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The SQL statements (with parameters) peewee sends inside the block."""
    statements: list[tuple[str, tuple[Any, ...]]] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.msg, tuple) and len(record.msg) == 2:
                sql, params = record.msg
                statements.append((str(sql), tuple(params or ())))

    logger = logging.getLogger("peewee")
    handler = Capture(level=logging.DEBUG)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def line_insert(statements: list[tuple[str, tuple[Any, ...]]]) -> tuple[str, tuple[Any, ...]]:
    (found,) = [s for s in statements if s[0].startswith('INSERT INTO "segment_line"')]
    return found


def add_range(segment: str, first: int, last: int) -> int:
    result = add_contacts(
        segment, where(f"no=K{first:07d}..K{last:07d}"), AddOptions(ignore_exclusion=True)
    )
    return result.added


@pytest.fixture
def many(cronus: object) -> None:
    insert_bulk_contacts(2 * K)


def test_adding_to_a_segment_of_k_lines_examines_no_more_rows_than_adding_to_an_empty_one(
    many: None,
) -> None:
    empty, full = new_segment("Empty"), new_segment("Full")
    assert add_range(full, 1, K) == K
    with counting_vm_steps() as into_empty:
        assert add_range(empty, K + 1, 2 * K) == K
    with counting_vm_steps() as into_full:
        assert add_range(full, K + 1, 2 * K) == K
    # Without an index answering "already on the segment?", every candidate scans the
    # segment's lines: k x k rows, several hundred times the steps of the empty case.
    assert into_full[0] <= 2 * into_empty[0], (into_full[0], into_empty[0])


def test_the_already_on_the_segment_check_probes_the_contact_and_segment_index(
    many: None,
) -> None:
    segment = new_segment()
    add_range(segment, 1, K)
    with capturing_statements() as statements:
        add_range(segment, K + 1, 2 * K)
    sql, params = line_insert(statements)
    plan = " | ".join(row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "segment_line_contact_no_segment_no (contact_no=? AND segment_no=?)" in plan, plan


def test_add_sends_the_same_statements_for_ten_contacts_as_for_two_thousand(
    many: None,
) -> None:
    def statements_of(call: Callable[[], object]) -> list[str]:
        with capturing_statements() as statements:
            call()
        # The statistics refresh (only for the big one) aside, statement by statement.
        return [sql.split(" WHERE ")[0] for sql, _ in statements if not statistics(sql)]

    def statistics(sql: str) -> bool:
        return sql.startswith(("ANALYZE", "PRAGMA", "SELECT stat ", "SELECT 1 FROM sqlite_m"))

    small, big = new_segment(), new_segment()
    assert statements_of(lambda: add_range(small, 1, 10)) == statements_of(
        lambda: add_range(big, 1, K)
    )


def stat_rows(table: str) -> int:
    if not db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).fetchone():
        return 0
    return len(db.execute_sql("SELECT 1 FROM sqlite_stat1 WHERE tbl = ?", (table,)).fetchall())


def test_bulk_actions_refresh_the_statistics_and_small_ones_do_not(many: None) -> None:
    segment = new_segment()
    add_range(segment, 1, 10)
    assert stat_rows("segment_line") == 0, "ten lines do not warrant an ANALYZE"
    add_range(segment, 11, K)
    assert stat_rows("segment_line") > 0 and stat_rows("segment_history") > 0
    remove_contacts(segment, where(f"no=K0000001..K{K - 5:07d}"), "reduce")
    assert planner_rows("segment_line") <= 50
    go_back(segment)
    # approximate (ANALYZE reads a sample), but the new size, not the old one
    assert planner_rows("segment_line") >= 0.9 * K


def planner_rows(table: str) -> int:
    (stat,) = db.execute_sql(
        "SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", (table,)
    ).fetchone()
    return int(stat.split()[0])


def test_analyze_skips_tables_a_write_barely_changed(cronus: object) -> None:
    insert_bulk_contacts(20_000)
    assert analyze(["contact"], changed_rows=999) == [], "under 1,000 rows: never"
    assert analyze(["contact"], changed_rows=1_000) == ["contact"], "never analysed yet"
    # the statistics count rows from a sample: well under and well over 10 % of 20,000
    assert analyze(["contact"], changed_rows=1_200) == [], "6 % of the table"
    assert analyze(["contact"], changed_rows=5_000) == ["contact"], "25 % of the table"
    assert analyze(["contact"]) == ["contact"], "no count given: always"


def test_go_back_of_a_reduce_costs_the_same_on_a_big_segment_as_on_a_small_one(
    many: None,
) -> None:
    small, big = new_segment("Small"), new_segment("Big")
    add_range(small, 1, 40)
    add_range(big, 1, K)
    steps = []
    for segment in (small, big):
        remove_contacts(segment, where("no=K0000001..K0000020"), "reduce")
        with counting_vm_steps() as counted:
            assert go_back(segment).restored == 20
        steps.append(counted[0])
    # Each restored contact's earlier insertion is one index probe; reading the segment's
    # whole history instead costs steps in proportion to its 2,000 lines.
    assert steps[1] <= 2 * steps[0] + 5, steps

"""Reading query plans in tests: which statements a call runs, and how the database
plans each (SQLite's ``EXPLAIN QUERY PLAN``, PostgreSQL's ``EXPLAIN``).

Plans are pinned instead of timings: "End reads the last page through the index, with no
OFFSET and no sort" holds on any machine, a time limit does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from segment_tui.db import db, dialect

Statement = tuple[str, tuple[Any, ...]]


@contextmanager
def recorded() -> Iterator[list[Statement]]:
    """Record every statement run through the database while the block runs."""
    statements: list[Statement] = []
    database = db.obj
    original = database.execute_sql

    def execute_sql(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        statements.append((sql, tuple(params or ())))
        return original(sql, params, *args, **kwargs)

    database.execute_sql = execute_sql
    try:
        yield statements
    finally:
        del database.execute_sql


def statements_of(call: Callable[[], Any]) -> list[Statement]:
    """The statements ``call`` runs."""
    with recorded() as statements:
        call()
    return statements


def plan(statement: Statement) -> str:
    """The plan of one statement as one line per step."""
    sql, params = statement
    if dialect() == "sqlite":
        rows = db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        return "\n".join(str(row[3]) for row in rows)
    rows = db.execute_sql(f"EXPLAIN {sql}", params).fetchall()
    return "\n".join(str(row[0]) for row in rows)


def plans_of(call: Callable[[], Any]) -> list[tuple[str, str]]:
    """(SQL, plan) of every SELECT ``call`` runs."""
    return [
        (sql, plan((sql, params)))
        for sql, params in statements_of(call)
        if sql.lstrip().upper().startswith("SELECT")
    ]

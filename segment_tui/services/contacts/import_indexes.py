"""The contact table's secondary indexes, built afresh after a large import (SQLite).

Inserting 100,000 contacts keeps sixteen secondary indexes (name, city, e-mail, …) up to
date one row at a time: random inserts into sixteen b-trees. Building an index from the
finished table sorts once and writes the b-tree in order, at about half the cost. So
when an import adds many contacts compared with what the table holds
(:data:`REBUILD_MIN_ROWS`, :data:`REBUILD_SHARE`), the indexes are dropped before the
insert and created again right after it — with the same statements, read from the
schema, inside the import's write transaction.

SQLite's schema changes are part of the transaction: a failed import rolls the drop
back with the rest, and after a ``kill -9`` the uncommitted write-ahead log is ignored,
so the database is as it was, indexes included. Readers (WAL) keep the snapshot they
started with, indexes included, and see the new contacts and the rebuilt indexes
together at the commit. PostgreSQL is left alone: ``DROP INDEX`` would lock every
reader out of the table until the commit.

Unique indexes are kept: they are constraints, and an insert must meet them as it goes.
So is the index on ``company_no``: SQLite looks a company's persons up by it when a
foreign key is pending (:func:`secondary_indexes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from segment_tui.db import db, dialect

REBUILD_MIN_ROWS = 10_000
"""Imports adding fewer contacts keep the indexes (a rebuild costs a scan of the table)."""
REBUILD_SHARE = 1.0
"""An import adding at least as many contacts as the table holds rebuilds them: measured
where the two costs cross (100,000 contacts into 0: 1.1 s instead of 1.9 s of CPU; into
50,000: 4.1 s instead of 4.4 s in all; into 100,000: the same; into 200,000 or more,
keeping them is cheaper; docs/contacts-import.md, "Speed")."""


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes created on ``table`` by ``CREATE INDEX``
    that are not unique and do not lead with a column referencing ``table`` itself
    (SQLite). That one stays: SQLite looks rows up by it to check the table's own foreign
    key (a person's ``company_no``) when a row goes in before the row it points at."""
    listed = db.execute_sql(f'PRAGMA index_list("{table}")').fetchall()
    references = db.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall()
    # foreign_key_list: (id, seq, table, from, to, …); index_list: (seq, name, unique,
    # origin, partial), origin "c" = CREATE INDEX; index_info: (seqno, cid, name).
    own = {row[3] for row in references if row[2] == table}
    found: list[tuple[str, str]] = []
    for name in sorted(row[1] for row in listed if row[3] == "c" and not row[2]):
        leading = db.execute_sql(f'PRAGMA index_info("{name}")').fetchone()
        if leading is not None and leading[2] in own:
            continue
        (sql,) = db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).fetchone()
        found.append((name, sql))
    return found


def rebuilds(table: str, adding: int) -> bool:
    """Whether adding ``adding`` rows to ``table`` is cheaper with its indexes rebuilt."""
    if dialect() != "sqlite" or adding < REBUILD_MIN_ROWS:
        return False
    (holding,) = db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()
    return adding >= REBUILD_SHARE * int(holding)


@contextmanager
def indexes_rebuilt(table: str, adding: int) -> Iterator[list[str]]:
    """Inside a write transaction: drop ``table``'s secondary indexes for the block when
    :func:`rebuilds` says so, and create them again after it. Yields the names of the
    indexes dropped (none when they are kept). On an error the indexes are not created
    again here: the transaction must roll back, which restores them."""
    if not rebuilds(table, adding):
        yield []
        return
    if not db.in_transaction():
        raise RuntimeError("indexes_rebuilt needs the import's write transaction")
    indexes = secondary_indexes(table)
    for name, _ in indexes:
        db.execute_sql(f'DROP INDEX "{name}"')
    yield [name for name, _ in indexes]
    for _, sql in indexes:
        db.execute_sql(sql)

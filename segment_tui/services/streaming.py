"""Reading big results a batch at a time, and reporting progress while doing it.

The command line prints segments of 1,000,000 lines, exports 1,000,000 contacts and
lists every interaction log entry. Building such a result as one list costs a gigabyte,
so the services that feed those commands run one query and fetch its rows from one
cursor a batch at a time (SQLite steps the statement as rows are fetched; PostgreSQL
reads a server-side cursor, ``DECLARE … FETCH``), and the command writes each record as
it comes (docs/streaming.md).

Long operations report progress through a :data:`Progress` callback the caller passes;
the service never draws anything itself. A caller that shows no progress passes None,
and the service then skips work done only for the display (such as counting the total).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, TypeVar

import peewee
from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    Field,
    FieldAlias,
    Function,
    IntegerField,
    Node,
    TextField,
)

from segment_tui.db import db, dialect
from segment_tui.models.fields import CodeField

R = TypeVar("R")

Progress = Callable[[str, int, int | None], None]
"""``progress(step, done, total)``: ``step`` names the phase ("contacts"), ``done`` counts
what is finished, ``total`` is the expected count (None when unknown)."""

BATCH = 5000
"""Rows per fetch: big enough that the per-fetch cost vanishes, small enough that a batch
of wide records stays a few megabytes."""


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Read every batch of a stream from one snapshot of the database.

    Without it a segment printed while someone adds lines could show a header counting
    100 lines followed by 140. SQLite keeps a read transaction's snapshot (WAL); PostgreSQL
    needs REPEATABLE READ for that. Inside a caller's transaction, that one is used.
    """
    if db.in_transaction():
        yield
        return
    with db.atomic():
        if dialect() == "postgres":
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


_cursor_numbers = itertools.count(1)


def _fetched(query: Any, size: int) -> Iterator[tuple[Any, list[tuple[Any, ...]]]]:
    """(cursor description, rows) of ``query``, ``size`` rows at a time, from one cursor.

    PostgreSQL: psycopg2's ordinary cursor would read every row into memory first, so the
    rows come from a server-side cursor, planned for reading all of them
    (``cursor_tuple_fraction``: the default plans for the first 10 % and picks nested
    loops, 3x slower over a million rows than the hash joins of the plain query), and
    without JIT compilation: a plan that costly gets its expressions compiled and
    optimised by LLVM, which for the many expressions of a query writing JSON or CSV
    lines took longer than running it (10–30 s for 1,000,000 contacts on a loaded machine).
    """
    sql, params = query.sql()
    if dialect() == "sqlite":
        cursor = db.execute_sql(sql, params)
        try:
            while rows := cursor.fetchmany(size):
                yield cursor.description, rows
        finally:
            cursor.close()
        return
    name = f"segment_tui_stream_{next(_cursor_numbers)}"
    db.execute_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    db.execute_sql("SET LOCAL jit = off")
    db.execute_sql(f"DECLARE {name} NO SCROLL CURSOR FOR {sql}", params)
    try:
        while True:
            cursor = db.execute_sql(f"FETCH FORWARD {int(size)} FROM {name}")
            rows = cursor.fetchall()
            if not rows:
                return
            yield cursor.description, rows
    finally:
        # When the transaction failed, the cursor went with it.
        with contextlib.suppress(peewee.DatabaseError):
            db.execute_sql(f"CLOSE {name}")


def row_batches(
    query: Any, *, convert: bool = True, batch: int | None = None
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a peewee model query, ``batch`` (default :data:`BATCH`) at a time,
    from one cursor in one snapshot of the database (:func:`read_snapshot`).

    ``convert``: the values :func:`segment_tui.db.tuples` gives, converted a column at a
    time and only where peewee's conversion changes something (streaming 100,000 lines
    spent 2.2 of its 4 s in conversions that return the driver's value unchanged);
    otherwise the driver's values as they are.
    """
    with read_snapshot():
        converters: list[tuple[int, ColumnConverter]] | None = None
        for description, rows in _fetched(query, batch or BATCH):
            if not convert:
                yield rows  # the drivers give lists of tuples already
                continue
            if converters is None:
                converters = _converters(query, description)
            columns: list[Any] = list(zip(*rows, strict=True))
            for index, column in converters:
                columns[index] = column(columns[index])
            yield list(zip(*columns, strict=True))


def record_batches(
    query: Any, keys: Sequence[str], *, batch: int | None = None
) -> Iterator[list[dict[str, object]]]:
    """:func:`row_batches` as dicts keyed by ``keys`` (one per selected column)."""
    for rows in row_batches(query, batch=batch):
        yield [dict(zip(keys, row, strict=True)) for row in rows]


def only(query: Any, keys: Sequence[str], fields: Sequence[str] | None) -> tuple[Any, list[str]]:
    """``query`` selecting only the columns of ``fields`` (all when None), and their keys;
    ``keys`` name the columns ``query`` selects, in order."""
    if fields is None:
        return query, list(keys)
    unknown = set(fields) - set(keys)
    if unknown:
        raise ValueError(f"no such field: {', '.join(sorted(unknown))}")
    chosen = [(key, column) for key, column in zip(keys, query._returning, strict=True)
              if key in fields]  # fmt: skip
    return query.select(*(column for _, column in chosen)), [key for key, _ in chosen]


def counted(
    batches: Iterable[Sequence[R]], step: str, total: int | None, progress: Progress | None
) -> Iterator[R]:
    """The records of ``batches``, reporting ``progress(step, done, total)`` before the
    first batch and after each one."""
    if progress is not None:
        progress(step, 0, total)
    done = 0
    for rows in batches:
        yield from rows
        done += len(rows)
        if progress is not None:
            progress(step, done, total)


_RESOLVE: Any = peewee.__dict__["_resolve_model_columns"]
"""peewee's own choice of a conversion per selected column (what ``.tuples()`` applies);
peewee is pinned below 5, the version this private helper is read from."""

_PLAIN = (CharField, TextField, IntegerField, BigIntegerField, AutoField)
"""Field types whose conversion returns what the driver gave (str, int, None)."""

Column = Sequence[Any]
ColumnConverter = Callable[[Column], Iterable[Any]]


def _is_plain(field: Any) -> bool:
    kind = type(field)
    return (
        isinstance(field, Field)
        and kind.python_value is Field.python_value
        and any(kind.adapt is plain.adapt for plain in _PLAIN)
    )


def _column_converter(
    node: Any, field: Any, convert: Callable[[Any], Any]
) -> ColumnConverter | None:
    """How to convert one column of a batch, with the values ``convert`` (peewee's
    conversion for that column) would give, or None when it would change nothing."""
    if field is None and isinstance(node, Function) and node.arguments:
        field = node.arguments[0]  # COALESCE(field, …) converts like its field
        if isinstance(field, Node):
            field = field.unwrap()
        if isinstance(field, FieldAlias):  # a column of Contact.alias("…")
            field = field.field
    if _is_plain(field):
        return None
    builtin = field is not None and type(field).python_value.__module__ == "peewee"
    if builtin and dialect() == "postgres":
        return None  # psycopg2 returns bool, Decimal, date… already: peewee keeps them as is
    # Not by map(convert, …): a comprehension runs without a Python call per value.
    if isinstance(field, CodeField):
        return lambda values: ["" if v is None else v for v in values]
    if isinstance(field, BooleanField):
        return lambda values: [v if v is None else bool(v) for v in values]
    if isinstance(field, DateField):
        iso = dt.date.fromisoformat

        # SQLite returns "YYYY-MM-DD": fromisoformat is 20x faster than peewee's strptime.
        def dates(values: Column) -> list[Any]:
            return [
                iso(v) if type(v) is str and len(v) == 10 else convert(v)  # noqa: E721
                for v in values
            ]

        return dates
    if not builtin:
        return lambda values: [convert(v) for v in values]
    # peewee's own conversions keep None as None.
    return lambda values: [v if v is None else convert(v) for v in values]


def _converters(query: Any, description: Any) -> list[tuple[int, ColumnConverter]]:
    """(column index, column conversion) for the columns whose values change."""
    cursor = SimpleNamespace(description=description)
    result: list[tuple[int, ColumnConverter]] = []
    _, fields, converters, _, _ = _RESOLVE(cursor, query.model, query._returning)
    for index, convert in enumerate(converters):
        if convert is not None:
            node = query._returning[index].unwrap()
            column = _column_converter(node, fields[index], convert)
            if column is not None:
                result.append((index, column))
    return result

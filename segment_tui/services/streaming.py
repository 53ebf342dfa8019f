"""Reading big results a batch at a time, and reporting progress while doing it.

The command line prints segments of 1,000,000 lines, exports 1,000,000 contacts and
lists every interaction log entry. Building such a result as one list costs a gigabyte,
so the services that feed those commands yield records from keyset batches (``WHERE key
> last ORDER BY key LIMIT n``: each batch costs the same, however deep into the result)
and the command writes each record as it comes (docs/streaming.md).

Long operations report progress through a :data:`Progress` callback the caller passes;
the service never draws anything itself. A caller that shows no progress passes None,
and the service then skips work done only for the display (such as counting the total).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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

from segment_tui.db import db, dialect, tuples
from segment_tui.models.fields import CodeField

R = TypeVar("R")

Progress = Callable[[str, int, int | None], None]
"""``progress(step, done, total)``: ``step`` names the phase ("contacts"), ``done`` counts
what is finished, ``total`` is the expected count (None when unknown)."""

BATCH = 5000
"""Records per keyset batch: big enough that the per-query cost vanishes, small enough
that a batch of wide records stays a few megabytes."""


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


def keyset_batches(
    fetch: Callable[[Any, int], Sequence[R]],
    key: Callable[[R], Any],
    *,
    batch: int | None = None,
    limit: int | None = None,
) -> Iterator[Sequence[R]]:
    """Batches of records from ``fetch(after, n)`` (up to ``n`` records following the key
    value ``after``, None for the start; ``key(record)`` reads a record's key), until it
    runs out or ``limit`` records came. ``batch`` defaults to :data:`BATCH`."""
    batch = batch or BATCH
    after: Any = None
    left = limit
    while left is None or left > 0:
        size = batch if left is None else min(batch, left)
        rows = fetch(after, size)
        if rows:
            yield rows
        if len(rows) < size:
            return
        after = key(rows[-1])
        if left is not None:
            left -= len(rows)


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
    if field is None or type(field).python_value.__module__ != "peewee":
        return lambda values: [convert(v) for v in values]
    # peewee's own conversions keep None as None.
    return lambda values: [v if v is None else convert(v) for v in values]


def _batch_columns(query: Any) -> tuple[list[Any], int]:
    """The converted columns of a query's rows, and the number of rows."""
    resolve = getattr(peewee, "_resolve_model_columns", None)
    if resolve is None:  # peewee's internals changed: take the ordinary path
        rows = tuples(query)
        return [list(column) for column in zip(*rows, strict=True)], len(rows)
    cursor = db.execute(query)
    _, fields, converters, _, _ = resolve(cursor, query.model, query._returning)
    rows = cursor.fetchall()
    if not rows:
        return [], 0
    columns: list[Any] = list(zip(*rows, strict=True))
    for index, convert in enumerate(converters):
        if convert is not None:
            node = query._returning[index].unwrap()
            column = _column_converter(node, fields[index], convert)
            if column is not None:
                columns[index] = column(columns[index])
    return columns, len(rows)


def raw_rows(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a query exactly as the driver returns them (no conversion at all)."""
    return [tuple(row) for row in db.execute(query).fetchall()]


def fast_tuples(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a peewee model query as tuples, with the values
    :func:`segment_tui.db.tuples` gives, converted a column at a time and only where the
    conversion changes something (streaming 100,000 lines spent 2.2 of its 4 s calling
    peewee's conversions, most of which return the driver's value unchanged)."""
    columns, count = _batch_columns(query)
    return list(zip(*columns, strict=True)) if count else []


def fast_records(query: Any, keys: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of a peewee model query as dicts keyed by ``keys`` (one per selected
    column), with the values of :func:`fast_tuples`."""
    columns, count = _batch_columns(query)
    if not count:
        return []
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]

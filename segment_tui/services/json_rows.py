"""Records as JSON text built by the database, for printing many of them fast.

``segment show --json`` and ``interactions list --json`` print up to millions of
records. Building a Python dict per record and encoding it cost 4x the query on SQLite;
letting the database write each row as a JSON object (SQLite's ``json_object``,
PostgreSQL's ``json_build_object``) costs about what the query costs on SQLite, and
somewhat less than the Python path on PostgreSQL, whose JSON functions take ~20 µs a row
(docs/streaming.md).

The JSON must read exactly like the record the Python path encodes
(:func:`segment_tui.cli.output.to_json` of the service's record): the same keys in the
same order and the same values — booleans as ``true``/``false``, blank codes as ``""``,
amounts as numbers without trailing zeros, dates and times in ISO format. Each value is
therefore converted by column type here, per database; ``tests/cli/test_streaming.py``
holds both paths equal on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import (
    SQL,
    BooleanField,
    Case,
    DateTimeField,
    DecimalField,
    Field,
    FieldAlias,
    Function,
    Node,
    TimeField,
    fn,
)

from segment_tui.db import dialect
from segment_tui.models.fields import CodeField


def _field_of(node: Any) -> Any:
    """The model field a selected column reads (through aliases and ``COALESCE(field,…)``),
    or None for a computed column."""
    node = node.unwrap() if isinstance(node, Node) else node
    if isinstance(node, Function) and node.arguments:
        first = node.arguments[0]
        node = first.unwrap() if isinstance(first, Node) else first
    if isinstance(node, FieldAlias):
        node = node.field
    return node if isinstance(node, Field) else None


def _pg_iso(value: Any, date_format: str) -> Any:
    """Python's isoformat() on PostgreSQL: microseconds only when there are any."""
    return fn.to_char(value, date_format).concat(
        Case(None, [(fn.to_char(value, "US") == "000000", "")], fn.to_char(value, ".US"))
    )


def _json_value(node: Any) -> Any:
    """``node`` as the value its record would hold in JSON."""
    field = _field_of(node)
    value: Any = node.unwrap() if isinstance(node, Node) else node
    sqlite = dialect() == "sqlite"
    if isinstance(field, CodeField) and field.null:
        return fn.COALESCE(value, "")
    if isinstance(field, BooleanField) and sqlite:
        # SQLite stores 0/1; json('true') keeps its JSON subtype through CASE.
        return Case(
            None, [(value.is_null(), None), (value != 0, fn.json("true"))], fn.json("false")
        )
    if isinstance(field, DecimalField) and not sqlite:
        # numeric 85.00 would read 85.00; the record's Decimal becomes 85 (and 2.50, 2.5).
        # SQLite's NUMERIC column holds 85 as an integer and 2.5 as a real already.
        return value.cast("double precision")
    if isinstance(field, DateTimeField):
        if sqlite:
            return fn.replace(value, " ", "T")  # stored as str(datetime)
        return _pg_iso(value, 'YYYY-MM-DD"T"HH24:MI:SS')
    if isinstance(field, TimeField) and not sqlite:
        return _pg_iso(SQL("DATE '2000-01-01'") + value, "HH24:MI:SS")
    return value


def json_record(query: Any, keys: Sequence[str]) -> Any:
    """One SQL expression: the JSON object of the columns ``query`` selects, keyed by
    ``keys`` (one per column, in order)."""
    columns: Sequence[Any] = query._returning
    if len(columns) != len(keys):
        raise ValueError(f"{len(keys)} keys for {len(columns)} columns")
    arguments: list[Any] = []
    for key, node in zip(keys, columns, strict=True):
        arguments += [key, _json_value(node)]
    if dialect() == "sqlite":
        return fn.json_object(*arguments)
    # As text: psycopg2 would parse a json column into a dict.
    return fn.json_build_object(*arguments).cast("text")

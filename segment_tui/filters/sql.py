"""Compiling a parsed filter into a parameterised peewee expression.

The result selects exactly the rows for which :func:`.evaluate.matches` is True (see
there for the semantics).  Every literal is a bound parameter; the only SQL text added
here is fixed (operators, ``ESCAPE``, ``COLLATE "C"``, ``1 = 0``).

How the rules map to SQL:

* Each leaf first gets a condition that is right for every *non-NULL* row (for text
  ``""`` is an ordinary string that sorts first, which is exactly how blank behaves), and
  ``OR col IS NULL`` is added only when the leaf matches blank.  No ``NOT`` wraps a
  nullable condition, so NULL (unknown) only ever acts as false and AND/OR stay correct.
* Index-friendly shapes are kept: ``col = ?``, ``col IN (...)`` for ``A|B|C``,
  ``col BETWEEN ? AND ?``, ``col >= ?`` and prefix ``GLOB``/``LIKE`` leave the column bare.
* SQLite: wildcards use ``GLOB`` (case-sensitive; metacharacters escaped as ``[*]``); ``@``
  compares ``st_fold(col)`` (our Python ``str.lower``, see :func:`register_sqlite_functions`)
  because SQLite's ``lower()``/``LIKE`` only fold ASCII.  BINARY collation (the default)
  already orders by code point.  Dates are bound as ISO text, decimals as floats (what a
  NUMERIC column holds), booleans as 0/1.
* PostgreSQL: ``LIKE ... ESCAPE '\\'``; ``@`` uses ``lower(col COLLATE "default")`` (the
  database's own case mapping, which can differ from Python's for a few characters such as
  "İ"); ``<``/``>``/``..`` on text add ``COLLATE "C"`` so that they order by code point
  (with a UTF-8 database), like Python and SQLite. The application's text columns are
  "C"-collated themselves (docs/engine.md), so these comparisons and prefix ``LIKE`` use
  the columns' indexes.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from peewee import SQL, Expression, Function, Node, NodeList, Value

from .evaluate import fold_text, node_matches
from .nodes import (
    BLANK,
    STRING_KINDS,
    And,
    Blank,
    Compare,
    FieldKind,
    Match,
    Op,
    Or,
    Range,
    Scalar,
    Wildcard,
)
from .nodes import Node as FilterNode
from .syntax import Filter

Dialect = Literal["sqlite", "postgres"]

SQLITE_FOLD_FUNCTION = "st_fold"
"""Name of the SQLite function that folds case for ``@`` filters."""

_SQL_OPS = {Op.EQ: "=", Op.NE: "!=", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">="}


def register_sqlite_functions(conn: sqlite3.Connection) -> None:
    """Register ``st_fold`` (deterministic, NULL-safe ``str.lower``) on a SQLite connection.

    Call it on every new connection that runs compiled filters."""
    conn.create_function(SQLITE_FOLD_FUNCTION, 1, sqlite_fold, deterministic=True)


def sqlite_fold(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    """`st_fold`: Python's lower-casing for text, other values unchanged (NULL-safe)."""
    return fold_text(value) if isinstance(value, str) else value


def to_sql(flt: Filter, column: Node, *, dialect: Dialect) -> Expression:
    """Compile ``flt`` into a WHERE condition on ``column`` (any peewee column/expression).

    Never raises for a filter that :func:`~.syntax.parse_filter` accepted."""
    if dialect not in ("sqlite", "postgres"):
        raise ValueError(f"unknown SQL dialect {dialect!r}")
    return _Compiler(flt, column, dialect).node(flt.root)


def _false() -> Expression:
    return Expression(SQL("1"), "=", SQL("0"))


def _join(op: str, parts: list[Expression]) -> Expression:
    # Halves, not a chain: a chain of 1,000 terms nests 1,000 deep, past Python's
    # recursion limit in peewee and SQLite's expression depth; halves nest 10 deep.
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return Expression(_join(op, parts[:middle]), op, _join(op, parts[middle:]))


class _Compiler:
    def __init__(self, flt: Filter, column: Node, dialect: Dialect) -> None:
        self.spec = flt.spec
        self.column = column
        self.dialect = dialect
        self.stringlike = flt.spec.kind in STRING_KINDS or flt.spec.kind is FieldKind.OPTION

    def node(self, node: FilterNode) -> Expression:
        if isinstance(node, And):
            return _join("AND", [self.node(item) for item in node.items])
        if isinstance(node, Or):
            return self.disjunction(node)
        condition = self.leaf(node)
        if node_matches(node, BLANK, self.spec):
            # blank must match: NULL is not caught by any comparison above
            return Expression(condition, "OR", self.is_null())
        return condition

    def disjunction(self, node: Or) -> Expression:
        # A|B|C becomes one "col IN (...)": one index probe per value, no OR chain.
        grouped = [
            item
            for item in node.items
            if isinstance(item, Compare)
            and item.op is Op.EQ
            and item.value is not BLANK
            and not item.fold
        ]
        if len(grouped) < 2:
            grouped = []
        parts = [self.in_list([item.value for item in grouped])] if grouped else []
        parts.extend(self.node(item) for item in node.items if item not in grouped)
        return _join("OR", parts)

    # --- leaves (conditions for non-NULL rows) ----------------------------------------

    def leaf(self, node: Compare | Match | Range) -> Expression:
        if self.spec.kind is FieldKind.OPTION and not (
            isinstance(node, Compare) and node.op in (Op.EQ, Op.NE)
        ):
            return self.option_set(node)
        if isinstance(node, Match):
            return self.match(node)
        if isinstance(node, Compare):
            return self.compare(node.op, node.value, node.fold)
        if node.low is not None and node.high is not None and node.high is not BLANK:
            lhs = self.ordered(self.lhs(node.fold))
            bounds = NodeList(
                (self.param(node.low, node.fold), SQL("AND"), self.param(node.high, node.fold))
            )
            return Expression(lhs, "BETWEEN", bounds)
        parts = []
        if node.low is not None:
            parts.append(self.compare(Op.GE, node.low, node.fold))
        if node.high is not None:
            parts.append(self.compare(Op.LE, node.high, node.fold))
        return _join("AND", parts) if parts else self.is_null(False)

    def compare(self, op: Op, value: Scalar | Blank, fold: bool) -> Expression:
        if value is BLANK and not self.stringlike:
            # every number/date/boolean that is not NULL is greater than blank; a constant
            # TRUE would also be true for NULL rows, so say IS NOT NULL
            return self.is_null(False) if op in (Op.NE, Op.GT, Op.GE) else _false()
        lhs = self.lhs(fold)
        if op not in (Op.EQ, Op.NE):
            lhs = self.ordered(lhs)
        return Expression(lhs, _SQL_OPS[op], self.param(value, fold))

    def option_set(self, node: Compare | Match | Range) -> Expression:
        # Options order by ordinal, not by stored text: list the values that qualify.
        allowed = [
            v for v in self.spec.option_values() if node_matches(node, v or BLANK, self.spec)
        ]
        if node_matches(node, BLANK, self.spec) and "" not in allowed:
            allowed.append("")  # a stored "" is blank, like NULL
        if not allowed:
            return _false()
        return self.in_list(allowed)

    def match(self, node: Match) -> Expression:
        lhs = self.lhs(node.fold)
        pieces = [fold_text(p) if node.fold and isinstance(p, str) else p for p in node.pattern]
        if self.dialect == "sqlite":
            glob = "".join(_glob_piece(p) for p in pieces)
            return Expression(
                lhs, "NOT GLOB" if node.negate else "GLOB", Value(glob, converter=False)
            )
        like = "".join(_like_piece(p) for p in pieces)
        pattern = NodeList(
            (Value(like, converter=False), SQL("ESCAPE"), Value("\\", converter=False))
        )
        return Expression(lhs, "NOT LIKE" if node.negate else "LIKE", pattern)

    # --- building blocks -----------------------------------------------------------------

    def lhs(self, fold: bool) -> Node:
        if not fold:
            return self.column
        if self.dialect == "sqlite":
            return Function(SQLITE_FOLD_FUNCTION, (self.column,), coerce=False)
        # Text columns are "C"-collated (code-point order), and lower() under "C" folds
        # ASCII only: fold with the database's own case mapping.
        folded = NodeList((self.column, SQL('COLLATE "default"')))
        return Function("lower", (folded,), coerce=False)

    def ordered(self, lhs: Node) -> Node:
        if self.dialect == "postgres" and self.spec.kind in STRING_KINDS:
            # code-point order regardless of the database's collation
            return NodeList((lhs, SQL('COLLATE "C"')))
        return lhs

    def is_null(self, null: bool = True) -> Expression:
        return Expression(self.column, "IS" if null else "IS NOT", None)

    def in_list(self, values: Sequence[Scalar | Blank]) -> Expression:
        params = tuple(self.param(v, False) for v in values)
        return Expression(self.column, "IN", NodeList(params, ", ", parens=True))

    def param(self, value: Scalar | Blank, fold: bool) -> Value:
        """A bound literal in the column's storage form (bypassing field converters)."""
        stored: object = value
        if value is BLANK:
            stored = ""
        elif isinstance(value, str):
            stored = fold_text(value) if fold else value
        elif self.dialect == "sqlite":
            if isinstance(value, bool):
                stored = int(value)
            elif isinstance(value, Decimal):
                stored = float(value)
            elif isinstance(value, datetime.date):
                stored = value.isoformat()
        return Value(stored, converter=False)


def _glob_piece(piece: str | Wildcard) -> str:
    if isinstance(piece, Wildcard):
        return piece.value
    # GLOB has no escape character; a one-character class is literal
    return "".join(f"[{c}]" if c in "*?[" else c for c in piece)


def _like_piece(piece: str | Wildcard) -> str:
    if isinstance(piece, Wildcard):
        return "%" if piece is Wildcard.ANY else "_"
    return piece.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

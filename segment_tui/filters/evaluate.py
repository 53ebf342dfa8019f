"""Reference semantics of a parsed filter, in plain Python.

:func:`matches` says whether one value satisfies a :class:`~.syntax.Filter`.  The SQL
compiler (``sql.py``) must select exactly the rows for which this returns True; the
property tests check that on real databases.  The rules:

* **Blank.**  ``None`` is blank for every kind; for TEXT, CODE and OPTION ``""`` is blank
  too, and NULL and ``""`` behave identically.  Blank equals only blank and sorts before
  every other value, as in BC: ``''`` matches blank, ``<>X`` matches blank, ``<X`` and
  ``..X`` match blank (also for DATE: ``..2025-12-31`` selects contacts without a date),
  ``X..`` and ``>X`` do not.  Numbers have no other blank: 0 is an ordinary number.
* **Wildcards** match the whole value; a blank value is matched as ``""``, so ``A*`` never
  matches blank while ``*`` and ``<>A*`` do.
* **Case.**  TEXT compares case-sensitively by Unicode code point (Python ``str`` order).
  ``@`` folds both sides with :func:`fold_text` (``str.lower``) before comparing, so
  ``?`` counts characters of the *folded* text ("İ" folds to two code points).
* **Options** compare by stored value for ``=``/``<>`` and by ordinal (the order in
  ``FieldSpec.options``) for ``<``, ``>`` and ``..``; a stored value that is not an option
  satisfies no ordering comparison.
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal
from typing import Any

from .nodes import (
    BLANK,
    STRING_KINDS,
    And,
    Blank,
    Compare,
    FieldKind,
    FieldSpec,
    Match,
    Node,
    Op,
    Or,
    Scalar,
    Wildcard,
)
from .syntax import Filter

SortKey = tuple[int, Any]


def fold_text(text: str) -> str:
    """Case folding for ``@`` filters: ``str.lower`` (SQLite gets the same via ``st_fold``)."""
    return text.lower()


def matches(flt: Filter, value: object) -> bool:
    """Whether ``value`` (as stored: str/int/Decimal/date/bool or None) satisfies ``flt``."""
    return node_matches(flt.root, normalise(value, flt.spec), flt.spec)


def normalise(value: object, spec: FieldSpec) -> Scalar | Blank:
    """Bring a stored value into the form the parser gives literals (None and "" -> BLANK)."""
    if value is None or value is BLANK:
        return BLANK
    kind = spec.kind
    if kind in STRING_KINDS or kind is FieldKind.OPTION:
        return str(value) or BLANK
    if kind is FieldKind.INTEGER and isinstance(value, int | float | str | Decimal):
        return int(value)
    if kind is FieldKind.DECIMAL:
        # str() first: Decimal(0.1) would be the binary float's exact (long) expansion
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind is FieldKind.DATE:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str):
            return datetime.date.fromisoformat(value)
        assert isinstance(value, datetime.date)
        return value
    if kind is FieldKind.BOOLEAN:
        return bool(value)
    raise TypeError(f"{spec.name}: cannot compare {value!r} with a {kind} filter")


def node_matches(node: Node, value: Scalar | Blank, spec: FieldSpec) -> bool:
    """Evaluate one AST node against a value already passed through :func:`normalise`."""
    if isinstance(node, And):
        return all(node_matches(item, value, spec) for item in node.items)
    if isinstance(node, Or):
        return any(node_matches(item, value, spec) for item in node.items)
    if isinstance(node, Match):
        text = "" if value is BLANK else str(value)
        text = fold_text(text) if node.fold else text
        found = _regex(node.pattern, node.fold).fullmatch(text) is not None
        return found != node.negate
    if isinstance(node, Compare):
        if node.op in (Op.EQ, Op.NE):
            return _equal(value, node.value, node.fold) == (node.op is Op.EQ)
        return _ordered(node.op, sort_key(value, spec, node.fold), node.value, spec, node.fold)
    key = sort_key(value, spec, node.fold)
    low_ok = node.low is None or _ordered(Op.GE, key, node.low, spec, node.fold)
    return low_ok and (node.high is None or _ordered(Op.LE, key, node.high, spec, node.fold))


def sort_key(value: Scalar | Blank, spec: FieldSpec, fold: bool = False) -> SortKey | None:
    """The ordering used by ``<``, ``>`` and ``..``: blank first, then the values.

    None for a stored OPTION value that is not an option (it has no ordinal)."""
    if spec.kind is FieldKind.OPTION:
        ordinal = option_ordinal(value, spec)
        return None if ordinal is None else (1, ordinal)
    if value is BLANK:
        return (0, None)
    if fold and isinstance(value, str):
        return (1, fold_text(value))
    return (1, value)


def option_ordinal(value: Scalar | Blank, spec: FieldSpec) -> int | None:
    """Position of a stored option value in ``spec.options`` (blank: that of "" or -1)."""
    values = spec.option_values()
    if value is BLANK:
        return values.index("") if "" in values else -1
    return values.index(value) if value in values else None


def _equal(left: Scalar | Blank, right: Scalar | Blank, fold: bool) -> bool:
    if left is BLANK or right is BLANK:
        return left is right
    if fold and isinstance(left, str) and isinstance(right, str):
        return fold_text(left) == fold_text(right)
    return left == right


def _ordered(
    op: Op, key: SortKey | None, literal: Scalar | Blank, spec: FieldSpec, fold: bool
) -> bool:
    other = sort_key(literal, spec, fold)
    if key is None or other is None:
        return False
    if key[0] != other[0]:  # blank against a value: blank is smaller
        left, right = key[0], other[0]
    else:
        left, right = key[1], other[1]
        if key[0] == 0:  # blank against blank
            left = right = 0
    if op is Op.LT:
        return bool(left < right)
    if op is Op.LE:
        return bool(left <= right)
    if op is Op.GT:
        return bool(left > right)
    return bool(left >= right)


@functools.lru_cache(maxsize=512)
def _regex(pattern: tuple[str | Wildcard, ...], fold: bool) -> re.Pattern[str]:
    parts = []
    for part in pattern:
        if part is Wildcard.ANY:
            parts.append(".*")
        elif part is Wildcard.ONE:
            parts.append(".")
        else:
            parts.append(re.escape(fold_text(part) if fold else part))
    # DOTALL: '*' and '?' match line breaks too, as GLOB and LIKE do
    return re.compile("".join(parts), re.DOTALL)

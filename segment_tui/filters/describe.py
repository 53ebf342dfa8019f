"""Writing a parsed filter back as text: the normalised, re-parseable form shown in the
criteria list (codes upper-cased, dates ISO, options in their first spelling, literals
quoted only where needed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .nodes import (
    BLANK,
    And,
    Blank,
    Compare,
    FieldKind,
    FieldSpec,
    Node,
    Op,
    Or,
    Range,
    Scalar,
    Wildcard,
)


def format_value(value: Scalar | Blank, spec: FieldSpec) -> str:
    """A literal as it would be typed in a filter for ``spec``."""
    if value is BLANK:
        return "''"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if spec.kind is FieldKind.OPTION:
        value = next((k for k, v in spec.options.items() if v == value), value)
    return quote_literal(value)


def describe_node(node: Node, spec: FieldSpec, *, top: bool = False) -> str:
    if isinstance(node, Or):
        text = "|".join(describe_node(item, spec) for item in node.items)
        return text if top else f"({text})"
    if isinstance(node, And):
        return "&".join(describe_node(item, spec) for item in node.items)
    prefix = "@" if node.fold else ""
    if isinstance(node, Compare):
        op = "" if node.op is Op.EQ else node.op.value
        return f"{op}{prefix}{format_value(node.value, spec)}"
    if isinstance(node, Range):
        low = "" if node.low is None else format_value(node.low, spec)
        high = "" if node.high is None else format_value(node.high, spec)
        return f"{prefix}{low}..{high}"
    pattern = "".join(
        p.value if isinstance(p, Wildcard) else quote_literal(p) for p in node.pattern
    )
    return f"{'<>' if node.negate else ''}{prefix}{pattern}"


def quote_literal(text: str) -> str:
    """Quote ``text`` (for a filter) when, unquoted, it would be read differently."""
    plain = (
        text != ""
        and not any(c in "|&()'*?" for c in text)
        and ".." not in text
        and text[0] not in "@<>=."
        and text[-1] != "."
        and not text[0].isspace()
        and not text[-1].isspace()
    )
    return text if plain else "'" + text.replace("'", "''") + "'"

"""Printing results: JSON documents for scripts, aligned tables for people."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TextIO


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(document: Any) -> str:
    """A JSON text with dates as ISO strings and decimals as numbers."""
    return json.dumps(document, default=_default, ensure_ascii=False, indent=2)


def print_json(document: Any, out: TextIO | None = None) -> None:
    """Print one JSON document."""
    print(to_json(document), file=out or sys.stdout)


def format_cell(value: Any) -> str:
    """How a value reads in a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    out: TextIO | None = None,
    *,
    max_width: int = 40,
) -> None:
    """Print rows as an aligned text table; ``columns`` are (key, heading) pairs."""
    stream = out or sys.stdout
    cells = [[format_cell(row.get(key))[:max_width] for key, _ in columns] for row in rows]
    widths = [
        max([len(heading)] + [len(r[i]) for r in cells]) for i, (_, heading) in enumerate(columns)
    ]
    print(
        "  ".join(h.ljust(w) for (_, h), w in zip(columns, widths, strict=True)).rstrip(),
        file=stream,
    )
    for row_cells in cells:
        print(
            "  ".join(c.ljust(w) for c, w in zip(row_cells, widths, strict=True)).rstrip(),
            file=stream,
        )

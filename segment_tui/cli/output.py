"""Printing results: JSON documents for scripts, aligned tables for people.

Big results are written as they are read (:func:`write_json_array`,
:func:`write_json_document`, :func:`write_json_lines`, :func:`write_table`): records are
encoded and written a few dozen at a time, then dropped, so printing a million lines
takes the memory of one batch (docs/streaming.md). Streamed JSON puts one compact record
per line inside the indented document: the same JSON value as before, and the C encoder
instead of the pure Python one ``indent=`` forces (3x faster).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the shared columns load the models: a command imports them when it prints
    from segment_tui.services.columns import FieldColumn


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


def _compact_encoder() -> Callable[[Any], str]:
    """Encode one record on one line with the C encoder, built once: ``json.dumps`` builds
    a new one per call, which cost a third of the time for small records."""
    encoder = json.JSONEncoder(default=_default, ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    chunks = make(
        None, _default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True
    )

    def encode(value: Any) -> str:
        return "".join(chunks(value, 0))

    return encode


_encode = _compact_encoder()


_CHUNK = 64
"""Items per write: one call through the stdout wrapper and its :func:`printable` check
per chunk instead of per item (a tenth of ``interactions list --jsonl``'s own time)."""


def _write_items(
    items: Iterable[Any], stream: TextIO, indent: str, encode: Callable[[Any], str]
) -> int:
    """Write ``[`` + one item per line + ``]`` (``[]`` when there is none); returns how many."""
    count = 0
    separator = ",\n" + indent + "  "
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        lead = "[\n" + indent + "  " if count == 0 else separator
        stream.write(lead + separator.join(map(encode, chunk)))
        count += len(chunk)
    stream.write(f"\n{indent}]" if count else "[]")
    return count


def _as_is(text: str) -> str:
    return text


def write_json_array(
    items: Iterable[Any], out: TextIO | None = None, *, encoded: bool = False
) -> int:
    """Write a JSON array as its items come, one per line; returns how many.
    ``encoded``: the items are JSON texts already (written by the database)."""
    stream = out or sys.stdout
    count = _write_items(items, stream, "", _as_is if encoded else _encode)
    stream.write("\n")
    return count


def write_json_document(
    head: Mapping[str, Any],
    key: str,
    items: Iterable[Any],
    out: TextIO | None = None,
    *,
    encoded: bool = False,
) -> int:
    """Write the object ``head`` with one more member, ``key``: the array of ``items``,
    written as they come; returns how many items (``encoded`` as for
    :func:`write_json_array`)."""
    stream = out or sys.stdout
    text = to_json(dict(head))
    # to_json ends an object with "\n}" ("{}" when empty): reopen it for the last member.
    opening = "{" if text == "{}" else text[: -len("\n}")] + ","
    stream.write(f"{opening}\n  {json.dumps(key)}: ")
    count = _write_items(items, stream, "  ", _as_is if encoded else _encode)
    stream.write("\n}\n")
    return count


def write_json_lines(
    items: Iterable[Any], out: TextIO | None = None, *, encoded: bool = False
) -> int:
    """Write JSON Lines: one JSON value per line; returns how many (``encoded`` as for
    :func:`write_json_array`)."""
    stream = out or sys.stdout
    encode = _as_is if encoded else _encode
    count = 0
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        stream.write("\n".join(map(encode, chunk)) + "\n")
        count += len(chunk)
    return count


def format_cell(value: Any) -> str:
    """How a value reads in a table cell."""
    if type(value) is str:  # most cells: answered before the isinstance checks
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _blank(_: None) -> str:
    return ""


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


_CELL_FORMATS: dict[type, Callable[[Any], str]] = {
    int: str,
    bool: _yes_no,
    type(None): _blank,
    Decimal: _amount,
    dt.date: dt.date.isoformat,
    dt.datetime: dt.datetime.isoformat,
}
""":func:`format_cell` by the value's exact type, for a table's million cells (a type's
look-up instead of a chain of isinstance checks); other types go to format_cell."""


def _layout(
    columns: Sequence[tuple[str, str]] | Sequence[FieldColumn],
) -> tuple[list[str], list[str], list[Callable[[Any], str] | None], list[str]]:
    """(keys, headings, formats, alignments) of a table's columns: (key, heading) pairs
    format cells by their type; shared columns (:mod:`segment_tui.services.columns`)
    by their own format and alignment."""
    keys: list[str] = []
    headings: list[str] = []
    formats: list[Callable[[Any], str] | None] = []
    aligns: list[str] = []
    for column in columns:
        if isinstance(column, tuple):
            key, heading = column
            keys.append(key)
            headings.append(heading)
            formats.append(None)
            aligns.append("<")
        else:
            keys.append(column.key)
            headings.append(column.caption)
            formats.append(column.format)
            aligns.append(">" if column.align == "right" else "<")
    return keys, headings, formats, aligns


def _by_type(value: Any) -> str:
    if type(value) is str:
        return value
    return _CELL_FORMATS.get(type(value), format_cell)(value)


def write_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]] | Sequence[FieldColumn],
    out: TextIO | None = None,
    *,
    max_width: int = 40,
    sample: int = 1000,
) -> int:
    """Print rows as an aligned table as they come; returns how many.

    ``columns`` are an entity's shared columns (captions, formats and alignment from
    :mod:`segment_tui.services.columns`), or (key, heading) pairs whose cells read as
    :func:`format_cell` writes them. Column widths are taken from the headings and the
    first ``sample`` rows; a longer cell further down is written whole (up to
    ``max_width``) and pushes that row's next cells to the right, rather than holding
    every row to measure them.
    """
    stream = out or sys.stdout
    keys, titles, formats, aligns = _layout(columns)
    pick = itemgetter(*keys) if len(keys) > 1 else lambda row: (row[keys[0]],)
    if all(f is None for f in formats):

        def cells(row: Mapping[str, Any]) -> list[str]:
            try:
                values = pick(row)  # all at once, in C
            except KeyError:
                values = tuple(row.get(key) for key in keys)
            get = _CELL_FORMATS.get
            return [v if type(v) is str else get(type(v), format_cell)(v) for v in values]  # noqa: E721

    else:
        shown = [f or _by_type for f in formats]

        def cells(row: Mapping[str, Any]) -> list[str]:
            try:
                values = pick(row)
            except KeyError:
                values = tuple(row.get(key) for key in keys)
            return [f(v) for f, v in zip(shown, values)]  # noqa: B905 - same length, per cell

    iterator = iter(rows)
    first: list[list[str]] = []
    for row in iterator:
        first.append(cells(row))
        if len(first) >= sample:
            break
    widths = [
        max([len(heading)] + [min(len(r[i]), max_width) for r in first])
        for i, heading in enumerate(titles)
    ]
    # One format per row: "{:<W.M}" pads to the column's width and cuts at max_width
    # ("{:>W.M}" for a right-aligned column).
    template = "  ".join(f"{{:{a}{w}.{max_width}}}" for a, w in zip(aligns, widths, strict=True))
    headings = "  ".join(f"{{:{a}{w}}}" for a, w in zip(aligns, widths, strict=True))
    stream.write(headings.format(*titles).rstrip() + "\n")
    line = template.format
    # A few dozen rows a write: each write passes the terminal guard and the stream's
    # layers once (a write a row was a sixth of a big table's time).
    for start in range(0, len(first), _CHUNK):
        rows_cells = first[start : start + _CHUNK]
        stream.write("\n".join([line(*c).rstrip() for c in rows_cells]) + "\n")
    count = len(first)
    while chunk := list(islice(iterator, _CHUNK)):
        stream.write("\n".join([line(*cells(row)).rstrip() for row in chunk]) + "\n")
        count += len(chunk)
    return count


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]] | Sequence[FieldColumn],
    out: TextIO | None = None,
    *,
    max_width: int = 40,
) -> None:
    """Print rows as an aligned text table (``columns`` as for :func:`write_table`)."""
    write_table(rows, columns, out, max_width=max_width, sample=max(len(rows), 1))

"""The columns of the product's tables, defined once per entity for every front end.

A :class:`FieldColumn` says how one field of an entity is shown in a table: its caption,
its width in the terminal UI, its alignment and its format — how the stored
value becomes the text a person reads. Each entity's columns are one
:class:`ColumnTable`, kept with its part of the domain (``services/segments/columns.py``,
``services/interactions/columns.py``, …). The terminal UI builds its table columns from
it (picking the columns and their order, and keeping its own layout hints), the command
line's text tables take the captions, alignment and formats of the columns it prints,
chosen by key; neither writes a caption of its own. Scripts read ``--json`` and the CSV
files meant for a round trip, which keep the field names (docs/architecture.md,
"Column tables").

The formats are plain functions of the value, so they are tested one by one and a cell
costs one call; each one shows an unexpected type as :func:`shown` does rather than
fail. Captions of stored options come from :data:`segment_tui.models.enums.CAPTIONS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from segment_tui.models.enums import CAPTIONS

Align = Literal["left", "right"]
Format = Callable[[Any], str]
"""How a stored value reads in a cell."""


def shown(value: Any) -> str:
    """A value by its type, for a column whose format does not expect it: blank for none,
    a checkmark, an amount, a date, a quantity, else the text on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)):,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("\n", " ")


def text(value: Any) -> str:
    """Text on one line (a line break would split the table's row); a number that
    identifies (Entry No., Line No.) as typed, without separators."""
    if type(value) is str:
        return value.replace("\n", " ") if "\n" in value else value
    if type(value) is int:
        return str(value)
    return shown(value)


def quantity(value: Any) -> str:
    """A count or a duration: whole, with thousands separators (1,234)."""
    if type(value) is int:
        return f"{value:,}"
    return shown(value)


def amount(value: Any) -> str:
    """An amount: two decimals and thousands separators (1,234.50), whichever type the
    database returned it as."""
    if type(value) is Decimal:  # most amounts: answered before the other checks
        return f"{value:,.2f}"
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return f"{Decimal(str(value)):,.2f}"
    return shown(value)


def date(value: Any) -> str:
    """A date as ISO 8601 (2026-03-16)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return shown(value)


def checkmark(value: Any) -> str:
    """A Boolean as BC's lists show a checkmark: Yes when set, blank when not."""
    return "Yes" if value else ""


def captions(names: Mapping[str, str]) -> Format:
    """The format of a field whose stored values have captions (``names``: value →
    caption); a value without one is shown as stored."""

    def caption(value: Any) -> str:
        if value is None:
            return ""
        key = value if type(value) is str else str(value)
        return names.get(key, key)

    return caption


option = captions(CAPTIONS)
"""An option field (Correspondence Type, Evaluation, Delivery, …): BC's caption of the
stored value (``hard_copy`` → Hard Copy, ``in_progress`` → Queued)."""


@dataclass(frozen=True)
class FieldColumn:
    """How one field of an entity is shown in a table, by every front end."""

    key: str
    """The field's name in the records (and in ``--json``)."""
    caption: str
    """The heading."""
    width: int = 0
    """Width in terminal cells in the terminal UI at 80 columns (it widens some on wider
    terminals); 0 for a column the terminal UI does not show. The command line sizes
    its columns to their contents, the PDF report in points of its own."""
    align: Align = "left"
    """Horizontal alignment of the heading and the cells."""
    format: Format = text
    """How a stored value becomes the cell's text."""


class ColumnTable:
    """One entity's columns, in the order of its main list, found by key."""

    def __init__(self, entity: str, *columns: FieldColumn) -> None:
        self.entity = entity
        """What a row is ("interaction log entry"), for messages."""
        self.columns = columns
        self._by_key = {column.key: column for column in columns}
        if len(self._by_key) != len(columns):
            raise ValueError(f"{entity} columns: a key appears twice")

    def __iter__(self) -> Iterator[FieldColumn]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> FieldColumn:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"the {self.entity} columns have no {key!r}") from None

    def pick(self, *keys: str) -> tuple[FieldColumn, ...]:
        """The columns ``keys``, in that order (a front end's choice of them)."""
        return tuple(self[key] for key in keys)

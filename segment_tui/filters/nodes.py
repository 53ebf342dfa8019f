"""The parsed form of a Business Central filter: the field it is for (:class:`FieldSpec`,
:class:`FieldKind`), the tree nodes (:class:`Compare`, :class:`Match`, :class:`Range`,
:class:`And`, :class:`Or`), the literal types and :class:`FilterSyntaxError`.

It owns no behaviour: :mod:`.syntax` builds these nodes from text, :mod:`.describe` writes
them back as text, :mod:`.evaluate` and :mod:`.sql` match them. Keeping them here lets those
modules import one another's inputs without importing one another.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


class FieldKind(enum.StrEnum):
    """The data type of a filtered field; decides how literals are read."""

    TEXT = "text"
    CODE = "code"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    OPTION = "option"


STRING_KINDS = frozenset({FieldKind.TEXT, FieldKind.CODE})
"""Kinds that allow wildcards and ``@``; their blank is both NULL and ``""``."""


@dataclass(frozen=True)
class FieldSpec:
    """What the parser needs to know about a field.

    ``options`` (OPTION only) maps user spellings, matched case-insensitively, to stored
    values; the order of first appearance of each stored value is the option's ordinal,
    which ``<``, ``>`` and ``..`` use (as BC orders options by ordinal, not by name).
    """

    name: str
    kind: FieldKind
    options: Mapping[str, str] = field(default_factory=dict, hash=False)
    max_length: int | None = None

    def option_values(self) -> tuple[str, ...]:
        """The distinct stored option values in ordinal order."""
        return tuple(dict.fromkeys(self.options.values()))


class FilterSyntaxError(ValueError):
    """A filter that cannot be parsed; names the field, the 0-based position and what was
    expected there, e.g. ``city: position 7: expected a value after '..'``."""

    def __init__(self, field: str, position: int, expected: str) -> None:
        super().__init__(f"{field}: position {position}: expected {expected}")
        self.field = field
        self.position = position
        self.expected = expected

    def __reduce__(self) -> tuple[type[FilterSyntaxError], tuple[str, int, str]]:
        # ValueError pickles by args; ours has a different constructor.
        return (type(self), (self.field, self.position, self.expected))


class Blank(enum.Enum):
    """The blank value ``''``: NULL or ``""`` for text, NULL for other kinds."""

    BLANK = "''"


BLANK = Blank.BLANK

Scalar = str | int | Decimal | datetime.date | bool
"""A converted literal: str (TEXT/CODE/OPTION stored value), int, Decimal, date or bool."""


class Op(enum.StrEnum):
    """Comparison operators; a value without an operator is ``=``."""

    EQ = "="
    NE = "<>"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


class Wildcard(enum.Enum):
    """``*`` matches any run of characters (also none), ``?`` exactly one character."""

    ANY = "*"
    ONE = "?"


@dataclass(frozen=True)
class Compare:
    """``value``, ``=value``, ``<>value``, ``<value`` ... (``fold``: ``@`` was given)."""

    op: Op
    value: Scalar | Blank
    fold: bool = False


@dataclass(frozen=True)
class Match:
    """A wildcard pattern (TEXT/CODE only); ``negate`` for ``<>A*``.  Adjacent literal
    parts are merged, so literals and wildcards alternate."""

    pattern: tuple[str | Wildcard, ...]
    negate: bool = False
    fold: bool = False


@dataclass(frozen=True)
class Range:
    """``low..high`` inclusive; ``None`` is an open end.  A blank low bound is stored as
    ``None`` because blank sorts before everything anyway."""

    low: Scalar | None
    high: Scalar | Blank | None
    fold: bool = False


@dataclass(frozen=True)
class And:
    """All items must match (``&``)."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any item must match (``|``)."""

    items: tuple[Node, ...]


Node = Compare | Match | Range | And | Or

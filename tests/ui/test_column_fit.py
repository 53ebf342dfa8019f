"""Columns use the width the terminal gives (docs/tables.md): at 200 columns the worksheet's
and the entries' descriptions, and the entries' delivery error, are read whole although the
tables are wider than the screen; at 80 columns every column keeps its declared width."""

from __future__ import annotations

from segment_tui.ui.screens.interaction_entries import ENTRY_COLUMNS, GROW, SHARE
from segment_tui.ui.screens.worksheet_columns import LINE_COLUMNS, LINE_GROW, LINE_SHARE
from segment_tui.ui.widgets import Column
from segment_tui.ui.widgets.column_fit import fit_columns


def widths(columns: tuple[Column, ...]) -> dict[str, int]:
    return {c.key: c.width for c in columns}


def test_at_200_columns_descriptions_and_errors_are_wide() -> None:
    lines = widths(fit_columns(LINE_COLUMNS, 200, LINE_GROW, LINE_SHARE))
    entries = widths(fit_columns(ENTRY_COLUMNS, 200, GROW, SHARE))
    assert lines["description"] == 40
    assert entries["description"] == 40
    # "Cannot reach the SMTP server 127.0.0.1:2581: Connection refused": the port shows.
    assert entries["delivery_error"] >= len("Cannot reach the SMTP server 127.0.0.1:2581:")


def test_at_80_columns_nothing_moves() -> None:
    assert fit_columns(LINE_COLUMNS, 80, LINE_GROW, LINE_SHARE) == LINE_COLUMNS
    assert fit_columns(ENTRY_COLUMNS, 80, GROW, SHARE) == ENTRY_COLUMNS

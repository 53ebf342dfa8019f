"""Columns that use the width the terminal gives.

A table's columns are declared at their 80-column widths; :func:`fit_columns` hands the
cells a wider terminal leaves over to the text columns that benefit (descriptions,
names, e-mail addresses), each up to the width its field can hold, so a 100-character
description is read whole at 200 columns instead of being cut at 20.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from segment_tui.ui.widgets.row_source import Column
from segment_tui.ui.widgets.table_render import GUTTER_WIDTH

PADDING = 2
"""Cells around every column (one on each side)."""
SCROLLBAR = 2
"""Cells a vertical scrollbar may take."""


def fit_columns(
    columns: Sequence[Column],
    width: int,
    grow: Mapping[str, int],
    share: Mapping[str, float] | None = None,
) -> tuple[Column, ...]:
    """``columns`` with the ``grow`` ones (key → widest useful width) widened to fill
    ``width`` cells; spare cells are shared evenly, a column stops at its widest.

    ``share`` (key → fraction of ``width``) widens a column that matters more than the
    ones after it even when the table is wider than the terminal anyway (it scrolls),
    e.g. the delivery error of the entries: 40 cells at 200 columns.
    """
    widths = {c.key: c.width for c in columns}
    for key, fraction in (share or {}).items():
        if key in widths:
            widths[key] = min(grow.get(key, widths[key]), max(widths[key], int(width * fraction)))
    used = GUTTER_WIDTH + SCROLLBAR + sum(widths[c.key] + PADDING for c in columns)
    spare = width - used
    growing = [c.key for c in columns if c.key in grow and grow[c.key] > widths[c.key]]
    while spare > 0 and growing:
        each = max(1, spare // len(growing))
        for key in list(growing):
            step = min(each, grow[key] - widths[key], spare)
            widths[key] += step
            spare -= step
            if widths[key] >= grow[key]:
                growing.remove(key)
            if spare <= 0:
                break
    return tuple(replace(c, width=widths[c.key]) for c in columns)

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
    columns: Sequence[Column], width: int, grow: Mapping[str, int]
) -> tuple[Column, ...]:
    """``columns`` with the ``grow`` ones (key → widest useful width) widened to fill
    ``width`` cells; spare cells are shared evenly, a column stops at its widest."""
    used = GUTTER_WIDTH + SCROLLBAR + sum(c.width + PADDING for c in columns)
    spare = width - used
    widths = {c.key: c.width for c in columns}
    growing = [c.key for c in columns if c.key in grow and grow[c.key] > c.width]
    while spare > 0 and growing:
        share = max(1, spare // len(growing))
        for key in list(growing):
            step = min(share, grow[key] - widths[key], spare)
            widths[key] += step
            spare -= step
            if widths[key] >= grow[key]:
                growing.remove(key)
            if spare <= 0:
                break
    return tuple(replace(c, width=widths[c.key]) for c in columns)

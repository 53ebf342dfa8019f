"""Drawing on PDF pages: a canvas with the document's metadata, rows of text in a box,
and the long date BC prints on its reports (``Format(Today, 0, 4)``: "2 March 2026")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from segment_tui.services.printouts.pdf_text import FittedBlock, Fonts, fit_block

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
"""English month names, whatever the machine's locale (strftime's %B follows it)."""


def long_date(value: dt.date) -> str:
    """``2 March 2026``."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def new_canvas(path: Path, page_size: tuple[float, float], title: str, author: str) -> Any:
    """A reportlab canvas writing to ``path``, with title, author and creator set."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=page_size, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author or "segment-tui")
    canvas.setCreator("segment-tui")
    return canvas


def draw_rows(
    canvas: Any,
    rows: Sequence[str],
    x: float,
    top: float,
    *,
    font: str,
    size: float,
    used: Fonts,
    align: str = "left",
    leading: float | None = None,
) -> float:
    """Draw ``rows`` with the first row's top at ``top``; ``x`` is the left edge (or the
    right edge with ``align="right"``). Returns the y below the last row."""
    pitch = leading if leading is not None else size * 1.2
    baseline = top - used.ascent * size
    canvas.setFont(font, size)
    for row in rows:
        if align == "right":
            canvas.drawRightString(x, baseline, row)
        else:
            canvas.drawString(x, baseline, row)
        baseline -= pitch
    return baseline + pitch - used.descent * size


def draw_fitted(
    canvas: Any,
    lines: Sequence[str],
    box: tuple[float, float, float, float],
    *,
    used: Fonts,
    max_size: float,
    min_size: float,
    bold: bool = False,
) -> FittedBlock:
    """Fit ``lines`` into ``box`` (x, y, width, height; y at the bottom) and draw them
    from its top left."""
    x, y, width, height = box
    font = used.bold if bold else used.regular
    fitted = fit_block(
        lines, width, height, font=font, fonts_used=used, max_size=max_size, min_size=min_size
    )
    draw_rows(canvas, fitted.rows, x, y + height, font=font, size=fitted.size, used=used,
              leading=fitted.leading)  # fmt: skip
    return fitted

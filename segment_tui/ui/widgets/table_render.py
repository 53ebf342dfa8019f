"""How `VirtualTable` looks: its CSS and line rendering helpers (pure Rich; no widget state).

A table line is a fixed two-cell gutter (cursor `▸` and mark `●`) followed by the
cells, each padded by one space on both sides; only the cells scroll horizontally.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.errors import StyleSyntaxError
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from segment_tui.ui.widgets.row_source import Column

GUTTER_WIDTH = 2
"""Width of the fixed left gutter: cursor indicator and mark indicator."""
CURSOR_GLYPH = "▸"
MARK_GLYPH = "●"
ELLIPSIS = "…"

COMPONENT_CLASSES = {
    "virtual-table--header",
    "virtual-table--header-cursor",
    "virtual-table--cursor",
    "virtual-table--cursor-row",
    "virtual-table--marked",
    "virtual-table--placeholder",
}
"""The component classes of the table:

| Class | Description |
| :- | :- |
| `virtual-table--header` | The fixed header row. |
| `virtual-table--header-cursor` | The header cell of the cursor column. |
| `virtual-table--cursor` | The cell under the cursor. |
| `virtual-table--cursor-row` | The rest of the cursor row. |
| `virtual-table--marked` | Marked rows. |
| `virtual-table--placeholder` | Rows not fetched yet (rendered as `…`). |
"""


TABLE_CSS = """
    CursorTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--header-cursor {
            background: $primary 40%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .virtual-table--cursor-row {
            background: $foreground 8%;
        }
        & > .virtual-table--marked {
            background: $accent 20%;
        }
        & > .virtual-table--placeholder {
            color: $text-muted;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--cursor-row {
                background: $primary 20%;
            }
        }
    }
    """
"""The table's default CSS (theme variables; `:ansi` for the 16-colour palette)."""

_CONTROL = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def column_offsets(columns: Sequence[Column]) -> list[int]:
    """Return the x offset of every column in the scrollable body, plus the body width."""
    offsets = [0]
    for column in columns:
        offsets.append(offsets[-1] + column.width + 2)
    return offsets


def fit(text: str, width: int, align: str) -> str:
    """Pad or truncate `text` to exactly `width` cells (an ellipsis marks truncation)."""
    text = text.translate(_CONTROL)
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + ELLIPSIS if width > 1 else ELLIPSIS[:width]
    if align == "right":
        return " " * (width - length) + text
    return text + " " * (width - length)


@lru_cache(maxsize=256)
def parse_row_style(style: str) -> Style:
    """Parse a `Row.style`; an invalid style renders unstyled instead of crashing."""
    try:
        return Style.parse(style)
    except StyleSyntaxError:
        return Style.null()


def render_cells(
    columns: Sequence[Column],
    texts: Sequence[str],
    style: Style,
    highlight: int,
    highlight_style: Style,
) -> list[Segment]:
    """Render the scrollable body of one line.

    Args:
        columns: Column definitions.
        texts: Cell texts (missing trailing cells render blank).
        style: Style of every cell.
        highlight: Index of the cell drawn with `highlight_style` (-1 for none).
        highlight_style: Style of the highlighted cell.
    """
    segments = []
    for index, column in enumerate(columns):
        text = texts[index] if index < len(texts) else ""
        segments.append(
            Segment(
                f" {fit(text, column.width, column.align)} ",
                highlight_style if index == highlight else style,
            )
        )
    return segments


def assemble_line(
    gutter: str,
    gutter_style: Style,
    body: list[Segment],
    body_width: int,
    scroll_x: int,
    width: int,
    fill_style: Style,
) -> Strip:
    """Join the fixed gutter and the horizontally scrolled body into a `width`-cell strip."""
    visible = max(0, width - GUTTER_WIDTH)
    body_strip = Strip(body, body_width).crop(scroll_x, scroll_x + visible)
    line = Strip.join([Strip([Segment(gutter, gutter_style)], GUTTER_WIDTH), body_strip])
    return line.adjust_cell_length(width, fill_style)

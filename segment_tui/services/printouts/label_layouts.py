"""Label sheets: where each label sits on the page and the box its text must stay in.

Business Central's Segment - Labels (report 5065) offers four A4 formats, three or two
columns of labels 70 or 105 mm wide and 36 or 37 mm high, eight rows to a page; the
first is its default. Added to them are the common Avery sheets: L7160 (3×7) and L7163
(2×7) on A4, and 5160 (3×10) on US Letter (docs/printing.md). All measures are the
sheet makers' published ones, in millimetres or inches as they publish them.
"""

from __future__ import annotations

from dataclasses import dataclass

from segment_tui.errors import UserError

inch = 72.0
mm = inch / 25.4
A4 = (210 * mm, 297 * mm)
LETTER = (8.5 * inch, 11 * inch)
"""Points per inch and millimetre, and the two paper sizes (as reportlab defines them;
kept here so that listing the layouts does not load the PDF library)."""


@dataclass(frozen=True)
class LabelLayout:
    """One label sheet; lengths in points (1/72 inch), origin at the page's bottom left."""

    name: str
    description: str
    page_size: tuple[float, float]
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float
    """From the page's left edge to the first column."""
    top: float
    """From the page's top edge to the first row."""
    column_pitch: float
    row_pitch: float
    padding_x: float
    padding_y: float
    max_font: float = 10.0
    min_font: float = 6.0

    @property
    def per_page(self) -> int:
        """Labels on one sheet."""
        return self.columns * self.rows

    def label_box(self, index: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the ``index``-th label of a page (across, then down)."""
        row, column = divmod(index % self.per_page, self.columns)
        x = self.left + column * self.column_pitch
        y = self.page_size[1] - self.top - row * self.row_pitch - self.label_height
        return x, y, self.label_width, self.label_height

    def text_box(self, index: int) -> tuple[float, float, float, float]:
        """The part of a label text may use: the label less its padding."""
        x, y, width, height = self.label_box(index)
        return (
            x + self.padding_x,
            y + self.padding_y,
            width - 2 * self.padding_x,
            height - 2 * self.padding_y,
        )


def _bc_format(
    name: str, columns: int, width_mm: float, height_mm: float, text: str
) -> LabelLayout:
    # BC's sheets have no gaps: the labels fill the width and eight rows are centred.
    page_width, page_height = A4
    return LabelLayout(
        name=name,
        description=text,
        page_size=A4,
        columns=columns,
        rows=8,
        label_width=width_mm * mm,
        label_height=height_mm * mm,
        left=(page_width - columns * width_mm * mm) / 2,
        top=(page_height - 8 * height_mm * mm) / 2,
        column_pitch=width_mm * mm,
        row_pitch=height_mm * mm,
        # No printer prints to the sheet's edge: keep 5 mm at the sides of every label.
        padding_x=5 * mm,
        padding_y=3 * mm,
    )


LAYOUTS: dict[str, LabelLayout] = {
    layout.name: layout
    for layout in (
        _bc_format("a4-3x8", 3, 70, 36, "A4, 3 × 8 labels of 70 × 36 mm (BC's default)"),
        _bc_format("a4-3x8-37", 3, 70, 37, "A4, 3 × 8 labels of 70 × 37 mm"),
        _bc_format("a4-2x8", 2, 105, 36, "A4, 2 × 8 labels of 105 × 36 mm"),
        _bc_format("a4-2x8-37", 2, 105, 37, "A4, 2 × 8 labels of 105 × 37 mm"),
        LabelLayout(
            name="a4-2x7",
            description="A4, 2 × 7 labels of 99.1 × 38.1 mm (Avery L7163)",
            page_size=A4,
            columns=2,
            rows=7,
            label_width=99.1 * mm,
            label_height=38.1 * mm,
            left=4.65 * mm,
            top=15.15 * mm,
            column_pitch=101.6 * mm,
            row_pitch=38.1 * mm,
            padding_x=5 * mm,
            padding_y=3 * mm,
        ),
        LabelLayout(
            name="a4-3x7",
            description="A4, 3 × 7 labels of 63.5 × 38.1 mm (Avery L7160)",
            page_size=A4,
            columns=3,
            rows=7,
            label_width=63.5 * mm,
            label_height=38.1 * mm,
            left=7.25 * mm,
            top=15.15 * mm,
            column_pitch=66.0 * mm,
            row_pitch=38.1 * mm,
            padding_x=4 * mm,
            padding_y=3 * mm,
        ),
        LabelLayout(
            name="letter-3x10",
            description='US Letter, 3 × 10 labels of 2⅝ × 1" (Avery 5160)',
            page_size=LETTER,
            columns=3,
            rows=10,
            label_width=2.625 * inch,
            label_height=1.0 * inch,
            left=0.1875 * inch,
            top=0.5 * inch,
            column_pitch=2.75 * inch,
            row_pitch=1.0 * inch,
            padding_x=0.12 * inch,
            padding_y=0.06 * inch,
            max_font=9.0,
        ),
    )
}

ALIASES = {"avery-5160": "letter-3x10", "l7163": "a4-2x7", "l7160": "a4-3x7"}
DEFAULT_LAYOUT = "a4-3x8"


def layout_names() -> list[str]:
    """Every name ``--layout`` accepts (the layouts, then the sheet makers' numbers)."""
    return [*LAYOUTS, *ALIASES]


def get_layout(name: str) -> LabelLayout:
    """The layout called ``name`` (or a sheet maker's number for it)."""
    key = name.strip().lower()
    layout = LAYOUTS.get(ALIASES.get(key, key))
    if layout is None:
        raise UserError(
            f"layout: {name.strip()!r} is not a label layout; choose one of: "
            + ", ".join(layout_names()),
            field="layout",
        )
    return layout

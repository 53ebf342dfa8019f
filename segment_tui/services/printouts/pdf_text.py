"""Text in PDF boxes: the fonts, measuring, wrapping and fitting a block into a box.

Labels, cover sheets and the contacts report are drawn with reportlab (BSD licence; one
wheel plus Pillow, about 31 MB installed against about 53 MB for fpdf2, which pulls in
fontTools; docs/printing.md). Text is set in a TrueType font embedded as a subset, so
names in any script the font covers print as typed: ``$SEGMENT_TUI_PDF_FONT`` (and
``$SEGMENT_TUI_PDF_FONT_BOLD``) name one, else DejaVu Sans or Liberation Sans when the
system has them, else the Bitstream Vera that ships with reportlab (Western European
letters only; characters a font lacks are reported, see :func:`missing_characters`).

:func:`fit_block` is the one rule every box follows: wrap each line at word boundaries
(breaking a word only when it alone is too wide), shrink the font step by step down to a
minimum, and only then cut lines with an ellipsis — so text never leaves its box.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from segment_tui.errors import UserError

FONT_ENV, BOLD_FONT_ENV = "SEGMENT_TUI_PDF_FONT", "SEGMENT_TUI_PDF_FONT_BOLD"
LEADING = 1.2
"""Line pitch as a multiple of the font size."""
ELLIPSIS = "…"

_SYSTEM_FONTS = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
     "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)  # fmt: skip


@dataclass(frozen=True)
class Fonts:
    """The registered regular and bold fonts (reportlab names) and where they came from."""

    regular: str
    bold: str
    path: str

    @property
    def ascent(self) -> float:
        """The regular font's ascent, in units of the font size."""
        return float(pdfmetrics.getFont(self.regular).face.ascent) / 1000

    @property
    def descent(self) -> float:
        """The regular font's descent below the baseline (positive), per font size."""
        return -float(pdfmetrics.getFont(self.regular).face.descent) / 1000


_registered: dict[tuple[str, str], Fonts] = {}


def _font_files() -> tuple[str, str]:
    chosen = os.environ.get(FONT_ENV, "").strip()
    if chosen:
        bold = os.environ.get(BOLD_FONT_ENV, "").strip() or chosen
        for path in (chosen, bold):
            if not Path(path).is_file():
                raise UserError(f"{FONT_ENV}: {path} is not a font file")
        return chosen, bold
    for regular, bold in _SYSTEM_FONTS:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    return str(folder / "Vera.ttf"), str(folder / "VeraBd.ttf")


def fonts() -> Fonts:
    """The fonts to print with, registered with reportlab once per process."""
    regular, bold = _font_files()
    known = _registered.get((regular, bold))
    if known is not None:
        return known
    names = (f"Seg{len(_registered)}", f"Seg{len(_registered)}-Bold")
    try:
        pdfmetrics.registerFont(TTFont(names[0], regular))
        pdfmetrics.registerFont(TTFont(names[1], bold))
    except Exception as error:  # noqa: BLE001 - reportlab raises plain exceptions for bad fonts
        raise UserError(f"cannot use the font {regular}: {error}") from None
    result = Fonts(names[0], names[1], regular)
    _registered[(regular, bold)] = result
    return result


def missing_characters(text: str, font: str) -> set[str]:
    """The characters of ``text`` the font has no glyph for (they print as boxes)."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return {c for c in text if not c.isspace() and ord(c) not in glyphs}


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points."""
    return float(pdfmetrics.stringWidth(text, font, size))


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word too wide for the box into pieces that fit (at least one character)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return pieces + ([current] if current else [])


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` as lines no wider than ``width`` (greedy, at spaces; long words broken)."""
    if text_width(text, font, size) <= width:  # most lines fit whole: one measurement
        return [text] if text.strip() else []
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word, font, size) <= width:
            current = word
        else:
            *whole, current = _break_word(word, font, size, width)
            lines.extend(whole)
    if current:
        lines.append(current)
    return lines


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut to fit ``width`` on one line, ending in an ellipsis when cut."""
    if text_width(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits together with the ellipsis
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def block_height(rows: int, size: float, fonts_used: Fonts) -> float:
    """The height ``rows`` lines take: line pitches plus one line's ascent and descent."""
    if rows == 0:
        return 0.0
    return (rows - 1) * size * LEADING + size * (fonts_used.ascent + fonts_used.descent)


@dataclass(frozen=True)
class FittedBlock:
    """Lines fitted into a box: what to draw, at which size, and what it took."""

    rows: tuple[str, ...]
    size: float
    shrunk: bool
    """The font is smaller than the box's normal size."""
    truncated: bool
    """Some text was cut (an ellipsis ends a line) because even the minimum size was
    too big for the box."""

    @property
    def leading(self) -> float:
        """The distance between baselines."""
        return self.size * LEADING


def fit_block(
    lines: Sequence[str],
    width: float,
    height: float,
    *,
    font: str,
    fonts_used: Fonts,
    max_size: float,
    min_size: float,
    step: float = 0.5,
) -> FittedBlock:
    """Fit ``lines`` into a ``width`` × ``height`` box (points): wrap, then shrink from
    ``max_size`` to ``min_size``, then cut — the rows returned always fit the box."""
    lines = [line for line in (" ".join(str(x).split()) for x in lines) if line]
    steps = max(0, math.floor((max_size - min_size) / step + 1e-9))
    for index in range(steps + 1):
        size = max_size - index * step
        rows = [row for line in lines for row in wrap(line, font, size, width)]
        if block_height(len(rows), size, fonts_used) <= height:
            return FittedBlock(tuple(rows), size, size < max_size, False)
    size = min_size
    capacity = 0
    while block_height(capacity + 1, size, fonts_used) <= height:
        capacity += 1
    return FittedBlock(tuple(_cut(lines, font, size, width, capacity)), size, True, True)


def _cut(lines: list[str], font: str, size: float, width: float, capacity: int) -> list[str]:
    """Rows for ``capacity`` lines: wrapped lines give up their extra rows (the longest
    first, ending in an ellipsis); with more lines than rows the first and the last ones
    stay (the name and the city/country of an address)."""
    if capacity <= 0:
        return []
    if len(lines) > capacity:
        lines = lines[:1] + lines[len(lines) - capacity + 1 :] if capacity > 1 else lines[:1]
    wrapped = [wrap(line, font, size, width) for line in lines]
    while sum(len(rows) for rows in wrapped) > capacity:
        longest = max(range(len(wrapped)), key=lambda i: len(wrapped[i]))
        rows = wrapped[longest]
        keep = max(1, len(rows) - (sum(len(r) for r in wrapped) - capacity))
        # The rows wrap() made from one line are each as full as they can be, so the
        # rest of the line joined again never fits and ellipsize() cuts it.
        rest = " ".join(rows[keep - 1 :])
        wrapped[longest] = rows[: keep - 1] + [ellipsize(rest, font, size, width)]
    return [row for rows in wrapped for row in rows]

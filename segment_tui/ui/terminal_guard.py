"""No value reaches the terminal raw from the TUI (docs/security.md, "Terminal").

Textual writes the text of a widget to the terminal as it is: a contact named
``"\\x1b]0;owned\\x07"`` set the window title and ``"\\x1b[2J"`` cleared the screen from
a table cell, a header, a notification or an input field (measured with Textual 8.2.8:
only BEL, backspace, CR, VT and FF are stripped, by Rich). Every line of the screen is
turned into terminal output in one method, :meth:`textual.strip.Strip.render`, so the
guard sits there: before a line is rendered, the text of its segments passes through
:func:`segment_tui.printable.printable` with ``drop=True``. Those characters take no
cell on screen, so dropping them changes no layout. The escape sequences Textual itself
writes (colours, cursor moves) are not text of a segment and are untouched.

:func:`install` is called once, when the app module is imported; the guard checks a
line with one regular-expression scan and leaves lines without such characters alone.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.strip import Strip

from segment_tui.printable import UNSAFE, printable

_original_render = Strip.render


def _guarded_render(self: Strip, console: Any) -> str:
    if self._render_cache is None and any(
        not control and UNSAFE.search(text) for text, _, control in self._segments
    ):
        clean = Strip(
            [
                s if s.control else Segment(printable(s.text, drop=True), s.style)
                for s in self._segments
            ],
            self.cell_length,
        )
        self._render_cache = _original_render(clean, console)
    return _original_render(self, console)


def install() -> None:
    """Guard every line Textual renders (idempotent)."""
    Strip.render = _guarded_render  # type: ignore[method-assign]

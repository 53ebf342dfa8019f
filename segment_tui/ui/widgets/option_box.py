"""A checkbox that reads ``[x]`` / ``[ ]``: Textual's draws the same glyph for on and off
and tells them apart by colour only, which is lost at 16 colours and over some links."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class OptionBox(Checkbox):
    """A yes/no option of a dialog; space or Enter toggles it."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("[x]" if self.value else "[ ]", style))

"""The merged letter of one line as text (nothing is logged or saved)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from segment_tui.ui.work import run_db


class PreviewScreen(ModalScreen[None]):
    """Letter preview for the cursor line of the worksheet."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,p", "dismiss", "Close")]

    def __init__(self, segment_no: str, line_no: int) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.line_no = line_no

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog preview-letter"):
            yield Label(f"Letter for line {self.line_no} of {self.segment_no}", classes="title")
            yield Static("merging…", id="letter", markup=False)
            yield Label("Esc closes", classes="hint")

    def on_mount(self) -> None:
        from segment_tui.services.documents.merge_preview import preview_line_text

        letter = self.query_one("#letter", Static)
        run_db(
            self,
            lambda: preview_line_text(self.segment_no, self.line_no),
            letter.update,
            failed=lambda e: letter.update(f"Cannot preview: {e}"),
        )

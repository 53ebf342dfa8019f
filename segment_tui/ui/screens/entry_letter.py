"""Show Attachments (BC): the letter of one interaction log entry as text, and ``s`` to
save it as a .docx (the letter as delivered, else merged now from the entry's document:
:mod:`segment_tui.services.interactions.letters`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from segment_tui.services.interactions.letters import (
    DELIVERED,
    Letter,
    export_letter,
    letter_text,
)
from segment_tui.ui.screens.dialogs import FormDialog
from segment_tui.ui.work import run_db


class EntryLetterScreen(ModalScreen[None]):
    """The letter of one entry; Esc closes, s saves it to a file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("s", "save", "Save as .docx"),
    ]

    def __init__(self, entry_no: int) -> None:
        super().__init__()
        self.entry_no = entry_no
        self.file_name = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog preview-letter"):
            yield Label(f"Letter of interaction log entry {self.entry_no}", classes="title")
            yield Static("", id="kind", classes="hint", markup=False)
            yield Static("reading…", id="letter", markup=False)
            yield Label("s saves it as .docx · Esc closes", classes="hint")

    def on_mount(self) -> None:
        def show(result: tuple[Letter, str]) -> None:
            letter, text = result
            self.file_name = letter.file_name
            self.query_one("#kind", Static).update(
                "As delivered."
                if letter.kind == DELIVERED
                else "Not delivered: merged now from the entry's Word document, with the "
                "contact's current data."
            )
            self.query_one("#letter", Static).update(text)

        run_db(
            self,
            lambda: letter_text(self.entry_no),
            show,
            failed=lambda error: self.query_one("#letter", Static).update(str(error)),
        )

    def action_save(self) -> None:
        """Save the letter to a file (a folder keeps its name)."""
        if not self.file_name:
            return
        number = self.entry_no

        def save(values: dict[str, str]) -> str:
            _, path = export_letter(number, Path(values["path"]).expanduser())
            return str(path)

        def saved(path: str | None) -> None:
            if path:
                self.app.notify(f"Saved the letter of entry {number} to {path}.", timeout=6)

        self.app.push_screen(
            FormDialog(
                "Save the letter as", [("path", "File or folder", self.file_name)], submit=save
            ),
            saved,
        )

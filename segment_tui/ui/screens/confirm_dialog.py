"""BC's yes/no question as a modal dialog: the default button has the focus, Esc cancels.

Its own module because :mod:`segment_tui.ui.work` (the one place that asks BC's
questions) shows it, while the other dialogs run their work through ``ui.work``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmDialog(ModalScreen[bool | None]):
    """A BC confirmation: the default button has the focus; Esc cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "cancel", "Cancel"),
        Binding("left,right,tab", "app.focus_next", "Switch", show=False),
    ]

    def __init__(self, question: str, *, default: bool = True) -> None:
        super().__init__()
        self.question = question
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question.replace("\\", "\n"), classes="question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Yes", id="yes", variant="primary" if self.default else "default")
                yield Button("No", id="no", variant="default" if self.default else "primary")
            default = "Yes" if self.default else "No"
            yield Label(f"y Yes · n No · Enter {default} · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default else "#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)

    def action_cancel(self) -> None:
        """Close without answering."""
        self.dismiss(None)

"""ctrl+n: the messages of this session, newest first — a toast disappears after a few
seconds, a delivery failure or a refusal must not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

if TYPE_CHECKING:
    from segment_tui.ui.app import ShownMessage

LEVELS = {"information": "", "warning": "Warning", "error": "Error"}
"""What a severity reads as (information needs no word)."""


class MessagesScreen(ModalScreen[None]):
    """The message history (Esc or ctrl+n closes it)."""

    HELP_TITLE = "Messages"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+n", "dismiss", "Close", id="messages.close"),
    ]

    def __init__(self, messages: Sequence[ShownMessage]) -> None:
        super().__init__()
        self.shown = list(reversed(messages))
        """The messages, newest first."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog messages"):
            yield Label(f"Messages of this session ({len(self.shown):,})", classes="title")
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            yield table
            hint = "↑↓ scroll · Esc closes" if self.shown else "No messages yet · Esc closes"
            yield Label(hint, classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The text column takes what the dialog leaves (90% of the terminal, less its
        # border, padding, the two other columns and the cells' padding); messages wrap.
        dialog = int(self.app.size.width * 0.9)
        width = max(20, dialog - 4 - (8 + 2) - (7 + 2) - 2 - 2)
        table.add_column("Time", width=8, key="time")
        table.add_column("Level", width=7, key="level")
        table.add_column("Message", width=width, key="text")
        for message in self.shown:
            level = LEVELS.get(message.severity, message.severity)
            style = {"error": "bold", "warning": "italic"}.get(message.severity, "")
            text = f"{message.title}: {message.text}" if message.title else message.text
            table.add_row(
                Text(message.time.strftime("%H:%M:%S")),
                Text(level, style=style),
                Text(text.replace("\\", "\n")),
                height=None,
            )
        table.focus()

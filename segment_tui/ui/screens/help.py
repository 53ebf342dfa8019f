"""F1: every key of the screen underneath, with what it does."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

_KEY_NAMES = {
    "pageup": "PgUp", "pagedown": "PgDn", "escape": "Esc", "delete": "Del",
    "insert": "Ins", "slash": "/", "question_mark": "?",
}  # fmt: skip


def describe_key(key: str) -> str:
    """How a key reads for people: ``ctrl+l`` → ``Ctrl+L``, ``f4`` → ``F4``, ``a`` → ``a``."""
    parts = []
    for part in key.split("+"):
        if part in _KEY_NAMES:
            parts.append(_KEY_NAMES[part])
        elif len(part) == 1:
            parts.append(part)
        elif part[0] == "f" and part[1:].isdigit():
            parts.append(part.upper())
        else:
            parts.append(part.title())
    if len(parts) > 1 and len(parts[-1]) == 1:
        parts[-1] = parts[-1].upper()  # Ctrl+L, not Ctrl+l
    return "+".join(parts)


def screen_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, description) of every described binding active on ``screen``."""
    by_action: dict[tuple[int, str], list[str]] = {}
    descriptions: dict[tuple[int, str], str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        ident = (id(active.node), binding.action)
        by_action.setdefault(ident, []).append(describe_key(binding.key_display or key))
        descriptions[ident] = binding.tooltip or binding.description
    return [(" / ".join(keys), descriptions[ident]) for ident, keys in by_action.items()]


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from (F1 or Esc closes it)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1", "dismiss", "Close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.keys = screen_keys(under)
        self.under_title = getattr(under, "HELP_TITLE", type(under).__name__)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label(f"Keys — {self.under_title}", classes="title")
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Key", "Action")
            table.add_rows(self.keys)
            yield table
            yield Label("ctrl+p searches every action · F1 or Esc closes", classes="hint")

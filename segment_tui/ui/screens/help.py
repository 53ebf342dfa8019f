"""F1 (or ?): every key of the screen underneath, with what it does — the screen's own
actions first, then the keys of the focused part (table cursor keys, …), then the keys
that work everywhere."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
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


PART_TITLES = {
    "VirtualTable": "Table",
    "DataTable": "Table",
    "HeaderPanel": "Header panel",
    "Input": "Text field",
    "OptionList": "List",
}
"""How the focused part of a screen is called in the help."""

KeyRows = list[tuple[str, str]]


def _rank(node: DOMNode) -> int:
    """The screen's own actions first, then the focused part's, then the app's."""
    if isinstance(node, Screen):
        return 0
    if isinstance(node, App):
        return 2
    return 1


def _title(node: DOMNode, screen: Screen[object]) -> str:
    if isinstance(node, Screen):
        return str(getattr(screen, "HELP_TITLE", type(screen).__name__))
    if isinstance(node, App):
        return "Everywhere"
    name = type(node).__name__
    return PART_TITLES.get(name, name)


def screen_key_groups(screen: Screen[object]) -> list[tuple[str, KeyRows]]:
    """(title, [(keys, description)]) of every described binding active on ``screen``:
    the screen's own first, then the focused part's, then those that work everywhere."""
    by_action: dict[tuple[int, str], list[str]] = {}
    descriptions: dict[tuple[int, str], str] = {}
    nodes: dict[int, DOMNode] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        ident = (id(active.node), binding.action)
        by_action.setdefault(ident, []).append(describe_key(binding.key_display or key))
        descriptions[ident] = binding.tooltip or binding.description
        nodes[id(active.node)] = active.node
    groups: dict[int, list[tuple[int, str, str]]] = {}
    for ident, keys in by_action.items():
        place = _declared_order(nodes[ident[0]]).get(ident[1], len(by_action))
        groups.setdefault(ident[0], []).append((place, " / ".join(keys), descriptions[ident]))
    order = sorted(groups, key=lambda node_id: _rank(nodes[node_id]))
    return [
        (_title(nodes[node_id], screen), [(k, d) for _, k, d in sorted(groups[node_id])])
        for node_id in order
    ]


def _declared_order(node: DOMNode) -> dict[str, int]:
    """action → its place in the node's own BINDINGS (the class's before its bases'):
    the order the screen declares is the order of importance."""
    order: dict[str, int] = {}
    for cls in type(node).__mro__:
        for item in cls.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            order.setdefault(binding.action, len(order))
    return order


def screen_keys(screen: Screen[object]) -> KeyRows:
    """(keys, description) of every described binding active on ``screen``, in the
    help's order (the screen's own actions first)."""
    return [row for _, rows in screen_key_groups(screen) for row in rows]


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from (F1 or Esc closes it)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,question_mark", "dismiss", "Close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.groups = screen_key_groups(under)
        self.keys = [row for _, rows in self.groups for row in rows]
        self.under_title = getattr(under, "HELP_TITLE", type(under).__name__)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label(f"Keys — {self.under_title}", classes="title")
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Key", "Action")
            for title, rows in self.groups:
                table.add_row(Text(title, style="bold underline"), Text(""))
                for keys, description in rows:
                    table.add_row(Text(keys), Text(description))
            yield table
            yield Label("ctrl+p searches every action · F1, ? or Esc closes", classes="hint")

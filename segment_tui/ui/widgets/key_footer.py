"""`KeyFooter`: Textual's footer, made to fit the terminal by priority.

Textual's `Footer` lays out every shown key in one row and lets the ones that do not fit
fall off the right edge — at 80 columns that was F1, the key that lists all the others.
`KeyFooter` keeps the keys in the order the screen declares them (its most important
first, then the focused part's, then the app's), shows as many as fit the width, and
always ends with F1, which reads "More keys" when some were left out. Every key stays
in F1's list and in the command palette (ctrl+p).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"
"""The app's help action: always shown, last."""

PALETTE_WIDTH = 14
"""Cells the command palette key takes at the right edge."""


def key_width(key_display: str, description: str) -> int:
    """Cells one compact footer key takes: key, space, description, margin."""
    return len(key_display) + 1 + len(description) + 1


class KeyFooter(Footer):
    """A compact footer with the most important keys that fit, F1 always last."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self.left_out: list[str] = []
        """Descriptions of the shown-in-footer keys that did not fit (for tests/help)."""

    def _on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and self.is_attached:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        help_key: tuple[Binding, bool, str] | None = None
        chosen: dict[str, tuple[Binding, bool, str]] = {}
        for binding, enabled, tooltip in self._shown_bindings():
            if binding.action in (HELP_ACTION, f"app.{HELP_ACTION}"):
                help_key = help_key or (binding, enabled, tooltip)
            elif binding.action not in chosen:
                chosen[binding.action] = (binding, enabled, tooltip)
        budget = self.app.size.width - PALETTE_WIDTH - key_width("f1", "More keys")
        used = 0
        self.left_out = []
        for binding, enabled, tooltip in chosen.values():
            width = key_width(self.app.get_key_display(binding), binding.description)
            if used + width > budget:
                self.left_out.append(binding.description)
                continue
            used += width
            yield self._key(binding, enabled, tooltip)
        if help_key is not None:
            binding, enabled, tooltip = help_key
            description = "More keys" if self.left_out else binding.description
            yield self._key(binding, enabled, tooltip, description)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _, binding, enabled, _ = palette
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )

    def _shown_bindings(self) -> list[tuple[Binding, bool, str]]:
        """The bindings to show, the screen's own first (in the order it declares them),
        then the focused part's, then the app's. A screen's key that a focused widget
        also binds, silently, to the same effect (Enter, Space on a table) is shown too:
        Textual's own list keeps only the widget's."""
        screen = self.screen
        active = screen.active_bindings
        ranked: list[tuple[int, int, Binding, bool, str]] = []
        for place, (node, bindings) in enumerate(screen._modal_binding_chain):
            rank = 0 if node is screen else 2 if node is self.app else 1
            for order, (key, binding) in enumerate(bindings):
                if not binding.show:
                    continue
                current = active.get(key)
                if current is None:
                    continue  # disabled by the node's check_action
                if current.binding is not binding and current.binding.show:
                    continue  # shadowed by a binding that is shown itself
                state = self.app._check_action_state(binding.action, node)
                if state is False:
                    continue
                ranked.append((rank, place * 1000 + order, binding, bool(state), binding.tooltip))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [(binding, enabled, tooltip) for _, _, binding, enabled, tooltip in ranked]

    def _key(
        self, binding: Binding, enabled: bool, tooltip: str, description: str = ""
    ) -> FooterKey:
        key = FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            description or binding.description,
            binding.action,
            disabled=not enabled,
            tooltip=tooltip,
        )
        return key.data_bind(compact=Footer.compact)

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
        chosen: dict[str, tuple[Binding, bool, str]] = {}
        help_key: tuple[Binding, bool, str] | None = None
        for _, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in chosen:
                continue
            if binding.action in (HELP_ACTION, f"app.{HELP_ACTION}"):
                help_key = help_key or (binding, enabled, tooltip)
                continue
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

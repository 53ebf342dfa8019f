"""The filter line of a list (Contacts, Logged Segments, Interaction Log Entries):
``field=FILTER`` items in the criteria's filter language, Enter applies, a mistake is
shown under the line with the cursor put where it is, F4 lists the fields — or, with the
cursor in a filter, the field's values — and inserts the one picked.

The bar only holds text and the parsed filters its ``parse`` function returns (plain
values from the services); the services turn them into SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from segment_tui.errors import UserError
from segment_tui.services.contacts.filter_line import FilterLineError
from segment_tui.services.setup.lookups import value_lookup
from segment_tui.ui.screens.dialogs import LookupDialog, LookupRows

_ITEM = re.compile(r"(?:^|(?<=\s))([A-Za-z][A-Za-z0-9_.]*)=")


@dataclass(frozen=True)
class FilterHelp:
    """What F4 offers on a filter line."""

    fields: Callable[[str], LookupRows]
    """The fields (name, caption[, group]) matching a search."""
    values: Callable[[str], tuple[Callable[[str], LookupRows], bool] | None]
    """A field name → the search function of its values and whether to show their
    codes (False for an option: its captions only); None when it has no list."""


def cursor_context(text: str, cursor: int) -> tuple[str, int, int]:
    """What the cursor is in: ``("value", name_start, value_start)`` inside the filter of
    an item, else ``("field", start, cursor)`` where ``start`` is where the field name
    being typed begins (a word after a space starts a new item)."""
    before = text[:cursor]
    word = re.search(r"[A-Za-z0-9_.]*$", before)
    start = word.start() if word else cursor
    items = list(_ITEM.finditer(before))
    if items:
        last = items[-1]
        tail = before[last.end() :]
        new_word = re.search(r"\s[A-Za-z][A-Za-z0-9_.]*$", tail)
        if not new_word and not tail.endswith(" "):
            return "value", last.start(1), last.end()
    return "field", start, cursor


def value_help(source: str) -> tuple[Callable[[str], LookupRows], bool] | None:
    """F4's values for a field whose lookup is ``source`` (see
    :func:`segment_tui.services.setup.lookups.value_lookup`): options show captions only."""
    load = value_lookup(source) if source else None
    return None if load is None else (load, not source.startswith("option:"))


class FilterBar(Vertical):
    """A one-line filter with its message line."""

    DEFAULT_CSS = """
    FilterBar { height: auto; }
    FilterBar > Horizontal { height: 1; }
    FilterBar Label { width: auto; padding: 0 1; color: $text-muted; }
    FilterBar .filter-message { height: 1; padding: 0 1; color: $text-muted; }
    FilterBar .filter-message.error { color: $error; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f4,ctrl+l",
            "lookup",
            "Fields",
            tooltip="List the fields (in a filter: its values) and insert one",
            id="filter-bar.lookup",
        ),
    ]

    class Applied(Message):
        """The filter line was applied: ``filters`` are what ``parse`` returned."""

        def __init__(self, bar: FilterBar, filters: Sequence[Any], text: str) -> None:
            super().__init__()
            self.bar = bar
            self.filters = filters
            self.text = text

        @property
        def control(self) -> FilterBar:
            """The filter bar."""
            return self.bar

    def __init__(
        self,
        parse: Callable[[str], Sequence[Any]],
        help: FilterHelp,
        *,
        placeholder: str,
        hint: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.parse = parse
        self.help = help
        self.placeholder = placeholder
        self.hint = hint
        self.applied_text = ""
        """The line as last applied."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filter-row"):
            yield Label("Filter")
            yield Input(placeholder=self.placeholder, classes="filter")
        yield Static(self.hint, classes="filter-message", markup=False)

    @property
    def input(self) -> Input:
        """The filter line."""
        return self.query_one(Input)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Show a message under the line (blank: the hint)."""
        message = self.query_one(".filter-message", Static)
        message.set_class(error, "error")
        message.update(text or self.hint)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply(event.value)

    def apply(self, text: str) -> bool:
        """Parse and apply ``text``; a mistake stays on screen with the cursor on it."""
        try:
            filters = self.parse(text)
        except FilterLineError as error:
            self.show_message(str(error), error=True)
            self._point_at(text, error.position)
            return False
        except UserError as error:
            self.show_message(str(error), error=True)
            self._point_at(text, len(text))
            return False
        self.applied_text = text.strip()
        self.input.value = text
        self.show_message("")
        self.post_message(self.Applied(self, filters, self.applied_text))
        return True

    def _point_at(self, text: str, position: int) -> None:
        """Put the line back in front of the user with the cursor on the mistake (after
        the focus has selected the text, so that the selection does not move it)."""
        field = self.input
        field.value = text
        field.focus()

        def place() -> None:
            field.cursor_position = position

        place()
        self.call_after_refresh(place)

    def action_lookup(self) -> None:
        """F4: the fields, or the values of the field whose filter the cursor is in."""
        field = self.input
        text, cursor = field.value, field.cursor_position
        kind, start, end = cursor_context(text, cursor)
        if kind == "field" and text[start:cursor] and not self.help.fields(text[start:cursor]):
            # "city=New York": "York" names no field, so it is still city's filter.
            items = list(_ITEM.finditer(text[:cursor]))
            if items:
                kind, start, end = "value", items[-1].start(1), items[-1].end()
        if kind == "value":
            name = text[start : end - 1]
            values = self.help.values(name)
            if values is not None:
                self._pick_value(name, *values, value_start=end)
                return
            if not text[end:cursor].strip():
                self.show_message(f"{name} has no list of values: type a filter.")
                return
            start, end = cursor, cursor
        self._pick_field(start, cursor)

    def _pick_field(self, start: int, cursor: int) -> None:
        field = self.input
        typed = field.value[start:cursor]

        def picked(name: str | None) -> None:
            if not name:
                field.focus()
                return
            text = field.value
            before = text[:start]
            if before and not before.endswith(" "):
                before += " "
            field.value = f"{before}{name}={text[cursor:]}"
            field.cursor_position = len(before) + len(name) + 1
            field.focus()

        self.app.push_screen(
            LookupDialog("Filter on field", self.help.fields, initial=typed), picked
        )

    def _pick_value(
        self, name: str, load: Callable[[str], LookupRows], show_codes: bool, *, value_start: int
    ) -> None:
        field = self.input

        def picked(code: str | None) -> None:
            field.focus()
            if code is None:
                return
            text, cursor = field.value, field.cursor_position
            value = code or "''"
            typed = text[value_start:cursor].strip()
            insert = value if not typed else f"|{value}"
            field.value = text[:cursor] + insert + text[cursor:]
            field.cursor_position = cursor + len(insert)

        self.app.push_screen(LookupDialog(name, load, show_codes=show_codes), picked)

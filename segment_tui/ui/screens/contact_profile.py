"""A contact's profile (BC's Contact Profile Answers): the questionnaires that apply to
the contact, each question followed by its answers; Space or Enter gives the answer
under the cursor or takes it away. BC's rule holds: a question that does not allow
multiple answers refuses a second one ("This Question does not allow Multiple
Answers."); take the first away first."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from segment_tui.services.contacts.columns import PROFILE_COLUMNS
from segment_tui.services.contacts.profile_answers import (
    ProfileLine,
    contact_profile,
    toggle_answer,
)
from segment_tui.ui.sources import columns_of
from segment_tui.ui.sources_records import RecordsSource
from segment_tui.ui.widgets import VirtualTable
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.work import run_db

PROFILE_LINE_COLUMNS = columns_of(PROFILE_COLUMNS.pick("mark", "questionnaire", "line_no", "text"))
"""The profile's lines (``services/contacts/columns.py``)."""


class ShownLine(ProfileLine):
    """A profile line as the table shows it: its key, the answer's mark and the text."""

    key: str
    mark: str
    text: str


def _record(record: ProfileLine) -> ShownLine:
    """A profile line as the table shows it (answers indented under their question)."""
    key = f"{record['questionnaire']}:{record['line_no']}"
    if record["type"] == "question":
        many = " (multiple answers)" if record["multiple_answers"] else ""
        return {**record, "key": key, "mark": "", "text": f"{record['description']}{many}"}
    mark = "[x]" if record["set"] else "[ ]"
    return {**record, "key": key, "mark": mark, "text": f"  {record['description']}"}


class ContactProfileScreen(Screen[bool]):
    """One contact's profile answers; dismissed with True when something changed."""

    HELP_TITLE = "Contact profile"
    # In the footer's priority order. Space is a priority binding here, unlike on the
    # lists (docs/ui.md): this screen has no text field to type it into, and the table's
    # own Space would mark the line instead of giving the answer.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_answer", "Set/Clear", priority=True,
                tooltip="Give the answer under the cursor, or take it away", id="profile.toggle"),
        Binding("escape", "close", "Back", id="profile.back"),
        Binding("f5", "reload", "Refresh", show=False, id="profile.refresh"),
    ]  # fmt: skip

    def __init__(self, contact_no: str) -> None:
        super().__init__()
        self.contact_no = contact_no
        """The contact whose profile is shown."""
        self.changed = False
        """Whether an answer was given or taken away."""
        self.lines: RecordsSource[ShownLine] | None = None
        """The table's source: the profile lines as last read."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield VirtualTable(PROFILE_LINE_COLUMNS, id="profile", classes="listing")
        empty = Static(
            "No profile questionnaire applies to this contact (Setup holds them).",
            id="empty",
            classes="hint",
        )
        empty.display = False
        yield empty
        yield Static("Space or Enter gives or clears an answer", id="status", classes="status")
        yield KeyFooter()

    @property
    def table(self) -> VirtualTable:
        """The profile lines."""
        return self.query_one("#profile", VirtualTable)

    def on_mount(self) -> None:
        self.title = f"Profile — contact {self.contact_no}"
        self.table.focus()
        number = self.contact_no
        self.lines = RecordsSource(
            lambda: [_record(r) for r in contact_profile(number)],
            PROFILE_LINE_COLUMNS,
            "key",
            lambda r: "bold" if r["type"] == "question" else "",
        )
        self.table.set_source(self.lines)

    @on(VirtualTable.Loaded, "#profile")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        self.query_one("#empty", Static).display = not event.row_count

    @on(VirtualTable.FetchFailed, "#profile")
    def _failed(self, event: VirtualTable.FetchFailed) -> None:
        self.notify(f"Cannot read the profile: {event.error}", severity="error")

    @on(VirtualTable.CellSelected, "#profile")
    def _selected(self) -> None:
        self.action_toggle_answer()

    def action_toggle_answer(self) -> None:
        """Give the answer under the cursor, or take it away."""
        key = self.table.cursor_key
        if key is None or self.lines is None:
            return
        record = self.lines.record(key)
        if record is None or record["type"] != "answer":
            self.notify("Pick an answer (the lines under a question).", timeout=3)
            return
        number, code, line = self.contact_no, record["questionnaire"], record["line_no"]

        def done(now_set: bool) -> None:
            self.changed = True
            self.action_reload()
            verb = "given" if now_set else "cleared"
            self.query_one("#status", Static).update(
                f"{record['description']}: {verb} · Space or Enter gives or clears an answer"
            )

        run_db(self, lambda: toggle_answer(number, code, line), done)

    def action_reload(self) -> None:
        """Read the profile again (the cursor stays on its line)."""
        if self.lines is not None:
            self.lines = self.lines.reloaded()
            self.table.set_source(self.lines, keep_cursor_key=True)

    def action_close(self) -> None:
        """Back to the card."""
        self.dismiss(self.changed)

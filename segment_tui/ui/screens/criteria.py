"""Segment Criteria (BC's p5143): actions in bold with +added/−removed and their options,
every filter of every action below on a row of its own, whole — long filters wrap
within the Filter column, which takes the width the terminal leaves — at any width.
Save Criteria and Go Back from here."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from segment_tui.services.criteria.view import (
    CriteriaActionRecord,
    CriteriaRecord,
    criteria_records,
)
from segment_tui.ui.screens.criteria_actions import confirm_go_back, open_save_criteria
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.work import run_db

INDENT = "\u00a0" * 3
"""Filter rows sit under their action (non-breaking: wrapping must not eat it)."""
COUNT_WIDTH = 8
"""The Added and Removed columns (``+100,000``)."""


def column_widths(width: int, captions: list[str], filters: list[str]) -> tuple[int, int]:
    """(caption column, filter column) for a table ``width`` cells wide: the captions as
    wide as the longest (16–30), the filter as wide as the longest filter when there is
    room (the counts then stay next to it), else everything left (at least 20)."""
    caption = max(16, min(30, max((len(c) for c in captions), default=0)))
    # Four columns with one cell of padding on each side, and room for a scrollbar.
    room = width - caption - 2 * COUNT_WIDTH - 4 * 2 - 2
    longest = max((len(f) for f in filters), default=0)
    return caption, max(20, min(room, longest))


def criteria_rows(records: list[CriteriaRecord]) -> list[tuple[Text, Text, Text, Text]]:
    """One row per action and one per filter of it (section caption on its first)."""
    rows: list[tuple[Text, Text, Text, Text]] = []
    for record in records:
        if record["type"] == "action":
            rows.append(
                (
                    Text(f"{record['action_no']}. {record['caption']}", style="bold"),
                    Text(_options(record), style="dim italic"),
                    Text(f"+{record['added']:,}", style="green"),
                    Text(f"−{record['removed']:,}", style="red"),
                )
            )
            continue
        items = record["filter_items"] or [("", record["filter_text"])]
        for index, (label, text) in enumerate(items):
            section = f"{INDENT}{record['caption']}" if index == 0 else ""
            filter_text = f"{label}: {text}" if label else text
            rows.append((Text(section), Text(filter_text), Text(""), Text("")))
    return rows


class CriteriaScreen(Screen[None]):
    """The criteria actions of one segment."""

    HELP_TITLE = "Segment criteria"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="criteria.back"),
        Binding("s", "save", "Save Criteria", id="criteria.save"),
        Binding("b", "go_back", "Go Back", id="criteria.go-back"),
    ]

    def __init__(self, segment_no: str) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.rows: list[tuple[Text, Text, Text, Text]] = []
        """The rows shown (kept to lay them out again when the terminal is resized)."""
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", id="criteria")
        yield Static("", id="empty", classes="hint")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[Text]:
        """The criteria table."""
        return self.query_one("#criteria", DataTable)

    def on_mount(self) -> None:
        self.title = f"Criteria — Segment {self.segment_no}"
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._lay_out()

    def load(self) -> None:
        """Read the criteria lines again."""

        def show(records: list[CriteriaRecord]) -> None:
            self.rows = criteria_rows(records)
            self._lay_out()
            self.query_one("#empty", Static).update(
                ""
                if records
                else "No criteria actions yet: Add Contacts (a) in the worksheet records one."
            )

        run_db(self, lambda: criteria_records(self.segment_no), show)

    def _lay_out(self) -> None:
        """Fill the table for the current width; rows grow to show wrapped filters."""
        table = self.table
        self._width = self.size.width or self.app.size.width
        caption, filter_width = column_widths(
            self._width, [r[0].plain for r in self.rows], [r[1].plain for r in self.rows]
        )
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column("Action / Table", width=caption, key="caption")
        table.add_column("Filter / Options", width=filter_width, key="filter")
        table.add_column("Added", width=COUNT_WIDTH, key="added")
        table.add_column("Removed", width=COUNT_WIDTH, key="removed")
        for row in self.rows:
            # height None: as many lines as the wrapped filter needs.
            table.add_row(*row, height=None)
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))

    def action_save(self) -> None:
        """Save the criteria under a code."""
        open_save_criteria(self, self.segment_no)

    def action_go_back(self) -> None:
        """Undo the last action, then show the criteria again."""
        confirm_go_back(self, self.segment_no, self.load)

    def action_close(self) -> None:
        """Back to the worksheet."""
        self.dismiss(None)


def _options(row: CriteriaActionRecord) -> str:
    flags = [
        (row["allow_existing_contacts"], "Allow Existing"),
        (row["expand_contact"], "Expand Companies"),
        (row["allow_company_with_persons"], "Related Companies"),
        (row["ignore_exclusion"], "Ignore Exclusion"),
        (row["entire_companies"], "Entire Companies"),
    ]
    return ", ".join(label for on, label in flags if on)

"""Segment Criteria (BC's p5143): actions in bold with +added/−removed, their filters
indented below; Save Criteria and Go Back from here."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from segment_tui.services.segment_view import criteria_records
from segment_tui.ui.screens.worksheet_actions import confirm_go_back, open_save_criteria
from segment_tui.ui.work import run_db


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

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[Text] = DataTable(cursor_type="row", id="criteria")
        table.add_column("Action / Table", width=28, key="caption")
        table.add_column("Filter", width=28, key="filter")
        table.add_column("Added", width=7, key="added")
        table.add_column("Removed", width=7, key="removed")
        yield table
        yield Static("", id="empty", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Criteria — Segment {self.segment_no}"
        self.load()

    def load(self) -> None:
        """Read the criteria lines again."""

        def show(rows: list[dict[str, Any]]) -> None:
            table = self.query_one(DataTable)
            table.clear()
            for row in rows:
                if row["type"] == "action":
                    table.add_row(
                        Text(f"{row['action_no']}. {row['caption']}", style="bold"),
                        Text(_options(row), style="dim"),
                        Text(f"+{row['added']:,}", style="green"),
                        Text(f"−{row['removed']:,}", style="red"),
                    )
                else:
                    table.add_row(
                        Text(f"\u00a0\u00a0\u00a0{row['caption']}"),
                        Text(row["filter_text"]),
                        Text(""),
                        Text(""),
                    )
            self.query_one("#empty", Static).update(
                ""
                if rows
                else "No criteria actions yet: Add Contacts (a) in the worksheet records one."
            )

        run_db(self, lambda: criteria_records(self.segment_no), show)

    def action_save(self) -> None:
        """Save the criteria under a code."""
        open_save_criteria(self, self.segment_no)

    def action_go_back(self) -> None:
        """Undo the last action, then show the criteria again."""
        confirm_go_back(self, self.segment_no, self.load)

    def action_close(self) -> None:
        """Back to the worksheet."""
        self.dismiss(None)


def _options(row: dict[str, Any]) -> str:
    flags = [
        ("allow_existing_contacts", "Allow Existing"),
        ("expand_contact", "Expand Companies"),
        ("allow_company_with_persons", "Related Companies"),
        ("ignore_exclusion", "Ignore Exclusion"),
        ("entire_companies", "Entire Companies"),
    ]
    return ", ".join(label for key, label in flags if row.get(key))

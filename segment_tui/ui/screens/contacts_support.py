"""Helpers of the Contacts screen: its row source (:mod:`segment_tui.ui.sources_contacts`,
re-exported here), the filter line's F4 help, the worker body that imports CSV files, and
the dialog listing an import's bad rows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from segment_tui.errors import UserError
from segment_tui.services.criteria.fields import field_rows, value_source
from segment_tui.ui.screens.filter_bar import FilterHelp, value_help
from segment_tui.ui.sources_contacts import ContactsSource

if TYPE_CHECKING:  # the services are imported when first used (start-up time)
    from segment_tui.services.contacts.importing import ImportReport

__all__ = ["CONTACT_FILTER_HELP", "ContactsSource", "ImportProblemsDialog", "import_csv"]

CONTACT_FILTER_HELP = FilterHelp(
    fields=field_rows, values=lambda name: value_help(value_source(name))
)
"""F4 on the Contacts filter line: every criteria field by section, then its values."""


class ImportProblemsDialog(ModalScreen[None]):
    """The bad rows of a refused import: line, column and reason (scrollable)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", "Close", id="import-problems.close"),
    ]

    def __init__(self, title: str, problems: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.problems_title = title
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label(self.problems_title, classes="title")
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_column("Line", width=5, key="line")
            table.add_column("Column", width=14, key="column")
            table.add_column("Reason", width=44, key="reason")
            for line, column, reason in self.problems:
                table.add_row(str(line), column, reason)
            yield table
            yield Label("Nothing was imported · ↑↓ scroll · Esc closes", classes="hint")


def import_csv(path: Path, *, dry_run: bool, skip_bad: bool = False) -> ImportReport:
    """Import (or check) a CSV file; an unreadable file is a UserError (worker side).
    ``skip_bad`` imports the good rows and writes the bad ones beside the file."""
    from segment_tui.services.contacts.importing import import_contacts

    try:
        return import_contacts(path, dry_run=dry_run, skip_bad=skip_bad)
    except OSError as error:
        raise UserError(f"{path}: cannot read it: {error.strerror or error}") from None

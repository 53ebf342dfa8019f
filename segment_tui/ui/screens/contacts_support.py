"""Helpers of the Contacts screen: its row source (keyset paging through
:mod:`segment_tui.services.contact_view`), the worker bodies that add contacts to
segments and import CSV files, and the dialog listing an import's bad rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from peewee import ColumnBase
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from segment_tui.db import db, write_transaction
from segment_tui.errors import UserError
from segment_tui.services.contact_view import (
    contact_count,
    contact_index,
    contacts_after,
    contacts_at,
    contacts_before,
)
from segment_tui.ui.sources import to_row
from segment_tui.ui.widgets import Column, Row, RowKey

Problems = list[tuple[str, str]]
"""(contact no., why it was refused) pairs."""


class ContactsSource:
    """The contacts matching a condition, in number order (keyset paging on ``no``)."""

    def __init__(self, condition: ColumnBase | None, columns: tuple[Column, ...]) -> None:
        self.condition = condition
        self.columns = columns

    def _rows(self, records: list[dict[str, Any]]) -> list[Row]:
        return [to_row(r, self.columns, "no") for r in records]

    def count(self) -> int:
        """Number of matching contacts."""
        with db.connection_context():
            return contact_count(self.condition)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        """Contacts ``offset`` … ``offset+limit``."""
        with db.connection_context():
            return self._rows(contacts_at(self.condition, offset, limit))

    def fetch_after(self, key: RowKey, limit: int) -> list[Row]:
        """Contacts after number ``key``."""
        with db.connection_context():
            return self._rows(contacts_after(self.condition, str(key), limit))

    def fetch_before(self, key: RowKey, limit: int) -> list[Row]:
        """Contacts before number ``key``."""
        with db.connection_context():
            return self._rows(contacts_before(self.condition, str(key), limit))

    def locate(self, key: RowKey) -> int | None:
        """Position of contact ``key``, or None when it does not match."""
        with db.connection_context():
            return contact_index(self.condition, str(key))


def add_contacts(segment_no: str, contact_nos: list[str]) -> tuple[int, Problems]:
    """Type each contact into a new line of the segment, in one transaction (worker side);
    a contact the segment refuses is skipped and reported."""
    from segment_tui.services.segment_lines import add_line

    added = 0
    problems: Problems = []
    with write_transaction():
        for no in contact_nos:
            try:
                add_line(segment_no, no)
            except UserError as error:
                problems.append((no, str(error)))
            else:
                added += 1
    return added, problems


def new_segment_with(description: str, contact_nos: list[str]) -> tuple[str, int, Problems]:
    """Create a segment and add the contacts to it, all in one transaction (worker side)."""
    from segment_tui.services.segments import create_segment

    with write_transaction():
        segment_no = str(create_segment(description)["no"])
        added, problems = add_contacts(segment_no, contact_nos)
    return segment_no, added, problems


def outcome(added: int, segment_no: str, problems: Problems) -> str:
    """What adding contacts to a segment did, for a notification."""
    text = f"Added {added:,} contact{'s' if added != 1 else ''} to segment {segment_no}."
    if problems:
        no, reason = problems[0]
        text += f" {len(problems):,} refused, e.g. {no}: {reason}"
    return text


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


def import_csv(path: Path, *, dry_run: bool, skip_bad: bool = False) -> Any:
    """Import (or check) a CSV file; an unreadable file is a UserError (worker side).
    ``skip_bad`` imports the good rows and writes the bad ones beside the file."""
    from segment_tui.services.contact_import import import_contacts

    try:
        return import_contacts(path, dry_run=dry_run, skip_bad=skip_bad)
    except OSError as error:
        raise UserError(f"{path}: cannot read it: {error.strerror or error}") from None

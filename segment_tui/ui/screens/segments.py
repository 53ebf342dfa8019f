"""Home: the segments not logged yet (BC's Segment List, p5093)."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from segment_tui.services.segments.columns import SEGMENT_COLUMNS
from segment_tui.services.segments.headers import (
    SegmentHeaderRecord,
    SegmentListRow,
    create_segment,
    delete_segment,
    list_segments,
)
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import FormDialog
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.work import run_db

COLUMNS = SEGMENT_COLUMNS.pick(
    "no", "description", "campaign_no", "salesperson_code", "date", "no_of_lines"
)
"""The segments' columns (``services/segments/columns.py``): with the cell padding all six
fit 80 columns."""
DESCRIPTION_WIDTH = 50
"""A segment's description holds 50 characters: wide terminals show it whole."""


def fitted_columns(width: int) -> list[tuple[str, str, int]]:
    """The columns, the description widened to what ``width`` leaves (up to 50)."""
    fixed = sum(c.width + 2 for c in COLUMNS if c.key != "description") + 2
    description = max(25, min(DESCRIPTION_WIDTH, width - fixed - 2))
    return [(c.key, c.caption, description if c.key == "description" else c.width) for c in COLUMNS]


class SegmentsScreen(Screen[None]):
    """The list of segments in progress; Enter opens one in the worksheet."""

    HELP_TITLE = "Segments"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="segments.open"),
        Binding("n", "new", "New", tooltip="Create a segment", id="segments.new"),
        Binding("delete", "delete", "Delete", show=False, id="segments.delete"),
        Binding("l", "logged", "Logged", tooltip="Logged Segments", id="segments.logged"),
        Binding(
            "e", "entries", "Entries", tooltip="Interaction Log Entries", id="segments.entries"
        ),
        Binding("k", "contacts", "Contacts", id="segments.contacts"),
        Binding(
            "t",
            "statistics",
            "Statistics",
            show=False,
            tooltip="Interaction Statistics",
            id="segments.statistics",
        ),
        Binding(
            "m", "campaign_entries", "Campaign Entries", show=False, id="segments.campaign-entries"
        ),
        Binding("s", "setup", "Setup", id="segments.setup"),
        Binding(
            "w",
            "app.work_date",
            "Work Date",
            show=False,
            tooltip="Work Date (what w/workdate mean in filters; new segments' date)",
            id="segments.work-date",
        ),
        Binding("f5", "reload", "Refresh", show=False, id="segments.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True, id="segments")
        self._add_columns(table, self.app.size.width)
        yield table
        yield Static("", id="empty", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Segments"
        self.action_reload()

    def _add_columns(self, table: DataTable[str], width: int) -> None:
        for key, label, size in fitted_columns(width):
            table.add_column(label, width=size, key=key)

    def on_resize(self, event: events.Resize) -> None:
        table = self.query_one(DataTable)
        if [c.width for c in table.ordered_columns] != [
            w for *_, w in fitted_columns(event.size.width)
        ]:
            table.clear(columns=True)
            self._add_columns(table, event.size.width)
            self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self, select: str | None = None) -> None:
        """Read the segments again."""

        def show(rows: list[SegmentListRow]) -> None:
            table = self.query_one(DataTable)
            current = select or self.current_no()
            table.clear()
            for row in rows:
                table.add_row(*[c.format(row.get(c.key)) for c in COLUMNS], key=row["no"])
            if current and current in {r["no"] for r in rows}:
                table.move_cursor(row=table.get_row_index(current))
            self.query_one("#empty", Static).update(
                "" if rows else "No segments yet — press n to create one."
            )

        run_db(self, list_segments, show, exclusive=True, group="segments")

    def current_no(self) -> str | None:
        """The segment under the cursor."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self, no: str | None = None) -> None:
        """Open the segment under the cursor in the worksheet."""
        from segment_tui.ui.screens.worksheet import WorksheetScreen

        segment = no or self.current_no()
        if segment:
            self.app.push_screen(WorksheetScreen(segment))

    def action_new(self) -> None:
        """Create a segment (number from the Segment Nos. series) and open it."""

        def created(record: SegmentHeaderRecord | None) -> None:
            if record:
                self.action_reload(select=record["no"])
                self.action_open(record["no"])

        self.app.push_screen(
            FormDialog(
                "New segment",
                [("description", "Description", "")],
                submit=lambda values: create_segment(values["description"]),
            ),
            created,
        )

    def action_delete(self) -> None:
        """Delete the segment under the cursor (after BC-style confirmation, default No)."""
        segment = self.current_no()
        if not segment:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                run_db(self, lambda: delete_segment(segment), lambda _: self.action_reload())

        table = self.query_one(DataTable)
        cells = dict(zip((c.key for c in COLUMNS), table.get_row(segment), strict=False))
        description = f" “{cells['description']}”" if cells.get("description") else ""
        lines = cells.get("no_of_lines") or "0"
        noun = "line" if lines == "1" else "lines"
        question = f"Delete segment {segment}{description} with its {lines} {noun}?"
        self.app.push_screen(ConfirmDialog(question, default=False), answered)

    def action_logged(self) -> None:
        """Open Logged Segments."""
        from segment_tui.ui.screens.logged_segments import LoggedSegmentsScreen

        self.app.push_screen(LoggedSegmentsScreen())

    def action_entries(self) -> None:
        """Open Interaction Log Entries."""
        from segment_tui.ui.screens.interaction_entries import InteractionEntriesScreen

        self.app.push_screen(InteractionEntriesScreen())

    def action_contacts(self) -> None:
        """Open Contacts."""
        from segment_tui.ui.screens.contacts import ContactsScreen

        self.app.push_screen(ContactsScreen())

    def action_statistics(self) -> None:
        """Open Interaction Statistics."""
        from segment_tui.ui.screens.interaction_stats import InteractionStatsScreen

        self.app.push_screen(InteractionStatsScreen())

    def action_campaign_entries(self) -> None:
        """Open Campaign Entries."""
        from segment_tui.ui.screens.campaign_entries import CampaignEntriesScreen

        self.app.push_screen(CampaignEntriesScreen())

    def action_setup(self) -> None:
        """Open Setup."""
        from segment_tui.ui.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen())

"""Campaign Entries (BC's page over table 5072): what logging with a campaign left
behind, with BC's No. of Interactions, Cost and Duration; canceled ones read dimmed (a
canceled logged segment cancels its campaign entries). ``/`` filters by campaign, ``x``
clears it, Enter (or ctrl+F7) opens the entry's interaction log entries. The rows are
read at once (:class:`~segment_tui.ui.sources_records.RecordsSource`): there is one
campaign entry per campaign and logged segment."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from segment_tui.services.interactions.campaign_entries import (
    CampaignEntryRecord,
    list_campaign_entries,
)
from segment_tui.services.interactions.columns import (
    CAMPAIGN_ENTRY_COLUMNS as CAMPAIGN_ENTRY_TABLE,
)
from segment_tui.services.setup.lookups import lookup_for
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.sources import columns_of
from segment_tui.ui.sources_entries import CANCELED_STYLE
from segment_tui.ui.sources_records import RecordsSource
from segment_tui.ui.widgets import VirtualTable
from segment_tui.ui.widgets.column_fit import fit_columns
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.wording import count

CAMPAIGN_ENTRY_COLUMNS = columns_of(
    CAMPAIGN_ENTRY_TABLE.pick(
        "canceled", "entry_no", "campaign_no", "date", "description", "register_no",
        "no_of_interactions", "cost_lcy", "duration_min", "salesperson_code",
    )
)  # fmt: skip
"""BC's columns (``services/interactions/columns.py``); up to Cost they fit 80 terminal
columns (→ shows the rest)."""
GROW = {"description": 50}
"""The description takes the width a wide terminal leaves."""


class CampaignEntriesScreen(Screen[None]):
    """Campaign entries: all, of one campaign, or of one logged segment."""

    HELP_TITLE = "Campaign Entries"
    # In the footer's priority order. Enter is the table's own key (not a priority
    # binding): the table selects, and the screen opens the entries.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "entries", "Entries", id="campaign-entries.entries"),
        Binding("slash", "filter", "Filter", key_display="/", tooltip="Filter by campaign",
                id="campaign-entries.filter"),
        Binding("x", "clear_filter", "Clear Filter", id="campaign-entries.clear-filter"),
        Binding("escape", "close", "Back", id="campaign-entries.back"),
        Binding(
            "ctrl+f7",
            "entries",
            "Interaction Log Entries",
            show=False,
            id="campaign-entries.entries-f7",
        ),
        Binding("f5", "reload", "Refresh", show=False, id="campaign-entries.refresh"),
    ]  # fmt: skip

    def __init__(self, campaign_no: str | None = None, *, logged: int | None = None) -> None:
        super().__init__()
        self.campaign_no = campaign_no
        """The campaign shown (None: all)."""
        self.logged = logged
        """The logged segment whose campaign entries are shown (None: all)."""
        self.entries: RecordsSource[CampaignEntryRecord] | None = None
        """The table's source: the campaign entries as last read."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield VirtualTable(CAMPAIGN_ENTRY_COLUMNS, id="campaign-entries", classes="listing")
        empty = Static("", id="empty", classes="hint")
        empty.display = False
        yield empty
        yield Static("", id="status", classes="status", markup=False)
        yield KeyFooter()

    @property
    def table(self) -> VirtualTable:
        """The campaign entries table."""
        return self.query_one("#campaign-entries", VirtualTable)

    def describe(self) -> str:
        """The filter in words."""
        parts = []
        if self.campaign_no:
            parts.append(f"Campaign {self.campaign_no}")
        if self.logged is not None:
            parts.append(f"Logged Segment {self.logged}")
        return ", ".join(parts)

    def on_mount(self) -> None:
        self.table.set_columns(fit_columns(CAMPAIGN_ENTRY_COLUMNS, self.app.size.width, GROW))
        self.table.focus()
        self._show()

    def on_resize(self, event: events.Resize) -> None:
        self.table.set_columns(fit_columns(CAMPAIGN_ENTRY_COLUMNS, event.size.width, GROW))

    def _show(self) -> None:
        described = self.describe()
        self.title = "Campaign Entries" + (f" — {described}" if described else "")
        campaign, logged = self.campaign_no, self.logged
        self.entries = RecordsSource(
            lambda: list_campaign_entries(campaign, logged=logged),
            CAMPAIGN_ENTRY_COLUMNS,
            "entry_no",
            lambda r: CANCELED_STYLE if r["canceled"] else "",
        )
        self.table.set_source(self.entries)

    @on(VirtualTable.Loaded, "#campaign-entries")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        records = self.entries.records if self.entries else []
        canceled = sum(1 for r in records if r["canceled"])
        hint = self.query_one("#empty", Static)
        described = self.describe()
        hint.update(f"No campaign entries{f' for {described}' if described else ''}.")
        hint.display = not event.row_count
        text = count(event.row_count, "campaign entry", "campaign entries")
        if canceled:
            text += f" · {canceled:,} canceled"
        if self.campaign_no:
            text += " · x clears the campaign filter"
        self.query_one("#status", Static).update(text)

    @on(VirtualTable.FetchFailed, "#campaign-entries")
    def _failed(self, event: VirtualTable.FetchFailed) -> None:
        self.notify(f"Cannot read campaign entries: {event.error}", severity="error", markup=False)

    @on(VirtualTable.CellSelected, "#campaign-entries")
    def _selected(self) -> None:
        self.action_entries()

    def action_entries(self) -> None:
        """The interaction log entries of the campaign entry under the cursor."""
        from segment_tui.ui.screens.interaction_entries import InteractionEntriesScreen

        key = self.table.cursor_key
        if key is not None:
            self.app.push_screen(InteractionEntriesScreen(campaign_entry=int(key)))

    def action_filter(self) -> None:
        """Show the entries of one campaign (picked from the campaigns)."""

        def picked(code: str | None) -> None:
            if code is not None:
                self.campaign_no = code or None
                self._show()

        self.app.push_screen(
            LookupDialog(
                "Filter by campaign", lookup_for("campaign"), initial=self.campaign_no or ""
            ),
            picked,
        )

    def action_clear_filter(self) -> None:
        """Show every campaign's entries (a logged segment's filter stays)."""
        if self.campaign_no:
            self.campaign_no = None
            self._show()

    def action_reload(self) -> None:
        """Read the campaign entries again (the cursor stays on its entry)."""
        if self.entries is not None:
            self.entries = self.entries.reloaded()
            self.table.set_source(self.entries, keep_cursor_key=True)

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)

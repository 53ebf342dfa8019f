"""Logged Segments (BC's p5139): what Log left behind, newest first.

Switch Checkmark in Canceled (cascades to the interaction log entries and campaign
entries), Delete Canceled Segments (their entries stay, unlinked), Follow-up (a new
segment with all the contacts, those evaluated positive, or those not evaluated yet),
Resend, and the Interaction Log Entries of a logged segment (Enter or ctrl+F7).
Space marks rows; without marks the cursor row is the selection. The Delivery column
counts each one's entries sent, failed and unknown; ``/`` filters with the criteria's
filter language (``failed=>0``, ``creation_date=..t``; F4 lists the fields).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType

from segment_tui.services.contacts.filter_line import parse_list_line
from segment_tui.services.list_filters import LOGGED_ALIASES, LOGGED_FIELDS, ListFilter, field_rows
from segment_tui.services.log import logged_segments as service
from segment_tui.services.log.columns import LOGGED_COLUMNS as LOGGED_TABLE
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.screens.filter_bar import FilterBar, FilterHelp, value_help
from segment_tui.ui.screens.list_screen import ListLayout, ListScreen
from segment_tui.ui.sources import columns_of
from segment_tui.ui.sources_entries import LoggedSource
from segment_tui.ui.widgets import Column, VirtualTable
from segment_tui.ui.widgets.column_fit import fit_columns
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_db

if TYPE_CHECKING:  # the services are imported when first used (start-up time)
    from segment_tui.services.delivery.report import DeliveryReport

FOLLOW_UP_CHOICES: tuple[tuple[service.FollowUpChoice, str], ...] = (
    ("all", "All contacts"),
    ("positive", "Contacts evaluated positive"),
    ("not-evaluated", "Contacts not evaluated yet"),
)


LOGGED_COLUMNS = columns_of(
    LOGGED_TABLE.pick(
        "canceled", "entry_no", "segment_no", "delivery_summary", "description",
        "no_of_interactions", "no_of_campaign_entries", "creation_date", "user_id",
    )
)  # fmt: skip
"""BC's columns (``services/log/columns.py``), with the delivery state early enough to be
seen at 80 columns."""
GROW = {"description": 100, "delivery_summary": 40}


def logged_columns(width: int) -> tuple[Column, ...]:
    """The columns for a ``width``-cell terminal (the description takes what is left)."""
    return fit_columns(LOGGED_COLUMNS, width, GROW)


LOGGED_FILTER_HELP = FilterHelp(
    fields=lambda search: field_rows(LOGGED_FIELDS, search),
    values=lambda name: value_help(
        LOGGED_FIELDS[LOGGED_ALIASES.get(name, name)].lookup
        if LOGGED_ALIASES.get(name, name) in LOGGED_FIELDS
        else ""
    ),
)


def parse_logged_filter(text: str) -> tuple[ListFilter, ...]:
    """The logged segments' filter line, parsed."""
    return parse_list_line(text, LOGGED_FIELDS, LOGGED_ALIASES)


def follow_up_rows(counts: dict[str, int], search: str) -> list[tuple[str, str]]:
    """The follow-up choices with how many entries each takes (for the choice dialog)."""
    sizes = {
        "all": sum(counts.values()),
        "positive": counts.get("very_positive", 0) + counts.get("positive", 0),
        "not-evaluated": counts.get("", 0),
    }
    needle = search.strip().lower()
    return [
        (code, f"{text} ({sizes[code]:,})")
        for code, text in FOLLOW_UP_CHOICES
        if needle in code or needle in text.lower()
    ]


class LoggedSegmentsScreen(ListScreen):
    """The logged segments; act on the marked ones, or on the one under the cursor."""

    HELP_TITLE = "Logged Segments"
    LAYOUT = ListLayout(
        table_id="logged",
        parse=parse_logged_filter,
        help=LOGGED_FILTER_HELP,
        placeholder="field=FILTER …  e.g. failed=>0 creation_date=..t  (F4 fields)",
        hint="/ filters (failed=>0: some delivery failed) · Enter opens the entries",
    )
    # In the footer's priority order. Space and Enter are the table's own keys (not
    # priority bindings), so they still type into the filter line.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "entries", "Entries", id="logged.entries"),
        Binding("slash", "filter", "Filter", key_display="/", id="logged.filter"),
        Binding("R", "resend", "Resend", key_display="shift+r", id="logged.resend"),
        Binding("f", "follow_up", "Follow-up", id="logged.follow-up"),
        Binding(
            "c",
            "cancel",
            "Canceled",
            tooltip="Switch Checkmark in Canceled (cascades to entries and campaign entries)",
            id="logged.cancel",
        ),
        Binding("escape", "close", "Back", id="logged.back"),
        Binding("space", "mark", "Mark", id="logged.mark"),
        Binding(
            "ctrl+f7",
            "entries",
            "Interaction Log Entries",
            show=False,
            id="logged.entries-f7",
        ),
        Binding(
            "m",
            "campaign_entries",
            "Campaign Entries",
            show=False,
            tooltip="Campaign Entries of the logged segment",
            id="logged.campaign-entries",
        ),
        Binding(
            "D",
            "delete_canceled",
            "Delete Canceled Segments",
            key_display="shift+d",
            show=False,
            id="logged.delete-canceled",
        ),
        Binding("x", "clear_filter", "Clear Filter", show=False, id="logged.clear-filter"),
        Binding("f5", "reload", "Refresh", show=False, id="logged.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.source: LoggedSource | None = None
        self.columns: tuple[Column, ...] = ()
        self._reload_on_resume = False

    def table_columns(self) -> tuple[Column, ...]:
        """The columns fitted to the terminal's width."""
        self.columns = logged_columns(self.app.size.width)
        return self.columns

    def on_mount(self) -> None:
        self.title = "Logged Segments"
        self.source = LoggedSource(self.columns)
        self.table.set_source(self.source)
        self.table.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.columns = logged_columns(event.size.width)
        self.table.set_columns(self.columns)

    def on_screen_resume(self) -> None:
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.action_reload()

    def action_reload(self) -> None:
        """Read the logged segments again."""
        self.table.refresh_rows()

    # -- state ---------------------------------------------------------------------------

    @on(VirtualTable.Loaded, "#logged")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        filtered = self.source is not None and bool(self.source.filters)
        self.show_empty(
            "No logged segment matches the filter (x clears it)."
            if filtered
            else "No logged segments yet — log a segment from its worksheet (shift+l).",
            event.row_count,
        )
        self._update_status()

    @on(VirtualTable.MarksChanged, "#logged")
    def _marks_changed(self) -> None:
        self._update_status()

    @on(VirtualTable.FetchFailed, "#logged")
    def _fetch_failed(self, event: VirtualTable.FetchFailed) -> None:
        self.notify(f"Cannot read logged segments: {event.error}", severity="error", markup=False)

    def _update_status(self) -> None:
        records = self.source.records if self.source else []
        canceled = sum(1 for r in records if r["canceled"])
        failed = sum(1 for r in records if (r.get("delivery") or {}).get("failed"))
        text = count(len(records), "logged segment")
        if canceled:
            text += f" · {canceled:,} canceled"
        if failed:
            text += f" · {failed:,} with failed deliveries (R resends)"
        if self.source and self.source.filters:
            text += " · x clears the filter"
        if self.table.marked:
            text += f" · {len(self.table.marked):,} marked"
        self.show_status(text)

    def selection(self) -> list[int]:
        """The marked logged segments in display order, else the one under the cursor."""
        records = self.source.records if self.source else []
        if self.table.marked:
            return [r["entry_no"] for r in records if r["entry_no"] in self.table.marked]
        key = self.table.cursor_key
        return [] if key is None else [int(key)]

    def _single(self, action: str) -> int | None:
        """The one logged segment an action works on (refused when several are marked)."""
        chosen = self.selection()
        if len(chosen) > 1:
            self.notify(f"{action} works on one logged segment; unmark the others.", timeout=4)
            return None
        return chosen[0] if chosen else None

    def _changed(self, message: str) -> None:
        self.table.marked.clear()
        self.action_reload()
        self.notify(message, timeout=5, markup=False)

    # -- actions -------------------------------------------------------------------------

    @on(VirtualTable.CellSelected, "#logged")
    def _selected(self) -> None:
        self.action_entries()

    def action_mark(self) -> None:
        """Mark or unmark the logged segment under the cursor."""
        self.table.action_toggle_mark()

    def action_entries(self) -> None:
        """Open the Interaction Log Entries of the logged segment under the cursor."""
        from segment_tui.ui.screens.interaction_entries import InteractionEntriesScreen

        key = self.table.cursor_key
        if key is None:
            return
        self._reload_on_resume = True
        self.app.push_screen(InteractionEntriesScreen(logged_segment=int(key)))

    def action_campaign_entries(self) -> None:
        """BC's &Campaign Entry: the campaign entries of the logged segment under the cursor."""
        from segment_tui.ui.screens.campaign_entries import CampaignEntriesScreen

        key = self.table.cursor_key
        if key is not None:
            self.app.push_screen(CampaignEntriesScreen(logged=int(key)))

    def action_cancel(self) -> None:
        """Switch Checkmark in Canceled on the selection (BC asks first; default Yes)."""
        numbers = self.selection()
        if not numbers:
            return

        def switched(value: bool) -> None:
            what = "canceled" if value else "no longer canceled"
            verb = "are" if len(numbers) > 1 else "is"
            self._changed(
                f"{count(len(numbers), 'logged segment')} {verb} {what}, "
                "with their interaction log entries and campaign entries."
            )

        def answered(yes: bool | None) -> None:
            if yes:
                run_db(self, lambda: service.toggle_canceled(numbers), switched)

        def ask(question: str) -> None:
            self.app.push_screen(ConfirmDialog(question, default=True), answered)

        run_db(self, lambda: service.cancel_question(numbers), ask)

    def action_delete_canceled(self) -> None:
        """Delete Canceled Segments (the marked ones, else all); their entries stay."""
        records = self.source.records if self.source else []
        chosen = set(self.table.marked)
        canceled = [
            r["entry_no"]
            for r in records
            if r["canceled"] and (not chosen or r["entry_no"] in chosen)
        ]
        if not canceled:
            scope = "marked " if chosen else ""
            self.notify(f"There are no canceled logged segments among the {scope}rows.", timeout=4)
            return
        number = len(canceled)
        question = (
            f"Delete {count(number, 'canceled logged segment')} "
            f"({', '.join(map(str, canceled[:5]))}{'…' if number > 5 else ''})?\n"
            "Their interaction log entries are kept."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                run_db(
                    self,
                    lambda: service.delete_canceled(canceled),
                    lambda n: self._changed(f"{n} Logged Segment has been deleted."),
                )

        self.app.push_screen(ConfirmDialog(question, default=False), answered)

    def action_follow_up(self) -> None:
        """Make a follow-up segment of the logged segment's contacts and open it."""
        entry_no = self._single("Follow-up")
        if entry_no is None:
            return
        counts: dict[str, int] | None = None

        def load(search: str) -> list[tuple[str, str]]:
            nonlocal counts
            if counts is None:
                from segment_tui.services.interactions.entries import entry_counts_by_evaluation

                counts = entry_counts_by_evaluation(entry_no)
            return follow_up_rows(counts, search)

        def made(record: service.FollowUpRecord) -> None:
            from segment_tui.ui.screens.worksheet import WorksheetScreen

            self.notify(
                f"Created segment {record['no']} with {count(record['added'], 'contact')}.",
                title="Follow-up",
                timeout=6,
                markup=False,
            )
            self._reload_on_resume = True
            self.app.push_screen(WorksheetScreen(record["no"]))

        def picked(choice: str | None) -> None:
            only = next((code for code, _ in FOLLOW_UP_CHOICES if code == choice), None)
            if only is not None:
                run_db(self, lambda: service.follow_up(entry_no, only), made)

        self.app.push_screen(
            LookupDialog(f"Follow-up on logged segment {entry_no}", load, show_codes=False),
            picked,
        )

    def action_resend(self) -> None:
        """Resend the interaction log entries of one logged segment."""
        chosen = self.selection()
        if len(chosen) > 1:
            self.notify(
                "The interaction log entries must always be from the same Logged Segment.",
                severity="error",
                timeout=6,
            )
            return
        if not chosen:
            return
        from segment_tui.ui.screens.interaction_entries import start_resend

        entry_no = chosen[0]

        def call() -> DeliveryReport:
            from segment_tui.services.delivery.deliver import resend_logged_segment

            return resend_logged_segment(entry_no)

        start_resend(self, call, self.action_reload)

    @on(FilterBar.Applied)
    def _filter_applied(self, event: FilterBar.Applied) -> None:
        self.source = LoggedSource(self.columns, event.filters)
        self.table.set_source(self.source)
        self.table.focus()

    def action_clear_filter(self) -> None:
        """Clear the filter line."""
        self.filter_bar.input.value = ""
        self.filter_bar.show_message("")
        if self.source is not None and self.source.filters:
            self.source = LoggedSource(self.columns)
            self.table.set_source(self.source)

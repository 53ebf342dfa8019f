"""Interaction Log Entries (BC's p5076): one line per interaction, newest first.

A logged segment can have 100,000+ entries, so the table reads windows of entries from
the database (keyset paging on Entry No.). Evaluate Interaction, Switch Checkmark in
Canceled, Delete Canceled Entries and Resend act on the marked entries (space), else on
the one under the cursor. ``/`` edits the filter line — the criteria's filter language
on the entries' fields (``contact_no=CT00002* delivery_status=error date=..t``, F4 lists
them) — and ``x`` clears it (a logged segment's or campaign entry's filter stays, as BC's
page link does). Delivery and its error come first after Canceled, so a failure is seen
at 80 columns. ``a`` shows the letter of the entry under the cursor (BC's Show
Attachments; the Letter column says whether there is one). Canceled entries read dimmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from segment_tui.models.enums import caption
from segment_tui.services.contacts.filter_line import parse_list_line
from segment_tui.services.interactions import entries as service
from segment_tui.services.interactions import entry_view
from segment_tui.services.interactions.columns import ENTRY_COLUMNS as ENTRY_TABLE
from segment_tui.services.interactions.entry_view import EntryFilter
from segment_tui.services.list_filters import ENTRY_ALIASES, ENTRY_FIELDS, ListFilter, field_rows
from segment_tui.services.setup.lookups import lookup_for_option
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.screens.filter_bar import FilterBar, FilterHelp, value_help
from segment_tui.ui.screens.list_screen import ListLayout, ListScreen
from segment_tui.ui.sources import columns_of
from segment_tui.ui.sources_entries import EntriesSource
from segment_tui.ui.widgets import Column, VirtualTable
from segment_tui.ui.widgets.column_fit import fit_columns
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_db

if TYPE_CHECKING:  # the services are imported when first used (start-up time)
    from segment_tui.services.delivery.report import DeliveryReport

ENTRY_COLUMNS = columns_of(
    ENTRY_TABLE.pick(
        "canceled", "delivery_status", "delivery_error", "date", "contact_no", "contact_name",
        "description", "interaction_template_code", "evaluation", "correspondence_type",
        "letter", "contact_company_name", "cost_lcy", "duration_min", "salesperson_code",
        "campaign_no", "attempt_failed", "entry_no",
    )
)  # fmt: skip
"""The entries' columns (``services/interactions/columns.py``), delivery early."""
GROW = {"delivery_error": 80, "description": 100, "contact_name": 60, "contact_company_name": 60}
"""Columns that take the width a wide terminal leaves."""
SHARE = {"delivery_error": 0.28, "description": 0.2}
"""Shares of a wide terminal the delivery error (with the server and port it names) and
the description take even though columns follow them (the table then scrolls)."""

ENTRY_FILTER_HELP = FilterHelp(
    fields=lambda search: field_rows(ENTRY_FIELDS, search),
    values=lambda name: value_help(
        ENTRY_FIELDS[ENTRY_ALIASES.get(name, name)].lookup
        if ENTRY_ALIASES.get(name, name) in ENTRY_FIELDS
        else ""
    ),
)
"""F4 on the entries' filter line: their fields, then a field's values."""


def parse_entry_filter(text: str) -> tuple[ListFilter, ...]:
    """The entries' filter line, parsed (a FilterLineError points at the mistake)."""
    return parse_list_line(text, ENTRY_FIELDS, ENTRY_ALIASES)


def _plural(number: int, word: str = "entry", words: str = "entries") -> str:
    return count(number, word, words)


def _resend(entry_nos: list[int]) -> DeliveryReport:
    from segment_tui.services.delivery.deliver import resend

    return resend(entry_nos)


def start_resend(
    node: DOMNode, call: Callable[[], DeliveryReport], after: Callable[[], object]
) -> None:
    """Run a resend ``call`` in a worker, then call
    ``after`` and show the delivery report as a notification."""

    def done(report: DeliveryReport) -> None:
        after()
        failed = report.incomplete  # failed, unknown, files missing
        node.app.notify(
            report.summary or "Resend finished.",
            title="Resend",
            severity="warning" if failed else "information",
            timeout=10,
            markup=False,
        )

    node.app.notify("Resending…", timeout=2)
    run_db(node, call, done, description="resend")


class InteractionEntriesScreen(ListScreen):
    """Interaction log entries, optionally of one logged segment, segment or contact."""

    HELP_TITLE = "Interaction Log Entries"
    LAYOUT = ListLayout(
        table_id="entries",
        parse=parse_entry_filter,
        help=ENTRY_FILTER_HELP,
        placeholder="field=FILTER …  e.g. delivery_status=error date=..t  (F4 fields)",
        hint="/ edits the filter (F4 lists the fields) · x clears it · space marks",
    )
    # In the footer's priority order. Space and Enter are the table's own keys (not
    # priority bindings), so they still type into the filter line.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "evaluate", "Evaluate", id="entries.evaluate"),
        Binding("slash", "filter", "Filter", key_display="/", id="entries.filter"),
        Binding("R", "resend", "Resend", key_display="shift+r", id="entries.resend"),
        Binding(
            "c",
            "cancel",
            "Canceled",
            tooltip="Switch Checkmark in Canceled on the marked entries",
            id="entries.cancel",
        ),
        Binding("x", "clear_filter", "Clear Filter", id="entries.clear-filter"),
        Binding("escape", "close", "Back", id="entries.back"),
        Binding("space", "mark", "Mark", id="entries.mark"),
        Binding(
            "ctrl+a",
            "mark_all",
            "Mark all",
            tooltip="Mark every entry the filter shows (then R resends them, v evaluates them)",
            show=False,
            id="entries.mark-all",
        ),
        Binding(
            "D",
            "delete_canceled",
            "Delete Canceled Entries",
            key_display="shift+d",
            show=False,
            id="entries.delete-canceled",
        ),
        Binding(
            "a",
            "show_attachment",
            "Show Attachments",
            tooltip="Show Attachments: the letter of the entry under the cursor (s saves it)",
            show=False,
            id="entries.show-attachment",
        ),
        Binding("f5", "reload", "Refresh", show=False, id="entries.refresh"),
    ]

    def __init__(
        self,
        *,
        logged_segment: int | None = None,
        segment_no: str | None = None,
        contact_no: str | None = None,
        campaign_entry: int | None = None,
    ) -> None:
        super().__init__()
        self.view = EntryFilter(
            logged_segment=logged_segment,
            segment_no=segment_no or None,
            contact_no=contact_no or None,
            campaign_entry=campaign_entry,
        )
        """The filter shown."""
        self.row_count = 0

    def table_columns(self) -> tuple[Column, ...]:
        """The entries' columns (fitted to the width once mounted)."""
        return ENTRY_COLUMNS

    def on_mount(self) -> None:
        self.table.set_columns(fit_columns(ENTRY_COLUMNS, self.app.size.width, GROW, SHARE))
        self._show_filter()
        self.table.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.table.set_columns(fit_columns(ENTRY_COLUMNS, event.size.width, GROW, SHARE))

    def _show_filter(self) -> None:
        described = self.view.describe()
        self.title = "Interaction Log Entries" + (f" — {described}" if described else "")
        self.table.set_source(EntriesSource(self.view, ENTRY_COLUMNS))

    def action_reload(self) -> None:
        """Read the entries again."""
        self.table.refresh_rows()

    # -- state ---------------------------------------------------------------------------

    @on(VirtualTable.Loaded, "#entries")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        self.row_count = event.row_count
        described = self.view.describe()
        self.show_empty(
            f"No interaction log entries{f' for {described}' if described else ''}.",
            event.row_count,
        )
        self._update_status()

    @on(VirtualTable.MarksChanged, "#entries")
    @on(VirtualTable.CursorMoved, "#entries")
    def _marks_or_cursor_changed(self) -> None:
        self._update_status()

    @on(VirtualTable.FetchFailed, "#entries")
    def _fetch_failed(self, event: VirtualTable.FetchFailed) -> None:
        self.notify(f"Cannot read entries: {event.error}", severity="error", markup=False)

    def _update_status(self) -> None:
        text = _plural(self.row_count)
        if self.table.marked:
            text += f" · {len(self.table.marked):,} marked"
        if self.view.filters:
            text += " · x clears the filter"
        cells = self.table.cursor_cells
        if cells:
            # What v and R change, readable at 80 columns where those columns are off-screen.
            cell = dict(zip((c.key for c in ENTRY_COLUMNS), cells, strict=False))
            text += f" · {cell['contact_name'] or cell['contact_no']}: "
            text += cell["evaluation"] or "not evaluated"
            if cell["delivery_status"]:
                text += f", delivery {cell['delivery_status']}"
            if cell["delivery_error"]:
                text += f": {cell['delivery_error']}"
        self.show_status(text)

    def selection(self) -> list[int]:
        """The marked entries (newest first), else the one under the cursor."""
        if self.table.marked:
            return sorted((int(key) for key in self.table.marked), reverse=True)
        key = self.table.cursor_key
        return [] if key is None else [int(key)]

    def _changed(self, message: str) -> None:
        self.table.marked.clear()
        self.action_reload()
        self.notify(message, timeout=5, markup=False)

    # -- actions -------------------------------------------------------------------------

    def action_mark_all(self) -> None:
        """Mark every entry the filter shows (ctrl+a again unmarks them all)."""
        if self.table.marked:
            self.table.marked.clear()
            self.table.refresh()
            self._update_status()
            return
        view = self.view

        def mark(numbers: list[int]) -> None:
            self.table.marked.update(numbers)
            self.table.refresh()
            self._update_status()

        run_db(self, lambda: entry_view.entry_nos(view), mark, description="mark all")

    def action_mark(self) -> None:
        """Mark or unmark the entry under the cursor."""
        self.table.action_toggle_mark()

    def action_evaluate(self) -> None:
        """Evaluate Interaction: pick an evaluation for the selection."""
        numbers = self.selection()
        if not numbers:
            return
        options = lookup_for_option("evaluation")

        def load(search: str) -> list[tuple[str, str]]:
            return [row for row in options(search) if row[0]]

        def picked(value: str | None) -> None:
            if value:
                run_db(
                    self,
                    lambda: service.evaluate(numbers, value),
                    lambda n: self._changed(f"Evaluated {_plural(n)} as {caption(value)}."),
                )

        cells = dict(
            zip((c.key for c in ENTRY_COLUMNS), self.table.cursor_cells or (), strict=False)
        )
        current = cells.get("evaluation", "")
        dialog = LookupDialog("Evaluate Interaction", load, initial=current, show_codes=False)
        self.app.push_screen(dialog, picked)

    def action_cancel(self) -> None:
        """Switch Checkmark in Canceled on the selection (BC asks first; default Yes)."""
        numbers = self.selection()
        if not numbers:
            return

        def switched(value: bool) -> None:
            count = _plural(len(numbers))
            self._changed(f"{count}: Canceled is now {'Yes' if value else 'No'}.")

        def answered(yes: bool | None) -> None:
            if yes:
                run_db(self, lambda: service.toggle_canceled(numbers), switched)

        def ask(question: str) -> None:
            self.app.push_screen(ConfirmDialog(question, default=True), answered)

        run_db(self, lambda: service.cancel_question(numbers), ask)

    def action_delete_canceled(self) -> None:
        """Delete Canceled Entries: the canceled entries of this filter (after asking)."""
        view = self.view

        def answered(yes: bool | None) -> None:
            if yes:
                run_db(
                    self,
                    lambda: service.delete_canceled_in_view(view),
                    lambda n: self._changed(f"{n} Interaction Log Entry has been deleted."),
                )

        def ask(count: int) -> None:
            if not count:
                self.notify("There are no canceled entries to delete here.", timeout=4)
                return
            scope = f" of {view.describe()}" if view.describe() else ""
            entries = _plural(
                count, "canceled interaction log entry", "canceled interaction log entries"
            )
            question = f"Delete {entries}{scope}?"
            self.app.push_screen(ConfirmDialog(question, default=False), answered)

        run_db(self, lambda: entry_view.canceled_count(view), ask)

    def action_resend(self) -> None:
        """Resend the selection (delivery service)."""
        numbers = self.selection()
        if numbers:
            start_resend(self, lambda: _resend(numbers), self._resent)

    def _resent(self) -> None:
        self.table.marked.clear()
        self.action_reload()
        self._update_status()

    def action_show_attachment(self) -> None:
        """BC's Show Attachments: the letter of the entry under the cursor."""
        from segment_tui.ui.screens.entry_letter import EntryLetterScreen

        key = self.table.cursor_key
        if key is not None:
            self.app.push_screen(EntryLetterScreen(int(key)))

    @on(FilterBar.Applied)
    def _filter_applied(self, event: FilterBar.Applied) -> None:
        self.view = replace(self.view, filters=tuple(event.filters))
        self._show_filter()
        self.table.focus()

    def action_clear_filter(self) -> None:
        """Clear the filter line (a logged segment's or segment's filter stays)."""
        if self.view.filters or self.filter_bar.input.value:
            self.filter_bar.input.value = ""
            self.filter_bar.show_message("")
            self.view = replace(self.view, filters=())
            self._show_filter()

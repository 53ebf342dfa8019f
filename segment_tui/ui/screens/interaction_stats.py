"""Interaction Statistics: BC's statistics FlowFields per interaction template, per
interaction group and per contact, in one panel (``docs/interactions.md``); and the
contact card's statistics box (F7, BC's Contact Statistics).

``t`` / ``g`` / ``k`` switch between templates, groups and contacts; ``/`` filters with
the filter language (``ile.date=2026-01-01..; city=London`` — filters separated by
``;``), ``x`` clears the filter. The figures are computed in the database
(:mod:`segment_tui.services.interactions.stats`), once per view, filter or F5: the rows
are a snapshot (:class:`~segment_tui.ui.sources_records.RecordsSource`), so scrolling
never computes them again.
"""

from __future__ import annotations

from typing import ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Label, Static

from segment_tui.services.interactions.columns import STATISTICS_COLUMNS
from segment_tui.services.interactions.stats import (
    By,
    ContactStatistics,
    StatisticsRow,
    contact_statistics,
    statistics,
)
from segment_tui.ui.screens.dialogs import FormDialog
from segment_tui.ui.sources import columns_of
from segment_tui.ui.sources_records import RecordsSource
from segment_tui.ui.widgets import Column, VirtualTable
from segment_tui.ui.widgets.column_fit import fit_columns
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_db

FIGURES = ("no_of_interactions", "cost_lcy", "duration_min", "date_of_last_interaction")
COLUMNS: dict[str, tuple[Column, ...]] = {
    "template": columns_of(STATISTICS_COLUMNS["template"].pick("code", "description", *FIGURES)),
    "group": columns_of(STATISTICS_COLUMNS["group"].pick("code", "description", *FIGURES)),
    "contact": columns_of(
        STATISTICS_COLUMNS["contact"].pick("contact_no", "name", *FIGURES, "last_date_attempted")
    ),
}
"""Columns per view (``services/interactions/columns.py``); each fits 80 terminal columns."""
GROW = {"description": 60, "name": 50}
"""The descriptions and names take the width a wide terminal leaves."""
KEYS = {"template": "code", "group": "code", "contact": "contact_no"}
TITLES = {"template": "Interaction Templates", "group": "Interaction Groups", "contact": "Contacts"}


def split_filters(text: str) -> list[str]:
    """``"ile.date=2026..; city=London"`` → the ``field=FILTER`` items (``;`` separates)."""
    return [item.strip() for item in text.split(";") if item.strip()]


class InteractionStatsScreen(Screen[None]):
    """Statistics per template, group or contact."""

    HELP_TITLE = "Interaction Statistics"
    # In the footer's priority order.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "show('template')", "Templates", tooltip="By interaction template",
                id="stats.templates"),
        Binding("g", "show('group')", "Groups", tooltip="By interaction group", id="stats.groups"),
        Binding("k", "show('contact')", "Contacts", tooltip="By contact", id="stats.contacts"),
        Binding("slash", "filter", "Filter", key_display="/", id="stats.filter"),
        Binding("x", "clear_filter", "Clear Filter", id="stats.clear-filter"),
        Binding("escape", "close", "Back", id="stats.back"),
        Binding("f5", "reload", "Refresh", show=False, id="stats.refresh"),
    ]  # fmt: skip

    def __init__(self, by: By = "template", where: str = "") -> None:
        super().__init__()
        self.by: By = by
        """What the rows are: templates, groups or contacts."""
        self.where = where
        """The filter typed (``;``-separated ``field=FILTER`` items)."""
        self.rows = 0
        self.figures: RecordsSource[StatisticsRow] | None = None
        """The table's source: the rows as last computed."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield VirtualTable(COLUMNS[self.by], id="stats", classes="listing")
        yield Static("", id="status", classes="status", markup=False)
        yield KeyFooter()

    @property
    def table(self) -> VirtualTable:
        """The statistics table."""
        return self.query_one("#stats", VirtualTable)

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.table.focus()
        self._show()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.table.set_columns(fit_columns(COLUMNS[self.by], width, GROW))

    def _show(self) -> None:
        by, filters = self.by, split_filters(self.where)
        self.title = f"Interaction Statistics — {TITLES[by]}"
        self.sub_title = self.where
        self.figures = RecordsSource(lambda: statistics(by, filters), COLUMNS[by], KEYS[by])
        self.table.set_source(self.figures)

    @on(VirtualTable.Loaded, "#stats")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        self.rows = event.row_count
        records = self.figures.records if self.figures else []
        total = sum(r["no_of_interactions"] for r in records)
        what = TITLES[self.by].lower()
        text = count(event.row_count, what.removesuffix("s"), what)
        if self.by != "contact":
            text += f" · {count(total, 'interaction')}"
        else:
            text += " · a company's figures include its persons'"
        if self.where:
            text += " · x clears the filter"
        self.query_one("#status", Static).update(text)

    @on(VirtualTable.FetchFailed, "#stats")
    def _failed(self, event: VirtualTable.FetchFailed) -> None:
        self.notify(f"Cannot compute the statistics: {event.error}", severity="error", markup=False)

    async def action_show(self, by: str) -> None:
        """Show the statistics per template, group or contact (a table of its columns)."""
        if by not in COLUMNS or by == self.by:
            return
        self.by = cast(By, by)
        await self.table.remove()
        new = VirtualTable(COLUMNS[self.by], id="stats", classes="listing")
        await self.mount(new, before=self.query_one("#status"))
        self._fit(self.app.size.width)
        new.focus()
        self._show()

    def action_filter(self) -> None:
        """Filter the entries counted (``ile.*``) or the contacts they belong to."""

        def check(values: dict[str, str]) -> dict[str, str]:
            from segment_tui.services.criteria.fields import parse_where

            parse_where(split_filters(values["where"]), list_fields=False)
            return values

        def filtered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.where = values["where"].strip()
                self._show()

        self.app.push_screen(
            FormDialog(
                "Filter statistics",
                [("where", "Filters (e.g. ile.date=2026-01-01..; city=London)", self.where)],
                submit=check,
            ),
            filtered,
        )

    def action_clear_filter(self) -> None:
        """Remove the filter."""
        if self.where:
            self.where = ""
            self._show()

    def action_reload(self) -> None:
        """Compute the figures again (the cursor stays on its row)."""
        if self.figures is not None:
            self.figures = self.figures.reloaded()
            self.table.set_source(self.figures, keep_cursor_key=True)

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)


STAT_LINES = (
    ("no_of_interactions", "No. of Interactions"),
    ("cost_lcy", "Cost (LCY)"),
    ("duration_min", "Duration (Min.)"),
    ("date_of_last_interaction", "Date of Last Interaction"),
    ("last_date_attempted", "Last Date Attempted"),
)


def describe_statistics(record: ContactStatistics) -> str:
    """A contact's statistics as the box shows them."""
    lines = []
    for key, label in STAT_LINES:
        value = record.get(key)
        if key == "cost_lcy":
            text = f"{value:,.2f}"
        elif value is None:
            text = ""
        else:
            text = str(value)
        lines.append(f"{label:<26} {text:>12}")
    if record["type"] == "company":
        lines.append("(the company and its persons, as in Business Central)")
    return "\n".join(lines)


class ContactStatisticsDialog(ModalScreen[None]):
    """BC's Contact Statistics (its interactions part) for one contact."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f7", "dismiss", "Close")]

    def __init__(self, contact_no: str) -> None:
        super().__init__()
        self.contact_no = contact_no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Statistics — contact {self.contact_no}", classes="title")
            yield Static("computing…", id="figures", markup=False)
            yield Label("Esc closes", classes="hint")

    def on_mount(self) -> None:
        figures = self.query_one("#figures", Static)
        run_db(
            self,
            lambda: contact_statistics(self.contact_no),
            lambda record: figures.update(describe_statistics(record)),
            failed=lambda error: figures.update(str(error)),
        )

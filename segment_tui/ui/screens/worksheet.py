"""The segment worksheet (BC's Segment page, p5091): header panel above, lines below.

The lines table reads windows of lines from the database (keyset paging), so a
100,000-line segment opens as fast as a 10-line one. Header and line edits go through
the services in workers; BC's questions appear as dialogs with BC's default answer.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from segment_tui.questions import NO_ANSWERS, Answers
from segment_tui.services.segments.headers import (
    SegmentHeaderRecord,
    header_record,
    set_header_fields,
)
from segment_tui.services.segments.lines import add_line, remove_line, set_line_fields
from segment_tui.services.segments.view import LineRecord
from segment_tui.services.setup.lookups import lookup_for, lookup_for_option
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import EditValueDialog, LookupDialog
from segment_tui.ui.screens.segment_page_actions import SegmentPageActions
from segment_tui.ui.screens.worksheet_columns import (
    EDITABLE_LINE_COLUMNS,
    LINE_COLUMNS,
    LINE_GROW,
    LINE_SHARE,
)
from segment_tui.ui.screens.worksheet_search import LineSearch
from segment_tui.ui.sources import LinesSource, format_value
from segment_tui.ui.widgets import VirtualTable
from segment_tui.ui.widgets.column_fit import fit_columns
from segment_tui.ui.widgets.header_panel import HeaderField, HeaderPanel
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_db, run_with_questions


class WorksheetScreen(SegmentPageActions):
    """One segment: its header (General, Interaction, Campaign) and its lines."""

    HELP_TITLE = "Segment worksheet"
    # In the footer's priority order: it shows as many as fit, F1 lists them all. The
    # description is the footer's short word; the tooltip is the full name (F1, ctrl+p).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_contacts", "Add", tooltip="Add Contacts", id="worksheet.add"),
        Binding("r", "reduce", "Reduce", id="worksheet.reduce"),
        Binding("f", "refine", "Refine", id="worksheet.refine"),
        Binding("b", "go_back", "Go Back", id="worksheet.go-back"),
        Binding("L", "log", "Log", key_display="shift+l", id="worksheet.log"),
        Binding("c", "criteria", "Criteria", id="worksheet.criteria"),
        Binding("p", "preview", "Preview", tooltip="Preview letter", id="worksheet.preview"),
        Binding("slash", "search", "Search", key_display="/", id="worksheet.search"),
        Binding("escape", "app.pop_screen", "Back", id="worksheet.back"),
        Binding(
            "s", "save_criteria", "Save", tooltip="Save Criteria", id="worksheet.save-criteria"
        ),
        Binding(
            "u", "reuse_criteria", "Reuse", tooltip="Reuse Criteria", id="worksheet.reuse-criteria"
        ),
        Binding(
            "g",
            "reuse_segment",
            "Reuse Seg.",
            tooltip="Reuse Segment",
            id="worksheet.reuse-segment",
        ),
        Binding("insert", "insert_line", "Insert", tooltip="Insert line", id="worksheet.insert"),
        Binding("delete", "delete_line", "Delete", tooltip="Delete line", id="worksheet.delete"),
        Binding(
            "m",
            "apply_mailing_group",
            "Apply Mailing Group",
            show=False,
            tooltip="Apply Mailing Group: give every contact a mailing group",
            id="worksheet.apply-mailing-group",
        ),
        Binding(
            "x",
            "export_contacts",
            "Export Contacts",
            show=False,
            tooltip="Export Contacts (CSV)",
            id="worksheet.export-contacts",
        ),
        Binding(
            "P",
            "print_labels",
            "Print Labels",
            key_display="shift+p",
            show=False,
            tooltip="Print Labels (PDF)",
            id="worksheet.print-labels",
        ),
        Binding(
            "C",
            "print_cover_sheets",
            "Print Cover Sheets",
            key_display="shift+c",
            show=False,
            tooltip="Print Cover Sheets (PDF)",
            id="worksheet.cover-sheets",
        ),
        Binding(
            "R",
            "contacts_report",
            "Segment - Contacts",
            key_display="shift+r",
            show=False,
            tooltip="Segment - Contacts report (PDF or CSV)",
            id="worksheet.contacts-report",
        ),
        Binding("f2", "edit", "Edit", show=False, id="worksheet.edit"),
        Binding("f4,ctrl+l", "lookup", "Lookup", show=False, id="worksheet.lookup"),
        Binding("n", "search_next", "Next match", show=False, id="worksheet.search-next"),
        Binding("h", "toggle_header", "Header", show=False, id="worksheet.toggle-header"),
        Binding("tab", "switch_focus", "Header/lines", show=False, id="worksheet.switch"),
        Binding("f5", "reload", "Refresh", show=False, id="worksheet.refresh"),
    ]

    def __init__(self, segment_no: str) -> None:
        super().__init__()
        self.segment_no = segment_no
        """The segment shown."""
        self.search = LineSearch(self, segment_no)
        """Search in lines (`/`, `n`)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield HeaderPanel(id="header")
        yield VirtualTable(LINE_COLUMNS, id="lines")
        yield Static("", id="status", classes="status")
        yield KeyFooter()

    @property
    def lines(self) -> VirtualTable:
        """The lines table."""
        return self.query_one("#lines", VirtualTable)

    @property
    def header_panel(self) -> HeaderPanel:
        """The header panel."""
        return self.query_one(HeaderPanel)

    def on_mount(self) -> None:
        self.title = f"Segment {self.segment_no}"
        self.lines.set_source(LinesSource(self.segment_no, LINE_COLUMNS))
        self.lines.set_columns(
            fit_columns(LINE_COLUMNS, self.app.size.width, LINE_GROW, LINE_SHARE)
        )
        self.lines.focus()
        self.load_header()

    def on_resize(self, event: events.Resize) -> None:
        self.lines.set_columns(fit_columns(LINE_COLUMNS, event.size.width, LINE_GROW, LINE_SHARE))

    def load_header(self) -> None:
        """Read the header (and its statistics) again."""

        def show(record: SegmentHeaderRecord) -> None:
            self.header_panel.record = record
            self.sub_title = record["description"]
            self._update_status(record)

        run_db(self, lambda: header_record(self.segment_no), show, group="header", exclusive=True)

    def _update_status(self, record: SegmentHeaderRecord) -> None:
        status = (
            f"{count(record['no_of_lines'], 'line')} · "
            f"{count(record['no_of_criteria_actions'], 'criteria action')} · "
            f"cost {format_value('cost_lcy', record['cost_lcy'])} · "
            f"{record['duration_min']:,} min"
        )
        self.query_one("#status", Static).update(status)

    def refresh_all(self) -> None:
        """Header and lines read again (after a change)."""
        self.load_header()
        self.lines.refresh_rows()

    def action_reload(self) -> None:
        """Read everything again."""
        self.refresh_all()

    def action_toggle_header(self) -> None:
        """Hide or show the header panel (more room for lines)."""
        panel = self.header_panel
        panel.display = not panel.display
        if not panel.display:
            self.lines.focus()

    def action_switch_focus(self) -> None:
        """Move between header and lines."""
        if self.header_panel.has_focus or not self.header_panel.display:
            self.lines.focus()
        else:
            self.header_panel.focus()

    # -- header --------------------------------------------------------------------------

    @on(HeaderPanel.EditRequested)
    def _edit_header(self, event: HeaderPanel.EditRequested) -> None:
        self.edit_header_field(event.field, lookup=event.lookup)

    def edit_header_field(self, field: HeaderField, *, lookup: bool = False) -> None:
        """Change one header field (toggle, pick or type), asking BC's questions."""
        if field.key == "no_of_criteria_actions":
            self.action_criteria()
            return
        if field.kind == "readonly":
            self.notify(f"{field.caption} cannot be changed here.", timeout=3)
            return
        record = self.header_panel.record

        def save(value: str | bool, answers: Answers) -> SegmentHeaderRecord:
            return set_header_fields(self.segment_no, {field.key: value}, answers)

        def saved(_: SegmentHeaderRecord | None) -> None:
            self.refresh_all()

        if field.kind == "bool":
            value = not record.get(field.key)
            run_with_questions(self, lambda answers: save(value, answers), saved)
            return
        if field.kind == "option":

            def picked(choice: str | None) -> None:
                if choice is not None:
                    run_with_questions(self, lambda answers: save(choice, answers), saved)

            self.app.push_screen(
                LookupDialog(
                    field.caption,
                    lookup_for_option(field.lookup),
                    initial=str(record.get(field.key, "")),
                    show_codes=False,
                ),
                picked,
            )
            return
        current = "" if record.get(field.key) is None else str(record.get(field.key))
        dialog = EditValueDialog(
            field.caption,
            current,
            save,
            lookup=lookup_for(field.lookup) if field.kind == "code" else None,
            hint="YYYY-MM-DD, t (today) or w (work date)" if field.kind == "date" else "",
        )
        self.app.push_screen(dialog, lambda result: saved(result) if result is not None else None)
        if lookup and field.kind == "code":
            self.call_after_refresh(dialog.open_lookup_first)

    # -- lines ---------------------------------------------------------------------------

    @on(VirtualTable.CellSelected, "#lines")
    def _cell_selected(self, event: VirtualTable.CellSelected) -> None:
        self.edit_line_cell(int(event.row_key), event.column_key)

    def action_edit(self) -> None:
        """Edit the header field or the line cell under the cursor (F2)."""
        if self.header_panel.has_focus:
            self.header_panel.action_edit()
            return
        key = self.lines.cursor_key
        if key is not None:
            self.edit_line_cell(int(key), LINE_COLUMNS[self.lines.cursor_column].key)

    def action_lookup(self) -> None:
        """Open the lookup of the code field under the cursor (F4)."""
        if self.header_panel.has_focus:
            self.header_panel.action_lookup()
            return
        key = self.lines.cursor_key
        if key is not None:
            self.edit_line_cell(int(key), LINE_COLUMNS[self.lines.cursor_column].key, lookup=True)

    def edit_line_cell(self, line_no: int, column: str, *, lookup: bool = False) -> None:
        """Edit one cell of a line (Enter or F2); code cells have a lookup (F4)."""
        if column not in EDITABLE_LINE_COLUMNS:
            self.notify("This column is computed; it cannot be edited.", timeout=3)
            return
        kind, table = EDITABLE_LINE_COLUMNS[column]
        cells = self.lines.cursor_cells or ()
        index = [c.key for c in LINE_COLUMNS].index(column)
        current = cells[index] if index < len(cells) else ""

        def save(value: str, _: Answers) -> LineRecord:
            return set_line_fields(self.segment_no, line_no, {column: value})

        def saved(result: LineRecord | None) -> None:
            if result is not None:
                self.refresh_all()

        caption = next(c.label for c in LINE_COLUMNS if c.key == column)
        if kind == "option":

            def picked(choice: str | None) -> None:
                if choice is not None:
                    run_db(self, lambda: save(choice, NO_ANSWERS), saved)

            self.app.push_screen(
                LookupDialog(caption, lookup_for_option(table), initial=current, show_codes=False),
                picked,
            )
            return
        if kind == "decimal":
            current = current.replace(",", "")
        dialog = EditValueDialog(
            f"{caption} — line {line_no}",
            current,
            save,
            lookup=lookup_for(table) if kind == "code" else None,
        )
        self.app.push_screen(dialog, saved)
        if lookup and kind == "code":
            self.call_after_refresh(dialog.open_lookup_first)

    def action_insert_line(self) -> None:
        """Insert a line for a contact picked from the contact lookup."""

        def picked(contact_no: str | None) -> None:
            if contact_no:
                run_db(self, lambda: add_line(self.segment_no, contact_no), self._line_added)

        self.app.push_screen(LookupDialog("Contact", lookup_for("contact")), picked)

    def _line_added(self, record: LineRecord) -> None:
        self.refresh_all()
        self.call_later(self.lines.go_to_key, record["line_no"])
        self.notify(f"Added {record['contact_no']} on line {record['line_no']}.", timeout=3)

    def action_delete_line(self) -> None:
        """Delete the line under the cursor (a Reduce action on its contact)."""
        key = self.lines.cursor_key
        if key is None:
            return
        line_no = int(key)

        def answered(yes: bool | None) -> None:
            if yes:
                run_with_questions(
                    self,
                    lambda answers: remove_line(self.segment_no, line_no, answers=answers),
                    lambda _: self.refresh_all(),
                )

        cells = dict(
            zip((c.key for c in LINE_COLUMNS), self.lines.cursor_cells or (), strict=False)
        )
        who = ", ".join(
            part
            for part in (
                cells.get("contact_no", ""),
                cells.get("contact_name", ""),
                cells.get("contact_company_name", ""),
            )
            if part
        )
        question = f"Delete line {line_no}" + (f" ({who})" if who else "") + "?"
        self.app.push_screen(ConfirmDialog(question, default=True), answered)

    def action_search(self) -> None:
        """Find a line by contact no., name or company name (/), then n for the next."""
        self.search.ask()

    def action_search_next(self) -> None:
        """Go to the next line matching the last search."""
        self.search.next()

    @on(VirtualTable.Loaded, "#lines")
    def _lines_loaded(self) -> None:
        self.search.lines_changed()

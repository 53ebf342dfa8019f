"""Contacts (BC's Contact List, p5052): a filter line in the criteria language above the
matching contacts; mark contacts and add them to a segment or make a new segment of them;
edit, delete, import and export contacts.

The table reads windows of contacts (keyset paging on the number), so a million contacts
open with one count and one page. The filter line takes several ``field=FILTER`` items,
e.g. ``city=New York type=Person mailing_group=CHRISTMAS|PRESS`` (docs/filters.md); F4
lists the fields and their values. ``a`` adds the marked contacts to a segment through
Add Contacts' own dialog (options, preview, Go Back), ``n`` makes a new segment of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType

from segment_tui.errors import UserError
from segment_tui.services.contacts.columns import CONTACT_COLUMNS
from segment_tui.services.contacts.filter_line import parse_filter_line
from segment_tui.services.criteria.fields import FieldFilter
from segment_tui.services.segments.from_contacts import (
    NewSegment,
    contacts_filter_text,
    new_segment_of,
)
from segment_tui.services.setup.lookups import lookup_for
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.contacts_support import (
    CONTACT_FILTER_HELP,
    ContactsSource,
    ImportProblemsDialog,
    import_csv,
)
from segment_tui.ui.screens.dialogs import FormDialog, LookupDialog
from segment_tui.ui.screens.filter_bar import FilterBar
from segment_tui.ui.screens.list_screen import ListLayout, ListScreen
from segment_tui.ui.sources import columns_of
from segment_tui.ui.widgets import Column, VirtualTable
from segment_tui.ui.widgets.column_fit import fit_columns
from segment_tui.ui.wording import count
from segment_tui.ui.work import notify_error, run_db

if TYPE_CHECKING:  # the services are imported when first used (start-up time)
    from segment_tui.services.contacts.importing import ImportReport

COLUMNS = columns_of(
    CONTACT_COLUMNS.pick(
        "no", "type", "name", "company_name", "city", "post_code", "country_region_code",
        "email", "phone_no", "salesperson_code", "correspondence_type", "exclude_from_segment",
    )
)  # fmt: skip
"""The contacts' columns (``services/contacts/columns.py``)."""
GROW = {"name": 60, "company_name": 60, "email": 60, "city": 30}
"""Columns that take the width a wide terminal leaves."""


class ContactsScreen(ListScreen):
    """Contacts, filtered with the criteria language; mark them to build segments."""

    HELP_TITLE = "Contacts"
    LAYOUT = ListLayout(
        table_id="contacts",
        parse=parse_filter_line,
        help=CONTACT_FILTER_HELP,
        placeholder="field=FILTER …  e.g. city=London type=Person  (Enter applies, F4 fields)",
        hint="/ edits the filter · space marks · a adds marked to a segment · n new segment",
        empty_hint=False,
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", show=False, id="contacts.back"),
        Binding("slash,ctrl+f", "filter", "Filter", key_display="/", id="contacts.filter"),
        Binding("e", "edit", "Edit", id="contacts.edit"),
        Binding(
            "a",
            "add_to_segment",
            "Add to segment",
            tooltip="Add the marked contacts (or the one under the cursor) to a segment, "
            "as Add Contacts does",
            id="contacts.add",
        ),
        Binding("n", "new_segment", "New segment", id="contacts.new-segment"),
        Binding("i", "import_csv", "Import", id="contacts.import"),
        Binding("x", "export_csv", "Export", show=False, id="contacts.export"),
        Binding("delete", "delete", "Delete", show=False, id="contacts.delete"),
        Binding("u", "unmark", "Unmark all", show=False, id="contacts.unmark"),
        Binding("f5", "reload", "Refresh", show=False, id="contacts.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters: list[FieldFilter] = []
        """The applied filter line, parsed (none: every contact)."""
        self.filter_text = ""
        """The applied filter line."""
        self.row_count = 0

    def table_columns(self) -> tuple[Column, ...]:
        """The contacts' columns (fitted to the width once mounted)."""
        return COLUMNS

    def on_mount(self) -> None:
        self.title = "Contacts"
        self.table.set_source(ContactsSource([], COLUMNS))
        self.table.set_columns(fit_columns(COLUMNS, self.app.size.width, GROW))
        self.table.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.table.set_columns(fit_columns(COLUMNS, event.size.width, GROW))

    # -- filter --------------------------------------------------------------------------

    def apply_filter(self, text: str) -> bool:
        """Show the contacts matching a filter line; an error stays in the line's message."""
        return self.filter_bar.apply(text)

    @on(FilterBar.Applied)
    def _filter_applied(self, event: FilterBar.Applied) -> None:
        self.filters = list(event.filters)
        self.filter_text = event.text
        self.table.set_source(ContactsSource(self.filters, COLUMNS))
        self.table.focus()

    # -- table state ---------------------------------------------------------------------

    @on(VirtualTable.Loaded, "#contacts")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        self.row_count = event.row_count
        self._update_status()

    @on(VirtualTable.MarksChanged, "#contacts")
    def _marks_changed(self) -> None:
        self._update_status()

    @on(VirtualTable.FetchFailed, "#contacts")
    def _fetch_failed(self, event: VirtualTable.FetchFailed) -> None:
        self.notify(
            f"Cannot read contacts: {event.error}", severity="error", timeout=8, markup=False
        )

    def _update_status(self) -> None:
        marked = len(self.table.marked)
        text = count(self.row_count, "contact")
        if marked:
            text += f" · {marked:,} marked"
        self.show_status(text)

    def action_reload(self) -> None:
        """Read the contacts again."""
        self.table.refresh_rows()

    def action_unmark(self) -> None:
        """Clear every mark."""
        self.table.marked.clear()
        self.table.refresh()
        self._update_status()

    def targets(self) -> list[str]:
        """The marked contacts (in number order), else the contact under the cursor."""
        if self.table.marked:
            return sorted(str(key) for key in self.table.marked)
        key = self.table.cursor_key
        return [] if key is None else [str(key)]

    # -- segments ------------------------------------------------------------------------

    def action_add_to_segment(self) -> None:
        """Add the marked contacts (or the one under the cursor) to a segment picked in a
        lookup, through Add Contacts' dialog: its options, its preview ("would add 2 (1
        already present)") and its rules — existing lines are skipped by default."""
        contacts = self.targets()
        if not contacts:
            return
        try:
            text = contacts_filter_text(contacts)
        except UserError as error:
            notify_error(self, error)
            return

        def added(message: str | None) -> None:
            if message:
                self.notify(message, timeout=6, markup=False)
                self.action_unmark()

        def picked(segment_no: str | None) -> None:
            if segment_no:
                from segment_tui.ui.screens.criteria_dialog import CriteriaDialog

                dialog = CriteriaDialog(segment_no, "add", rows=[("no", text)])
                self.app.push_screen(dialog, added)

        title = f"Add {count(len(contacts), 'contact')} to segment"
        self.app.push_screen(LookupDialog(title, lookup_for("segment")), picked)

    def action_new_segment(self) -> None:
        """Create a segment of the marked contacts (or the one under the cursor) and open it
        (Add Contacts' rules: contacts marked Exclude from Segment are left out)."""
        contacts = self.targets()
        if not contacts:
            return

        def created(result: NewSegment | None) -> None:
            if result is None:
                return
            from segment_tui.ui.screens.worksheet import WorksheetScreen

            text = f"Added {count(result.added, 'contact')} to segment {result.segment_no}."
            if result.skipped_excluded:
                left_out = count(result.skipped_excluded, "contact")
                text += f" {left_out} marked Exclude from Segment left out."
            self.notify(
                text,
                severity="warning" if result.skipped_excluded else "information",
                timeout=6,
                markup=False,
            )
            self.action_unmark()
            self.app.push_screen(WorksheetScreen(result.segment_no))

        self.app.push_screen(
            FormDialog(
                f"New segment of {count(len(contacts), 'contact')}",
                [("description", "Description", "")],
                submit=lambda values: new_segment_of(values["description"], contacts),
            ),
            created,
        )

    # -- one contact ---------------------------------------------------------------------

    @on(VirtualTable.CellSelected, "#contacts")
    def _selected(self, event: VirtualTable.CellSelected) -> None:
        self.open_card(str(event.row_key))

    def action_edit(self) -> None:
        """Open the contact under the cursor (Enter or e)."""
        key = self.table.cursor_key
        if key is not None:
            self.open_card(str(key))

    def open_card(self, contact_no: str) -> None:
        """Show a contact's card; the list is read again when something changed."""
        from segment_tui.ui.screens.contact_card import ContactCardScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.table.refresh_rows()

        self.app.push_screen(ContactCardScreen(contact_no), closed)

    def action_delete(self) -> None:
        """Delete the contact under the cursor (confirmation, default No)."""
        from segment_tui.services.contacts.records import delete_contact

        key = self.table.cursor_key
        if key is None:
            return
        contact_no = str(key)
        cells = dict(zip((c.key for c in COLUMNS), self.table.cursor_cells or (), strict=False))
        name = f" ({cells['name']})" if cells.get("name") else ""

        def deleted(_: None) -> None:
            self.notify(f"Deleted contact {contact_no}.", timeout=3, markup=False)
            self.table.refresh_rows()

        def answered(yes: bool | None) -> None:
            if yes:
                run_db(self, lambda: delete_contact(contact_no), deleted)

        self.app.push_screen(
            ConfirmDialog(f"Delete contact {contact_no}{name}?", default=False), answered
        )

    # -- import / export -----------------------------------------------------------------

    def action_import_csv(self) -> None:
        """Import contacts from a CSV file: a dry run first, then the import on Yes."""

        def entered(values: dict[str, str] | None) -> None:
            if values and values["path"].strip():
                self.import_file(Path(values["path"].strip()).expanduser())

        self.app.push_screen(FormDialog("Import contacts (CSV)", [("path", "File", "")]), entered)

    def import_file(self, path: Path) -> None:
        """Check ``path`` (dry run), ask, import; bad rows are listed, nothing imported."""

        def refused(error: UserError) -> None:
            from segment_tui.services.contacts.importing import ImportRefused, default_rejects_path

            if not isinstance(error, ImportRefused):
                notify_error(self, error)
                return
            problems = [(p.line, p.column, p.reason) for p in error.report.problems]
            bad = len({line for line, _, _ in problems})
            good = error.report.rows - bad
            rejects = default_rejects_path(path)

            def skip_bad(yes: bool | None) -> None:
                if yes:
                    run_db(self, lambda: import_csv(path, dry_run=False, skip_bad=True), imported)

            def closed(_: None) -> None:
                # BC-style default No: importing part of a file is the user's choice.
                if good > 0 and error.report.problems[0].line > 1:
                    self.app.push_screen(
                        ConfirmDialog(
                            f"Import the {good:,} good rows and write the {bad:,} bad ones "
                            f"to {rejects.name} to fix and import again?",
                            default=False,
                        ),
                        skip_bad,
                    )

            self.app.push_screen(ImportProblemsDialog(f"{path.name}: {error}", problems), closed)

        def imported(report: ImportReport) -> None:
            self.notify(f"{path.name}: {report.summary()}.", timeout=6, markup=False)
            self.table.refresh_rows()

        def checked(report: ImportReport) -> None:
            def answered(yes: bool | None) -> None:
                if yes:
                    run_db(self, lambda: import_csv(path, dry_run=False), imported, failed=refused)

            self.app.push_screen(
                ConfirmDialog(f"{path.name}: {report.summary()}.\\Import now?", default=True),
                answered,
            )

        run_db(self, lambda: import_csv(path, dry_run=True), checked, failed=refused)

    def action_export_csv(self) -> None:
        """Write the filtered contacts to a CSV file (the columns import reads back); an
        existing file is replaced only after asking."""
        from segment_tui.services.contacts.query import export_matching

        filters = list(self.filters)

        def export(path: Path, overwrite: bool) -> None:
            run_db(
                self,
                lambda: export_matching(path, filters, overwrite=overwrite),
                lambda number: self.notify(
                    f"Exported {count(number, 'contact')} to {path}.", markup=False
                ),
            )

        def entered(values: dict[str, str] | None) -> None:
            if not values or not values["path"].strip():
                return
            path = Path(values["path"].strip()).expanduser()
            if not path.exists():
                export(path, False)
                return

            def answered(yes: bool | None) -> None:
                if yes:
                    export(path, True)

            question = f"{path} already exists.\\Replace it with the filtered contacts?"
            self.app.push_screen(ConfirmDialog(question, default=False), answered)

        self.app.push_screen(
            FormDialog("Export the filtered contacts (CSV)", [("path", "File", "contacts.csv")]),
            entered,
        )

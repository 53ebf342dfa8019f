"""Setup: the reference tables behind segments and interactions (templates and their Word
documents, groups, salespeople, campaigns, languages, territories, countries, contact
classifications, salutations, number series, user setup) and the single-record Company
Information and Marketing Setup (including SMTP, with only the *name* of the environment
variable holding the password).

Pick a table on the left; its records are on the right. Every change goes through
``setup import``'s validation (:mod:`segment_tui.services.setup.records`), so the rules
and messages are the same as on the command line.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.data_table import RowDoesNotExist
from textual.widgets.option_list import Option

from segment_tui.services.setup.records import (
    create_record,
    delete_record,
    list_records,
    save_field,
)
from segment_tui.services.setup.tables import (
    BY_TABLE,
    SETUP_TABLES,
    SetupField,
    SetupRecord,
    SetupTable,
    key_field,
    setup_fields,
)
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import EditValueDialog, FormDialog
from segment_tui.ui.screens.setup_documents import attach_document, export_document
from segment_tui.ui.screens.setup_forms import (
    column_label,
    column_width,
    display_value,
    edit_text,
    field_lookup,
)
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.wording import count as plural
from segment_tui.ui.work import run_db


class SetupScreen(Screen[None]):
    """Setup tables on the left, the records of the chosen one on the right."""

    HELP_TITLE = "Setup"
    DEFAULT_CSS = """
    SetupScreen #setup-body { height: 1fr; }
    SetupScreen #setup-tables { width: 24; height: 1fr; border: none; }
    SetupScreen #setup-right { width: 1fr; height: 1fr; }
    SetupScreen #setup-caption { height: 1; padding: 0 1; text-style: bold; }
    SetupScreen #setup-records { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="setup.back"),
        Binding("n", "new", "New", id="setup.new"),
        Binding("f2", "edit", "Edit", id="setup.edit"),
        Binding("f4,ctrl+l", "lookup", "Lookup", show=False, id="setup.lookup"),
        Binding("delete", "delete", "Delete", id="setup.delete"),
        Binding("w", "attach_document", "Import Word", id="setup.word-import"),
        Binding("x", "export_document", "Export Word", id="setup.word-export"),
        Binding("f5", "reload", "Refresh", show=False, id="setup.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current: SetupTable = SETUP_TABLES[0]
        """The table shown."""
        self.fields: list[SetupField] = setup_fields(self.current.table)
        self.records: list[SetupRecord] = []
        """The records shown (raw values)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="setup-body"):
            yield OptionList(
                *[Option(t.caption, id=t.table) for t in SETUP_TABLES], id="setup-tables"
            )
            with Vertical(id="setup-right"):
                yield Label("", id="setup-caption")
                yield DataTable(zebra_stripes=True, id="setup-records")
        yield Static("", id="status", classes="status")
        yield KeyFooter()

    @property
    def records_table(self) -> DataTable[str]:
        """The records (or, for a single-record table, field/value rows)."""
        return self.query_one("#setup-records", DataTable)

    def on_mount(self) -> None:
        self.title = "Setup"
        tables = self.query_one("#setup-tables", OptionList)
        tables.highlighted = 0
        tables.focus()
        self.show_table(self.current.table)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "delete"):
            return not self.current.single
        if action in ("attach_document", "export_document"):
            return self.current.table == "interaction_template"
        return True

    # -- which table ---------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#setup-tables")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.current.table:
            self.show_table(event.option.id)

    @on(OptionList.OptionSelected, "#setup-tables")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id != self.current.table:
            self.show_table(event.option.id)
        self.records_table.focus()

    def show_table(self, table: str, select: str | None = None) -> None:
        """Show the records of a setup table (``select``: the key to put the cursor on)."""
        self.current = BY_TABLE[table]
        self.fields = setup_fields(table)
        grid = self.records_table
        grid.clear(columns=True)  # the columns come with the records (widths fit them)
        grid.cursor_type = "row" if self.current.single else "cell"
        self.query_one("#setup-caption", Label).update(self.current.caption)
        self.refresh_bindings()
        self.load(select)

    def action_reload(self) -> None:
        """Read the records again."""
        self.load()

    def load(self, select: str | None = None) -> None:
        """Read the records of the current table (in a worker) and show them."""
        table = self.current.table
        run_db(
            self,
            lambda: list_records(table),
            lambda records: self._show(table, records, select),
            group="setup",
            exclusive=True,
        )

    def _show(self, table: str, records: list[SetupRecord], select: str | None) -> None:
        if table != self.current.table:
            return
        grid = self.records_table
        row, column = grid.cursor_coordinate
        keep = select if select is not None else self._cursor_row_key()
        self.records = records
        grid.clear()
        key_name = key_field(table)
        if self.current.single:
            if not grid.columns:
                grid.add_column("Field", width=30, key="field")
                grid.add_column("Value", width=40, key="value")
            record = records[0] if records else {}
            for spec in self.fields:
                if spec.name != key_name:
                    value = display_value(spec, record.get(spec.name))
                    grid.add_row(spec.caption, value, key=spec.name)
        else:
            rows = [[display_value(s, r.get(s.name)) for s in self.fields] for r in records]
            if not grid.columns:
                for index, spec in enumerate(self.fields):
                    width = column_width(spec, [cells[index] for cells in rows])
                    grid.add_column(column_label(spec), width=width, key=spec.name)
            for record, cells in zip(records, rows, strict=True):
                grid.add_row(*cells, key=str(record[key_name]))
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):  # the row is gone: keep the index
                row = grid.get_row_index(keep)
        if grid.row_count:
            grid.move_cursor(row=min(row, grid.row_count - 1), column=column)
        count = len(records)
        self.query_one("#status", Static).update(
            "One record: Enter or F2 edits a field"
            if self.current.single
            else f"{plural(count, 'record')} · Enter/F2 edits the cell · n new"
        )

    def _cursor_row_key(self) -> str | None:
        grid = self.records_table
        if grid.row_count == 0:
            return None
        key = grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value
        return None if key is None else str(key)

    # -- editing -------------------------------------------------------------------------

    def cursor_target(self) -> tuple[str, str] | None:
        """(record key, field name) under the cursor."""
        grid = self.records_table
        if grid.row_count == 0:
            return None
        cell = grid.coordinate_to_cell_key(grid.cursor_coordinate)
        if self.current.single:
            return ("", str(cell.row_key.value))
        return (str(cell.row_key.value), str(cell.column_key.value))

    @on(DataTable.CellSelected, "#setup-records")
    @on(DataTable.RowSelected, "#setup-records")
    def _selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        """Edit the field under the cursor (Enter or F2)."""
        if target := self.cursor_target():
            self.edit_field(*target)

    def action_lookup(self) -> None:
        """Pick the value of the code field under the cursor (F4)."""
        if target := self.cursor_target():
            self.edit_field(*target, lookup=True)

    def record_for(self, key: str) -> SetupRecord:
        """The shown record with that key ({} when none)."""
        if self.current.single:
            return self.records[0] if self.records else {}
        key_name = key_field(self.current.table)
        return next((r for r in self.records if str(r[key_name]) == key), {})

    def edit_field(self, key: str, name: str, *, lookup: bool = False) -> None:
        """Change one field of a record: Yes/No toggles, other fields open a dialog."""
        table = self.current.table
        spec = next(s for s in self.fields if s.name == name)
        value = self.record_for(key).get(name)

        def saved(result: SetupRecord | None) -> None:
            if result is not None:
                self.load()

        if spec.kind == "boolean" and not lookup:
            run_db(self, lambda: save_field(table, key, name, not value), saved)
            return
        rows = field_lookup(spec)
        current = edit_text(spec, value)
        dialog = EditValueDialog(
            f"{spec.caption} — {self.current.singular} {key}".rstrip(),
            current,
            lambda text, _: save_field(table, key, name, text),
            lookup=rows,
            hint="YYYY-MM-DD" if spec.kind == "date" else "",
            show_codes=spec.kind != "option",
        )
        self.app.push_screen(dialog, saved)
        if rows is not None and lookup:  # F4: Esc in the lookup cancels the whole change
            self.call_after_refresh(dialog.open_lookup_first)
        elif rows is not None and not current:  # Enter on a blank code: pick, or Esc to type
            self.call_after_refresh(dialog.action_lookup)

    def action_new(self) -> None:
        """Create a record (key and main fields; the rest are edited in the table)."""
        info = self.current
        specs = {s.name: s for s in self.fields}
        fields = [(name, specs[name].caption, "") for name in info.new_fields]

        def created(key: str | None) -> None:
            if key:
                self.notify(f"Created {info.singular} {key}.", timeout=3, markup=False)
                self.load(select=key)
                self.records_table.focus()

        self.app.push_screen(
            FormDialog(
                f"New {info.singular}",
                fields,
                submit=lambda values: create_record(info.table, values),
            ),
            created,
        )

    def action_delete(self) -> None:
        """Delete the record under the cursor (confirmation, default No)."""
        target = self.cursor_target()
        if target is None:
            return
        info, key = self.current, target[0]
        record = self.record_for(key)
        name = next((str(record[f]) for f in ("name", "description") if record.get(f)), "")
        what = f"{info.singular} {key}" + (f" ({name})" if name else "")

        def deleted(_: None) -> None:
            self.notify(f"Deleted {info.singular} {key}.", timeout=3, markup=False)
            self.load()

        def answered(yes: bool | None) -> None:
            if yes:
                run_db(self, lambda: delete_record(info.table, key), deleted)

        self.app.push_screen(ConfirmDialog(f"Delete {what}?", default=False), answered)

    # -- Word documents of a template ------------------------------------------------------

    def _template_code(self) -> str | None:
        target = self.cursor_target()
        if self.current.table != "interaction_template" or target is None:
            return None
        return target[0]

    def action_attach_document(self) -> None:
        """Import a Word document (.docx) for the template under the cursor."""
        if (code := self._template_code()) is not None:
            attach_document(self, code)

    def action_export_document(self) -> None:
        """Save the Word document of the template under the cursor to a file."""
        if (code := self._template_code()) is not None:
            export_document(self, code)

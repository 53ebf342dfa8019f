"""The contact card (BC's Contact Card, p5050): every contact field as a field/value row.

Enter or F2 edits the field under the cursor in a small dialog; the value is checked by
``update_contact`` (BC's rules and messages) and a refusal stays under the field. Code
fields open their lookup with F4 or ctrl+l, and Enter on an empty code opens it too;
Yes/No fields toggle.

The contact's side of interactions starts here: ``i`` Create Interaction, F7 the
contact's interaction statistics, ctrl+F7 its interaction log entries, ``p`` its profile
answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from segment_tui.models.enums import caption
from segment_tui.questions import Answers
from segment_tui.services.contacts.fields import BY_NAME, CONTACT_FIELDS, ContactField
from segment_tui.services.contacts.records import ContactRecord, contact_record, update_contact
from segment_tui.services.setup.lookups import lookup_for, lookup_for_option
from segment_tui.ui.screens.dialogs import EditValueDialog, LookupRows
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.work import run_db

READ_ONLY = {
    "no": "A contact's number cannot be changed.",
    "company_name": "Company Name comes from the company (change Company No.).",
}
"""Fields shown but not edited here, with the reason."""


def field_lookup(spec: ContactField) -> Callable[[str], LookupRows] | None:
    """The lookup (search function) of a contact field, or None."""
    if spec.kind == "option":
        return lookup_for_option(spec.name)
    if spec.name == "company_no":
        return lookup_for("contact")
    if spec.reference:
        return lookup_for(spec.reference)
    return None


def display_value(spec: ContactField, value: object) -> str:
    """How a contact value reads on the card."""
    if value is None:
        return ""
    if spec.kind == "boolean":
        return "Yes" if value else "No"
    if spec.kind == "option":
        return caption(str(value))
    return str(value)


class ContactCardScreen(Screen[bool]):
    """One contact's fields; dismissed with True when something was changed."""

    HELP_TITLE = "Contact card"
    DEFAULT_CSS = """
    ContactCardScreen #card { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="contact-card.back"),
        Binding("f2,e", "edit", "Edit", key_display="F2", id="contact-card.edit"),
        Binding("f4,ctrl+l", "lookup", "Lookup", id="contact-card.lookup"),
        Binding("i", "create_interaction", "Interaction", tooltip="Create Interaction",
                id="contact-card.create-interaction"),
        Binding("f7", "statistics", "Statistics", id="contact-card.statistics"),
        Binding("ctrl+f7", "entries", "Entries", show=False, tooltip="Interaction Log Entries",
                id="contact-card.entries"),
        Binding("p", "profile", "Profile", tooltip="Profile answers", id="contact-card.profile"),
        Binding("f5", "reload", "Refresh", show=False, id="contact-card.refresh"),
    ]  # fmt: skip

    def __init__(self, contact_no: str) -> None:
        super().__init__()
        self.contact_no = contact_no
        """The contact shown."""
        self.record: ContactRecord | None = None
        """The contact as last read (None until it is)."""
        self.changed = False
        """Whether a field was saved (the list reads its rows again)."""

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True, id="card")
        table.add_column("Field", width=22, key="field")
        table.add_column("Value", width=52, key="value")
        for spec in CONTACT_FIELDS:
            table.add_row(spec.caption, "", key=spec.name)
        yield table
        yield Static("", id="status", classes="status")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[str]:
        """The field/value table."""
        return self.query_one("#card", DataTable)

    def on_mount(self) -> None:
        self.title = f"Contact {self.contact_no}"
        self.table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        """Read the contact again."""
        run_db(
            self,
            lambda: contact_record(self.contact_no),
            self.show,
            group="card",
            exclusive=True,
        )

    def show(self, record: ContactRecord) -> None:
        """Fill the card from a contact record."""
        self.record = record
        self.sub_title = record["name"]
        modified = record["last_date_modified"]
        self.query_one("#status", Static).update(
            f"Last modified {modified} · Enter edits" if modified else "Enter edits"
        )
        table = self.table
        for spec in CONTACT_FIELDS:
            table.update_cell(spec.name, "value", display_value(spec, record.get(spec.name)))

    def current_field(self) -> str | None:
        """The field under the cursor."""
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return None if key.value is None else str(key.value)

    @on(DataTable.RowSelected, "#card")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.edit_field(str(event.row_key.value))

    def action_edit(self) -> None:
        """Edit the field under the cursor."""
        name = self.current_field()
        if name:
            self.edit_field(name)

    def action_lookup(self) -> None:
        """Pick the value of the code field under the cursor from its lookup."""
        name = self.current_field()
        if name:
            self.edit_field(name, lookup=True)

    def _saved(self, record: ContactRecord | None) -> None:
        if record is not None:
            self.changed = True
            self.show(record)

    def edit_field(self, name: str, *, lookup: bool = False) -> None:
        """Edit one field: Yes/No toggles, others open a dialog (F4: straight to the lookup)."""
        spec = BY_NAME[name]
        if name in READ_ONLY:
            self.notify(READ_ONLY[name], timeout=3)
            return
        if self.record is None:
            return
        value = self.record.get(name)
        if spec.kind == "boolean":
            run_db(self, lambda: update_contact(self.contact_no, {name: not value}), self._saved)
            return
        rows = field_lookup(spec)
        if lookup and rows is None:
            self.notify(f"{spec.caption} has no lookup; Enter edits it.", timeout=3)
            return
        current = "" if value is None else str(value)
        if spec.kind == "option":
            current = caption(current)

        def apply(text: str, _: Answers) -> ContactRecord:
            return update_contact(self.contact_no, {name: text})

        dialog = EditValueDialog(
            f"{spec.caption} — contact {self.contact_no}",
            current,
            apply,
            lookup=rows,
            hint=_hint(spec),
        )
        self.app.push_screen(dialog, self._saved)
        if rows is not None and lookup:  # F4: Esc in the lookup cancels the whole change
            self.call_after_refresh(dialog.open_lookup_first)
        elif rows is not None and not current:  # Enter on a blank code: pick, or Esc to type
            self.call_after_refresh(dialog.action_lookup)

    # -- the contact's side of interactions ------------------------------------------------

    def action_create_interaction(self) -> None:
        """BC's Create Interaction for this contact."""
        from segment_tui.ui.screens.create_interaction import CreateInteractionDialog

        def created(message: str | None) -> None:
            if message:
                self.notify(message, title="Create Interaction", timeout=10)

        self.app.push_screen(CreateInteractionDialog(self.contact_no), created)

    def action_statistics(self) -> None:
        """BC's Contact Statistics (interactions): No. of Interactions, cost, duration."""
        from segment_tui.ui.screens.interaction_stats import ContactStatisticsDialog

        self.app.push_screen(ContactStatisticsDialog(self.contact_no))

    def action_entries(self) -> None:
        """The contact's interaction log entries."""
        from segment_tui.ui.screens.interaction_entries import InteractionEntriesScreen

        self.app.push_screen(InteractionEntriesScreen(contact_no=self.contact_no))

    def action_profile(self) -> None:
        """The contact's profile answers (give and clear them)."""
        from segment_tui.ui.screens.contact_profile import ContactProfileScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.changed = True
                self.action_reload()  # answering touches the contact (Last Date Modified)

        self.app.push_screen(ContactProfileScreen(self.contact_no), closed)

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss(self.changed)


def _hint(spec: ContactField) -> str:
    if spec.length:
        return f"at most {spec.length} characters"
    return ""

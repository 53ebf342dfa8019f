"""The request pages of the Segment page's actions: Apply Mailing Group, Export Contacts,
Print Labels, Print Cover Sheets and the Segment - Contacts report.

Each dialog collects its options, runs the service in a worker (BC's questions, such as
"replace the file?", come up as dialogs), shows a refusal under its fields and closes
with the sentence to notify.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from segment_tui.errors import UserError
from segment_tui.questions import Answers
from segment_tui.services.printouts.cover_sheet_options import REMARKS, CoverSheetOptions
from segment_tui.services.printouts.label_layouts import DEFAULT_LAYOUT, LAYOUTS
from segment_tui.services.setup.lookups import lookup_for
from segment_tui.ui.screens.dialogs import LookupDialog, LookupRows
from segment_tui.ui.widgets.option_box import OptionBox
from segment_tui.ui.work import run_with_questions

Request = Callable[[Answers], str]
"""The service call a dialog runs: BC's answers so far in, the sentence to notify out."""


class SegmentActionDialog(ModalScreen[str | None]):
    """A request page: ctrl+s (or Enter in the last field) runs it, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "run", "OK"),
    ]
    TITLE_TEXT = ""

    def __init__(self, segment_no: str) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form segment-action"):
            yield Label(f"{self.TITLE_TEXT} — Segment {self.segment_no}", classes="title")
            yield from self.compose_fields()
            yield Static("", id="error", classes="error", markup=False)
            yield Label(self.hint(), classes="hint")

    def compose_fields(self) -> ComposeResult:
        """The dialog's own fields."""
        yield from ()

    def hint(self) -> str:
        """The keys line at the bottom."""
        return "ctrl+s: OK · Esc cancels"

    def request(self) -> Request:
        """The service call for the values typed (a UserError refuses them)."""
        raise NotImplementedError

    def field(self, name: str) -> str:
        """The text of the input ``#name``."""
        return self.query_one(f"#{name}", Input).value.strip()

    def option(self, name: str) -> bool:
        """Whether the option ``#name`` is ticked."""
        return self.query_one(f"#{name}", OptionBox).value

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_run()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def action_run(self) -> None:
        """Run the action with the values in the dialog."""
        if self.busy:
            return
        error = self.query_one("#error", Static)
        try:
            call = self.request()
        except UserError as problem:
            error.update(str(problem))
            return
        self.busy = True
        error.update("working…")

        def refused(problem: UserError) -> None:
            self.busy = False
            error.update(str(problem).replace("\\", " "))

        def done(message: str) -> None:
            self.busy = False
            self.dismiss(message)

        def canceled() -> None:
            self.busy = False
            error.update("Canceled; nothing was written.")

        run_with_questions(
            self, call, done, failed=refused, description=self.TITLE_TEXT, canceled=canceled
        )

    def action_cancel(self) -> None:
        """Close without doing anything."""
        if not self.busy:
            self.dismiss(None)


def _path(text: str) -> Path:
    if not text:
        raise UserError("File: name the file to write")
    return Path(text).expanduser().absolute()


class MailingGroupDialog(SegmentActionDialog):
    """Apply Mailing Group (BC report 5184): a code (F4 looks it up) and Delete Old
    Assignments."""

    TITLE_TEXT = "Apply Mailing Group"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f4,ctrl+l", "lookup", "Lookup")]

    def compose_fields(self) -> ComposeResult:
        yield Label("Mailing Group Code (F4 lookup)", classes="caption")
        yield Input(id="code")
        yield OptionBox("Delete Old Assignments (take the group from every contact first)",
                        id="delete_old")  # fmt: skip

    def hint(self) -> str:
        return "F4 lookup · ctrl+s or Enter: OK · Esc cancels"

    def action_lookup(self) -> None:
        """Pick the mailing group from its list."""
        field = self.query_one("#code", Input)

        def picked(code: str | None) -> None:
            if code:
                field.value = code
                field.focus()

        self.app.push_screen(
            LookupDialog("Mailing Groups", lookup_for("mailing_group"), initial=field.value),
            picked,
        )

    def request(self) -> Request:
        from segment_tui.services.segments.mailing_groups import apply_mailing_group

        code, delete_old, number = self.field("code"), self.option("delete_old"), self.segment_no

        def call(_: Answers) -> str:
            result = apply_mailing_group(number, code, delete_old=delete_old)
            return f"{result.message} ({result.added:,} contacts got it.)"

        return call


class ExportContactsDialog(SegmentActionDialog):
    """Export Contacts: the segment's contacts as CSV (``contacts export``'s columns)."""

    TITLE_TEXT = "Export Contacts"

    def compose_fields(self) -> ComposeResult:
        yield Label("File (CSV)", classes="caption")
        yield Input(value=f"{self.segment_no}-contacts.csv", id="path")

    def request(self) -> Request:
        from segment_tui.services.printouts.reports import export_segment_contacts

        path, number = _path(self.field("path")), self.segment_no

        def call(answers: Answers) -> str:
            _, count = export_segment_contacts(number, path, answers=answers)
            return f"Exported {count:,} contacts to {path}."

        return call


class ContactsReportDialog(SegmentActionDialog):
    """The Segment - Contacts report, as PDF or CSV (by the file's extension)."""

    TITLE_TEXT = "Segment - Contacts"

    def compose_fields(self) -> ComposeResult:
        yield Label("File (.pdf or .csv)", classes="caption")
        yield Input(value=f"{self.segment_no}-contacts-report.pdf", id="path")

    def request(self) -> Request:
        from segment_tui.services.printouts.reports import segment_contacts_report

        path, number = _path(self.field("path")), self.segment_no

        def call(answers: Answers) -> str:
            result = segment_contacts_report(number, path, answers=answers)
            return f"Segment - Contacts: {result.contacts:,} contacts to {result.file}."

        return call


def _layout_rows(text: str) -> LookupRows:
    needle = text.strip().lower()
    return [
        (name, layout.description)
        for name, layout in LAYOUTS.items()
        if needle in name or needle in layout.description.lower()
    ]


class LabelsDialog(SegmentActionDialog):
    """Print Labels (BC report 5065): the file, the label sheet (F4 lists them) and
    whether contacts at one address share a label."""

    TITLE_TEXT = "Print Labels"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f4,ctrl+l", "lookup", "Lookup")]

    def compose_fields(self) -> ComposeResult:
        yield Label("File (PDF)", classes="caption")
        yield Input(value=f"{self.segment_no}-labels.pdf", id="path")
        yield Label("Label sheet (F4 lists them)", classes="caption")
        yield Input(value=DEFAULT_LAYOUT, id="layout")
        yield Static(LAYOUTS[DEFAULT_LAYOUT].description, id="layout-description", markup=False)
        yield OptionBox("One label for contacts at the same address", id="merge")
        yield OptionBox("Draw the label edges (a test print on plain paper)", id="outline")

    def hint(self) -> str:
        return "F4 label sheets · ctrl+s: print · Esc cancels"

    @on(Input.Changed, "#layout")
    def _layout_changed(self, event: Input.Changed) -> None:
        layout = LAYOUTS.get(event.value.strip().lower())
        text = layout.description if layout else "(not a label sheet: F4 lists them)"
        self.query_one("#layout-description", Static).update(text)

    def action_lookup(self) -> None:
        """Pick the label sheet from the list."""
        field = self.query_one("#layout", Input)

        def picked(name: str | None) -> None:
            if name:
                field.value = name
                field.focus()

        self.app.push_screen(
            LookupDialog("Label sheets", _layout_rows, initial=field.value), picked
        )

    def request(self) -> Request:
        from segment_tui.services.printouts.labels import describe_labels, print_labels

        path, number = _path(self.field("path")), self.segment_no
        layout, merge, outline = self.field("layout"), self.option("merge"), self.option("outline")

        def call(answers: Answers) -> str:
            result = print_labels(
                number,
                path,
                layout=layout,
                merge_households=merge,
                outline=outline,
                answers=answers,
            )
            return describe_labels(result)

        return call


class CoverSheetsDialog(SegmentActionDialog):
    """Print Cover Sheets (BC report 5064): the file, up to five lines of text, the
    remarks to tick and a custom remark."""

    TITLE_TEXT = "Print Cover Sheets"

    def compose_fields(self) -> ComposeResult:
        yield Label("File (PDF)", classes="caption")
        yield Input(value=f"{self.segment_no}-cover-sheets.pdf", id="path")
        yield Label("Text (up to 5 lines of 100 characters)", classes="caption")
        yield TextArea(id="text", soft_wrap=True, show_line_numbers=False)
        yield Label("Remarks", classes="caption")
        with Grid(classes="options"):
            for key, caption in REMARKS.items():
                yield OptionBox(caption, id=f"remark-{key}")
        yield Label("Custom remark", classes="caption")
        yield Input(id="custom")

    def request(self) -> Request:
        from segment_tui.services.printouts.cover_sheets import print_cover_sheets

        path, number = _path(self.field("path")), self.segment_no
        options = CoverSheetOptions(
            text=tuple(self.query_one("#text", TextArea).text.splitlines()),
            remarks=tuple(key for key in REMARKS if self.option(f"remark-{key}")),
            custom_remark=self.field("custom"),
        ).checked()

        def call(answers: Answers) -> str:
            result = print_cover_sheets(number, path, options, answers=answers)
            sheets = f"{result.pages:,} cover sheet" + ("s" if result.pages != 1 else "")
            return f"Printed {sheets} to {result.file}."

        return call


def open_action_dialog(
    screen: Any, dialog: SegmentActionDialog, after: Callable[[], Any] | None = None
) -> None:
    """Show ``dialog``; its closing sentence becomes a notification."""

    def closed(message: str | None) -> None:
        if message:
            screen.notify(message, timeout=8)
            if after is not None:
                after()

    screen.app.push_screen(dialog, closed)

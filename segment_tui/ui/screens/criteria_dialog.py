"""Add Contacts / Reduce Contacts / Refine Contacts: filter rows, options, live preview.

Each row is a field (with completion of field names) and a BC filter (with completion of
codes; F4 opens the field's lookup). As filters change, a debounced worker counts what
the action would do — "would add 34 (3 excluded, 5 already present)" — without writing.
Enter applies; a progress bar runs until the single SQL transaction is done.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Label, ProgressBar, Static

from segment_tui.questions import Answers
from segment_tui.services.criteria.actions import (
    AddOptions,
    add_contacts,
    preview_add,
    preview_remove,
    remove_contacts,
)
from segment_tui.services.criteria.fields import (
    FIELD_LOOKUPS,
    FIELD_OPTIONS,
    field_names,
    field_rows,
    parse_where,
    value_source,
)
from segment_tui.services.setup.lookups import lookup_option, lookup_table, value_lookup
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.widgets.option_box import OptionBox
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_db, run_with_questions

ROWS = 6
TITLES = {"add": "Add Contacts", "reduce": "Reduce Contacts", "refine": "Refine Contacts"}
ADD_OPTIONS = (
    ("allow_existing", "Allow Existing Contacts"),
    ("expand_companies", "Expand Companies"),
    ("allow_related_companies", "Allow Related Companies"),
    ("ignore_exclusion", "Ignore Exclusion"),
)


class CriteriaDialog(ModalScreen[str | None]):
    """The request page of Add/Reduce/Refine Contacts, with a live preview."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("f4,ctrl+l", "lookup", "Lookup fields / values"),
    ]
    DEBOUNCE_S = 0.3

    def __init__(
        self, segment_no: str, mode: str, *, rows: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.mode = mode
        self.initial_rows = rows or []
        self._timer: Timer | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog criteria"):
            yield Label(f"{TITLES[self.mode]} — Segment {self.segment_no}", classes="title")
            names = SuggestFromList(field_names(), case_sensitive=False)
            for index in range(ROWS):
                field, text = (
                    self.initial_rows[index] if index < len(self.initial_rows) else ("", "")
                )
                with Horizontal(classes="filter-row"):
                    yield Input(
                        field,
                        placeholder="field",
                        suggester=names,
                        id=f"field-{index}",
                        classes="field",
                    )
                    yield Input(
                        text,
                        placeholder="filter, e.g. London|Paris",
                        id=f"filter-{index}",
                        classes="filter",
                    )
            with Horizontal(classes="options"):
                if self.mode == "add":
                    for key, caption in ADD_OPTIONS:
                        yield OptionBox(caption, id=key)
                else:
                    yield OptionBox("Entire Companies", id="entire_companies")
            yield Static("", id="preview", classes="preview")
            bar = ProgressBar(total=None, show_eta=False, id="progress")
            bar.display = False
            yield bar
            yield Label(
                "Tab moves · Enter or ctrl+s applies · F4 fields / values · Esc cancels",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#field-0", Input).focus()
        self.schedule_preview()

    def items(self) -> list[str]:
        """The filled rows as ``field=FILTER`` items."""
        result = []
        for index in range(ROWS):
            field = self.query_one(f"#field-{index}", Input).value.strip()
            text = self.query_one(f"#filter-{index}", Input).value
            if field or text.strip():
                result.append(f"{field}={text}")
        return result

    def options(self) -> AddOptions:
        """The options ticked (Add Contacts)."""
        ticked = {key: self.query_one(f"#{key}", Checkbox).value for key, _ in ADD_OPTIONS}
        return AddOptions(**ticked)

    def entire_companies(self) -> bool:
        """Entire Companies (Reduce/Refine)."""
        return bool(self.query_one("#entire_companies", Checkbox).value)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Input.Changed | Checkbox.Changed) -> None:
        if (
            isinstance(event, Input.Changed)
            and event.input.id
            and event.input.id.startswith("field-")
        ):
            self._suggest_codes(event.input.id.split("-")[1], event.value.strip().lower())
        self.schedule_preview()

    @on(Input.Blurred)
    def _left_cell(self, event: Input.Blurred) -> None:
        self.complete_cell(event.input)

    def complete_cell(self, cell: Input) -> None:
        """Leaving a cell (Tab, Enter) takes the completion it showed, as a shell does: a
        field name ("cit" -> city, the suggester's first match) or an option value ("Pe" ->
        person, when only one fits). Codes are left alone: "B" may be a code of its own."""
        kind, _, index = (cell.id or "").partition("-")
        typed = cell.value.strip().lower()
        if not typed:
            return
        if kind == "field":
            known = field_names()
        elif kind == "filter":
            field = self.query_one(f"#field-{index}", Input).value.strip().lower()
            option = FIELD_OPTIONS.get(field)
            known = [value for value, _ in lookup_option(option)] if option else []
        else:
            return
        completions = [name for name in known if name and name.startswith(typed)]
        unambiguous = len(completions) == 1 or (kind == "field" and len(completions) > 1)
        if typed not in known and unambiguous:
            cell.value = completions[0]

    def _suggest_codes(self, index: str, field: str) -> None:
        """Completion of codes in a filter cell, from the field's lookup."""
        target = self.query_one(f"#filter-{index}", Input)
        table, option = FIELD_LOOKUPS.get(field), FIELD_OPTIONS.get(field)
        if table is None and option is None:
            target.suggester = None
            return

        def load() -> list[str]:
            rows = lookup_table(table, "") if table else lookup_option(option or "", "")
            return [code for code, _ in rows if code]

        def apply(codes: list[str]) -> None:
            target.suggester = SuggestFromList(codes, case_sensitive=False)

        run_db(self, load, apply, group=f"suggest-{index}", exclusive=True)

    def schedule_preview(self) -> None:
        """Count again shortly after the last change (debounced)."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE_S, self.run_preview)

    def run_preview(self) -> None:
        """Count now (in a worker): what the action would do with the filters as typed."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        items, mode, number = self.items(), self.mode, self.segment_no
        options = self.options() if mode == "add" else None
        entire = self.entire_companies() if mode != "add" else False
        preview = self.query_one("#preview", Static)

        def count() -> str:
            filters = parse_where(items, list_fields=False)  # F4 and completion instead
            if options is not None:
                result = preview_add(number, filters, options)
                return (
                    f"would add {result.would_add:,} "
                    f"({result.excluded:,} excluded, {result.already_present:,} already present)"
                )
            removal = preview_remove(
                number, filters, "reduce" if mode == "reduce" else "refine", entire
            )
            return f"would remove {removal.would_remove:,} ({removal.remaining:,} would remain)"

        def show_error(error: Exception) -> None:
            preview.update(Text(str(error), style="bold red"))

        preview.update("counting…")
        run_db(self, count, preview.update, failed=show_error, group="preview", exclusive=True)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.complete_cell(event.input)
        self.action_apply()

    def action_apply(self) -> None:
        """Run the action (one transaction) and close with a summary."""
        if self.busy:
            return
        items, mode, number = self.items(), self.mode, self.segment_no
        options = self.options() if mode == "add" else None
        entire = self.entire_companies() if mode != "add" else False
        self._set_busy(True)

        def run(answers: Answers) -> str:
            filters = parse_where(items, list_fields=False)  # F4 and completion instead
            if options is not None:
                result = add_contacts(number, filters, options)
                return (
                    f"Criteria action {result.action_no}: added {count(result.added, 'contact')}."
                )
            outcome = remove_contacts(
                number,
                filters,
                "reduce" if mode == "reduce" else "refine",
                entire_companies=entire,
                answers=answers,
            )
            reset = (
                " The segment is empty; its criteria were reset." if outcome.criteria_reset else ""
            )
            removed = count(outcome.removed, "line")
            return f"Criteria action {outcome.action_no}: removed {removed}.{reset}"

        def failed(error: Exception) -> None:
            self._set_busy(False)
            self.query_one("#preview", Static).update(Text(str(error), style="bold red"))

        run_with_questions(self, run, self.dismiss, failed=failed, description=TITLES[mode])

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.query_one("#progress", ProgressBar).display = busy

    def action_lookup(self) -> None:
        """F4 on a field cell: pick from the filterable fields (by section, with their
        captions). F4 on a filter cell: pick a value of the row's field; it is added to
        the filter with ``|``."""
        focused = self.focused
        if not isinstance(focused, Input) or not focused.id:
            return
        kind, _, index = focused.id.partition("-")
        if kind == "field":
            self._pick_field(focused, index)
            return
        field = self.query_one(f"#field-{index}", Input).value.strip().lower()
        target = self.query_one(f"#filter-{index}", Input)
        source = value_source(field)
        load = value_lookup(source) if source else None
        if load is None:
            name = field or "This field"
            self.notify(f"{name} has no list of values: type a filter.", timeout=3)
            return

        def picked(code: str | None) -> None:
            if code is None:
                return
            value = code or "''"
            target.value = f"{target.value}|{value}" if target.value.strip() else value
            target.focus()

        show_codes = not source.startswith("option:")
        self.app.push_screen(LookupDialog(field, load, show_codes=show_codes), picked)

    def _pick_field(self, cell: Input, index: str) -> None:
        """The field lookup of a field cell; the filter cell next to it gets the focus."""

        def picked(name: str | None) -> None:
            if name:
                cell.value = name
                self.query_one(f"#filter-{index}", Input).focus()

        dialog = LookupDialog("Filter on field", field_rows, initial=cell.value.strip())
        self.app.push_screen(dialog, picked)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

"""Small modal dialogs shared by the screens: editing one value with inline validation,
forms, and the searchable lookup behind every code field (F4). BC's yes/no questions are
:mod:`.confirm_dialog`'s."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar, cast, overload

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from segment_tui.errors import UserError
from segment_tui.questions import Answers
from segment_tui.ui.work import run_db, run_with_questions

R = TypeVar("R")
"""What a form's ``submit`` returns, and so the form's result."""

LookupRows = Sequence[tuple[str, str] | tuple[str, str, str]]
"""(code, description) pairs a lookup shows; a third item groups rows under a heading."""


class LookupDialog(ModalScreen[str | None]):
    """Pick a code from a searchable list; typing filters, Enter picks, Esc cancels.

    ``show_codes=False`` shows the descriptions only (an option's caption, not its
    stored value); ``initial`` (a code or its description) is preselected. Rows with a
    third item are grouped under that heading.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
    ]

    def __init__(
        self,
        title: str,
        load: Callable[[str], LookupRows],
        *,
        initial: str = "",
        show_codes: bool = True,
    ) -> None:
        super().__init__()
        self.lookup_title = title
        self.load = load
        self.initial = initial
        self.show_codes = show_codes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog lookup"):
            yield Label(self.lookup_title, classes="title", markup=False)
            yield Input(placeholder="type to search code or description", id="search")
            yield OptionList(id="choices", markup=False)
            yield Label("Enter picks · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self._search("")

    def _options(self, rows: LookupRows) -> tuple[list[Option], int]:
        """The options (headings disabled) and the index to highlight first."""
        options: list[Option] = []
        group: str | None = None
        wanted = self.initial.strip().lower()
        highlight: int | None = None
        code_width = max((len(row[0]) for row in rows), default=0)
        code_width = min(max(code_width, 4), 20)
        for row in rows:
            code, description = row[0], row[1]
            if len(row) > 2 and row[2] != group:
                group = row[2]
                options.append(Option(f"── {group}", disabled=True))
            text = f"{code:<{code_width}}  {description}" if self.show_codes else description
            if highlight is None and wanted and wanted in (code.lower(), description.lower()):
                highlight = len(options)
            options.append(Option(text or "(blank)", id=code or "\x00"))
        first = next((i for i, option in enumerate(options) if not option.disabled), 0)
        return options, first if highlight is None else highlight

    def _search(self, text: str) -> None:
        def show(rows: LookupRows) -> None:
            options = self.query_one(OptionList)
            options.clear_options()
            choices, highlight = self._options(rows)
            options.add_options(choices)
            if choices:
                options.highlighted = highlight

        run_db(self, lambda: self.load(text), show, group="lookup", exclusive=True)

    @on(Input.Changed, "#search")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled:
                self._pick(option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        self.dismiss("" if option_id in (None, "\x00") else option_id)

    def action_move(self, step: int) -> None:
        """Move the highlight (over headings) while the search field keeps the focus."""
        options = self.query_one(OptionList)
        count = options.option_count
        if not count:
            return
        current = options.highlighted if options.highlighted is not None else -step
        index = max(0, min(count - 1, current + step))
        direction = 1 if step > 0 else -1
        while options.get_option_at_index(index).disabled:
            if not 0 <= index + direction < count:
                direction = -direction  # the end is a heading: look the other way
            index += direction
            if not 0 <= index < count:
                return
        options.highlighted = index

    def action_cancel(self) -> None:
        """Close without picking."""
        self.dismiss(None)


class EditValueDialog(ModalScreen[R | None], Generic[R]):
    """Edit one value: Enter saves through ``apply`` (in a worker); a refusal is shown under
    the field and keeps the cursor there; F4 or ctrl+l opens the lookup of a code field.
    The result is what ``apply`` returned (None: canceled)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("f4,ctrl+l", "lookup", "Lookup"),
    ]

    def __init__(
        self,
        caption: str,
        value: str,
        apply: Callable[[str, Answers], R],
        *,
        lookup: Callable[[str], LookupRows] | None = None,
        hint: str = "",
        show_codes: bool = True,
    ) -> None:
        super().__init__()
        self.caption = caption
        self.value = value
        self.apply = apply
        self.lookup_rows = lookup
        self.hint = hint
        self.show_codes = show_codes
        """False for an option field: its lookup shows the captions only."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog edit"):
            yield Label(self.caption, classes="title", markup=False)
            yield Input(value=self.value, select_on_focus=True, id="value")
            yield Static("", id="error", classes="error", markup=False)
            keys = "Enter saves · Esc cancels" + (" · F4 lookup" if self.lookup_rows else "")
            yield Label(f"{self.hint}  {keys}".strip(), classes="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lookup":
            return self.lookup_rows is not None
        return True

    @on(Input.Submitted, "#value")
    def _submitted(self, event: Input.Submitted) -> None:
        self._save(event.value)

    def _save(self, text: str) -> None:
        error = self.query_one("#error", Static)
        error.update("")

        def refused(problem: UserError) -> None:
            error.update(str(problem).replace("\\", " "))
            self.query_one(Input).focus()

        run_with_questions(
            self, lambda answers: self.apply(text, answers), self.dismiss, failed=refused
        )

    def open_lookup_first(self) -> None:
        """Open the lookup straight away (F4 on a field): Esc in it then cancels the
        whole change instead of leaving the user in a text box they did not ask for."""
        self.action_lookup(cancel_with_lookup=True)

    def action_lookup(self, cancel_with_lookup: bool = False) -> None:
        """Pick the value from the field's lookup."""
        if self.lookup_rows is None:
            return
        field = self.query_one(Input)

        def picked(code: str | None) -> None:
            if code is not None:
                field.value = code
                self._save(code)
            elif cancel_with_lookup:
                self.dismiss(None)

        self.app.push_screen(
            LookupDialog(
                self.caption, self.lookup_rows, initial=field.value, show_codes=self.show_codes
            ),
            picked,
        )

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class FormDialog(ModalScreen[R | None], Generic[R]):
    """A few text fields (e.g. Save Criteria's code and description); Enter in the last
    field or ctrl+s submits; ``validate`` may refuse with a message shown in the form.

    The result is what ``submit`` returns, or the typed values by key without one.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "OK"),
    ]

    @overload
    def __init__(
        self: FormDialog[dict[str, str]],
        title: str,
        fields: Sequence[tuple[str, str, str]],
        submit: None = None,
    ) -> None: ...

    @overload
    def __init__(
        self: FormDialog[R],
        title: str,
        fields: Sequence[tuple[str, str, str]],
        submit: Callable[[dict[str, str]], R],
    ) -> None: ...

    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, str, str]],
        submit: Callable[[dict[str, str]], R] | None = None,
    ) -> None:
        """``fields`` are (key, caption, initial value); ``submit`` runs in a worker and
        its result is returned (a UserError is shown in the form)."""
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(self.form_title, classes="title")
            for key, caption, value in self.fields:
                yield Label(caption, classes="caption")
                yield Input(value=value, id=f"field-{key}")
            yield Static("", id="error", classes="error", markup=False)
            yield Label("Enter (in the last field) or ctrl+s: OK · Esc cancels", classes="hint")

    def values(self) -> dict[str, str]:
        """The typed values by key."""
        return {key: self.query_one(f"#field-{key}", Input).value for key, _, _ in self.fields}

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def action_submit(self) -> None:
        """Check and return the values."""
        values = self.values()
        if self.submit is None:
            self.dismiss(cast(R, values))  # without submit, R is dict[str, str]
            return
        error = self.query_one("#error", Static)
        error.update("")
        submit = self.submit
        run_db(self, lambda: submit(values), self.dismiss, failed=lambda e: error.update(str(e)))

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

"""Create Interaction (BC's wizard, page 5077) for the contact of the card: one form.

Picking a template (F4, or typing its code and leaving the field) fills in what the
template brings — description, correspondence type, cost, duration, campaign — as BC's
template validation does; every field stays editable. ctrl+s logs the interaction and,
with Send on and a correspondence type, delivers its letter (a file for a hard copy, an
e-mail) through the delivery of Log with Send (``docs/delivery.md``). A refusal (BC's
messages) stays in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from segment_tui.models.enums import caption
from segment_tui.services.setup.lookups import lookup_for, lookup_for_option
from segment_tui.ui.screens.dialogs import LookupDialog, LookupRows
from segment_tui.ui.widgets.option_box import OptionBox
from segment_tui.ui.work import run_db

if TYPE_CHECKING:  # the service is imported when the dialog first reads (start-up time)
    from segment_tui.services.interactions.create_input import InteractionDefaults

FIELDS: tuple[tuple[str, str], ...] = (
    ("interaction_template_code", "Interaction Template"),
    ("description", "Description"),
    ("correspondence_type", "Correspondence Type"),
    ("evaluation", "Evaluation"),
    ("salesperson_code", "Salesperson"),
    ("date", "Date of Interaction"),
    ("cost_lcy", "Cost (LCY)"),
    ("duration_min", "Duration (Min.)"),
    ("campaign_no", "Campaign No."),
    ("out", "Folder (hard copy)"),
)
"""(key, caption) of the form's fields, in BC's order."""

LOOKUPS: dict[str, Callable[[str], LookupRows]] = {
    "interaction_template_code": lookup_for("interaction_template"),
    "correspondence_type": lookup_for_option("correspondence_type"),
    "evaluation": lookup_for_option("evaluation"),
    "salesperson_code": lookup_for("salesperson"),
    "campaign_no": lookup_for("campaign"),
}
OPTIONS = {"correspondence_type", "evaluation"}
"""Fields holding an enumeration: shown with BC's caption."""
FROM_TEMPLATE = (
    "description", "correspondence_type", "cost_lcy", "duration_min", "campaign_no",
)  # fmt: skip


def _text(key: str, value: object) -> str:
    if value is None:
        return ""
    if key in OPTIONS:
        return caption(str(value))
    return str(value)


def create_and_deliver(contact_no: str, values: dict[str, str], send: bool, out: str) -> str:
    """Create the interaction, deliver its letter; the outcome in words (worker side)."""
    from segment_tui.services.interactions.create import create_interaction, deliver

    created = create_interaction(contact_no, values, send=send)
    message = f"Interaction log entry {created.entry_no} created for contact {contact_no}."
    if not created.queued:
        return message
    try:
        report = deliver(created, Path(out).expanduser() if out else None)
    except Exception as err:  # noqa: BLE001 - the entry is logged; say why delivery failed
        return f"{message} Delivery failed: {err}"
    return f"{message} {report.summary if report else ''}".strip()


class CreateInteractionDialog(ModalScreen[str | None]):
    """The Create Interaction form for one contact; dismissed with what happened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "create", "Create"),
        Binding("f4,ctrl+l", "lookup", "Lookup"),
    ]

    def __init__(self, contact_no: str) -> None:
        super().__init__()
        self.contact_no = contact_no
        """The contact interacted with."""
        self.template = ""
        """The template whose defaults the form shows."""
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form create-interaction"):
            yield Label(f"Create Interaction — contact {self.contact_no}", classes="title")
            for key, label in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="caption")
                    yield Input(id=f"field-{key}")
            yield OptionBox("Send (deliver the letter: file or e-mail)", value=True, id="send")
            yield Static("", id="info", classes="hint", markup=False)
            yield Static("", id="error", classes="error", markup=False)
            yield Label("F4 lookup · ctrl+s creates · Esc cancels", classes="hint")

    def field(self, key: str) -> Input:
        """The input of a field."""
        return self.query_one(f"#field-{key}", Input)

    def values(self) -> dict[str, str]:
        """The typed values of the interaction's fields (the folder left out)."""
        return {key: self.field(key).value for key, _ in FIELDS if key != "out"}

    def on_mount(self) -> None:
        self.field("interaction_template_code").focus()
        self._load_defaults("", initial=True)

    def _load_defaults(self, template: str, *, initial: bool = False) -> None:
        from segment_tui.services.interactions.create import interaction_defaults

        def show(record: InteractionDefaults) -> None:
            self.template = record["interaction_template_code"]
            keys = ("salesperson_code", "date") if initial else FROM_TEMPLATE
            for key in keys:
                self.field(key).value = _text(key, record.get(key))
            self.query_one("#error", Static).update("")
            if record["interaction_template_code"]:
                letter = (
                    f"Word letter in {record['language_code'] or 'the default language'}"
                    if record["has_document"]
                    else "no Word letter"
                )
                self.query_one("#info", Static).update(f"{record['contact_name']} · {letter}")
            else:
                self.query_one("#info", Static).update(record["contact_name"])

        def refused(error: Exception) -> None:
            self.query_one("#error", Static).update(str(error))

        run_db(
            self,
            lambda: interaction_defaults(self.contact_no, template),
            show,
            failed=refused,
            group="defaults",
            exclusive=True,
        )

    def _template_entered(self) -> None:
        code = self.field("interaction_template_code").value.strip().upper()
        if code and code != self.template:
            self.field("interaction_template_code").value = code
            self._load_defaults(code)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input.id == "field-interaction_template_code":
            self._template_entered()
        if event.input is inputs[-1]:
            self.action_create()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    @on(Input.Blurred, "#field-interaction_template_code")
    def _template_left(self) -> None:
        self._template_entered()

    def action_lookup(self) -> None:
        """F4: pick the focused field's value from its lookup."""
        focused = self.focused
        if not isinstance(focused, Input) or not focused.id:
            return
        key = focused.id.removeprefix("field-")
        rows = LOOKUPS.get(key)
        if rows is None:
            return

        def picked(code: str | None) -> None:
            if code is None:
                return
            focused.value = _text(key, code) if key in OPTIONS else code
            if key == "interaction_template_code":
                self._template_entered()

        title = dict(FIELDS)[key]
        self.app.push_screen(LookupDialog(title, rows, initial=focused.value), picked)

    def action_create(self) -> None:
        """Log the interaction (and deliver its letter)."""
        if self.busy:
            return
        values = self.values()
        send = self.query_one("#send", OptionBox).value
        out = self.field("out").value.strip()
        contact = self.contact_no
        self.busy = True
        error = self.query_one("#error", Static)
        error.update("Creating…")

        def refused(problem: Exception) -> None:
            self.busy = False
            error.update(str(problem))

        run_db(
            self,
            lambda: create_and_deliver(contact, values, send, out),
            self.dismiss,
            failed=refused,
            description="Create Interaction",
        )

    def action_cancel(self) -> None:
        """Close without creating anything."""
        if not self.busy:
            self.dismiss(None)

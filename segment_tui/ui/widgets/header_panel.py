"""The segment header as a compact, keyboard-navigable form (BC's FastTabs General,
Interaction and Campaign side by side), so it fits above the lines at 80×24."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from segment_tui.ui.sources import format_value

Kind = Literal["text", "code", "date", "decimal", "int", "bool", "option", "readonly"]


@dataclass(frozen=True)
class HeaderField:
    """One field of the header panel."""

    key: str
    caption: str
    short: str
    """Caption for narrow terminals (80 columns)."""
    kind: Kind
    lookup: str = ""
    """Lookup table (code fields) or option field name (option fields)."""
    narrow_values: tuple[str, ...] = ()
    """What No and Yes read as next to the short caption (a short label with a bare
    Yes/No was misread: "Attach No" looked like "no attachment")."""


COLUMNS: tuple[tuple[str, tuple[HeaderField, ...]], ...] = (
    ("General", (
        HeaderField("no", "No.", "No.", "readonly"),
        HeaderField("description", "Description", "Descr.", "text"),
        HeaderField("salesperson_code", "Salesperson", "Salesp.", "code", "salesperson"),
        HeaderField("date", "Date", "Date", "date"),
        HeaderField("no_of_lines", "No. of Lines", "Lines", "readonly"),
        HeaderField("no_of_criteria_actions", "Criteria Actions", "Actions", "readonly"),
    )),
    ("Interaction", (
        HeaderField(
            "interaction_template_code", "Template", "Template", "code", "interaction_template"
        ),
        HeaderField("language_code_default", "Language", "Language", "code", "language"),
        HeaderField("subject_default", "Subject", "Subject", "text"),
        HeaderField(
            "ignore_contact_corres_type", "Ignore Contact Type", "Corr.", "bool",
            narrow_values=("contact's", "default"),
        ),
        HeaderField(
            "correspondence_type_default", "Corr. Type (Default)", "Default", "option",
            "correspondence_type",
        ),
    )),
    ("", (
        HeaderField("information_flow", "Information Flow", "Flow", "option", "information_flow"),
        HeaderField("initiated_by", "Initiated By", "Init. By", "option", "initiated_by"),
        HeaderField("unit_cost_lcy", "Unit Cost (LCY)", "Cost", "decimal"),
        HeaderField("unit_duration_min", "Unit Duration (Min.)", "Minutes", "int"),
        HeaderField(
            "send_word_docs_as_attmt", "Send as Attachment", "E-mail", "bool",
            narrow_values=("in body", "attached"),
        ),
    )),
    ("Campaign", (
        HeaderField("campaign_no", "Campaign No.", "Campaign", "code", "campaign"),
        HeaderField("campaign_description", "Description", "Descr.", "readonly"),
        HeaderField("campaign_target", "Campaign Target", "Target", "bool"),
        HeaderField("campaign_response", "Campaign Response", "Response", "bool"),
    )),
)  # fmt: skip

NEEDS_TEMPLATE = {
    "language_code_default", "subject_default", "ignore_contact_corres_type",
    "correspondence_type_default", "information_flow", "initiated_by", "unit_cost_lcy",
    "unit_duration_min",
}  # fmt: skip


def enabled(field: HeaderField, record: Mapping[str, object]) -> bool:
    """BC's page enables some fields only with a template / the ignore flag / a campaign."""
    if field.kind == "readonly":
        return False
    if field.key in NEEDS_TEMPLATE and not record.get("interaction_template_code"):
        return False
    if field.key == "correspondence_type_default" and not record.get("ignore_contact_corres_type"):
        return False
    campaign_flag = field.key in ("campaign_target", "campaign_response")
    return not (campaign_flag and not record.get("campaign_no"))


class HeaderPanel(Widget, can_focus=True):
    """Header fields in four columns; arrows move between fields, Enter/F2 edits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("enter,f2", "edit", "Edit field", id="header.edit"),
        Binding("f4,ctrl+l", "lookup", "Lookup", id="header.lookup"),
    ]
    DEFAULT_CSS = """
    HeaderPanel { height: auto; padding: 0 1; border: round $panel; }
    HeaderPanel:focus-within, HeaderPanel:focus { border: round $primary; }
    """

    record: reactive[Mapping[str, object]] = reactive(dict, always_update=True)
    """The header record (fields plus statistics) shown, read by each field's key
    (a :class:`~segment_tui.services.segments.headers.SegmentHeaderRecord`; empty until
    the first one is read)."""
    column: reactive[int] = reactive(0)
    row: reactive[int] = reactive(1)

    class EditRequested(Message):
        """The user wants to change a field (Enter/F2), or pick it from its lookup (F4)."""

        def __init__(self, field: HeaderField, lookup: bool) -> None:
            super().__init__()
            self.field = field
            self.lookup = lookup

    @property
    def current(self) -> HeaderField:
        """The field under the cursor."""
        fields = COLUMNS[self.column][1]
        return fields[min(self.row, len(fields) - 1)]

    def action_move(self, dx: int, dy: int) -> None:
        """Move the field cursor."""
        self.column = max(0, min(len(COLUMNS) - 1, self.column + dx))
        self.row = max(0, min(len(COLUMNS[self.column][1]) - 1, self.row + dy))

    def action_edit(self) -> None:
        """Edit the field under the cursor."""
        self.post_message(self.EditRequested(self.current, lookup=False))

    def action_lookup(self) -> None:
        """Open the lookup of a code or option field."""
        if self.current.kind in ("code", "option"):
            self.post_message(self.EditRequested(self.current, lookup=True))

    def render(self) -> Table:
        width = max(16, (self.size.width - 2) // len(COLUMNS))
        grid = Table.grid(padding=(0, 1), expand=True)
        for _ in COLUMNS:
            grid.add_column(width=width, no_wrap=True, overflow="ellipsis")
        heads = [Text(title, style="bold") for title, _ in COLUMNS]
        grid.add_row(*heads)
        depth = max(len(fields) for _, fields in COLUMNS)
        narrow = width < 30
        label_width = 9 if narrow else min(24, width // 2)
        for row in range(depth):
            cells: list[Text] = []
            for column, (_, fields) in enumerate(COLUMNS):
                if row >= len(fields):
                    cells.append(Text(""))
                    continue
                field = fields[row]
                value = format_value(field.key, self.record.get(field.key))
                if field.kind == "bool":
                    flag = bool(self.record.get(field.key))
                    if narrow and field.narrow_values:
                        value = field.narrow_values[flag]
                    else:
                        value = "Yes" if flag else "No"
                text = field.short if narrow else field.caption
                label = Text(f"{text[: label_width - 1]:<{label_width}}", style="dim")
                shown = Text(value, style="" if enabled(field, self.record) else "dim")
                cell = Text.assemble(label, shown)
                if self.has_focus and (column, row) == (self.column, self.row):
                    cell.stylize("reverse")
                cells.append(cell)
            grid.add_row(*cells)
        return grid

    def watch_column(self) -> None:
        self.refresh()

    def watch_row(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

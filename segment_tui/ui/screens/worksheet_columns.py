"""The worksheet's line columns: caption and width, which take a wide terminal's spare
width, and which can be edited (with the kind of value and its lookup)."""

from __future__ import annotations

from segment_tui.ui.widgets import Column

LINE_COLUMNS = (
    Column("contact_no", "Contact No.", 11),
    Column("correspondence_type", "Corr. Type", 10),
    Column("contact_company_name", "Company Name", 20),
    Column("contact_name", "Contact Name", 18),
    Column("description", "Description", 20),
    Column("salesperson_code", "Salesp.", 7),
    Column("interaction_template_code", "Template", 8),
    Column("language_code", "Lang.", 5),
    Column("subject", "Subject", 16),
    Column("evaluation", "Evaluation", 10),
    Column("cost_lcy", "Cost (LCY)", 10, "right"),
    Column("duration_min", "Duration", 8, "right"),
    Column("document", "Document", 9),
    Column("line_note", "Line Note", 24),
    Column("added_by_action", "Added by", 8, "right"),
    Column("line_no", "Line No.", 8, "right"),
)

LINE_GROW = {
    "description": 100, "subject": 100, "line_note": 100, "contact_company_name": 60,
    "contact_name": 60,
}  # fmt: skip
"""Columns that take the width a wide terminal leaves (up to what their field holds)."""
LINE_SHARE = {"description": 0.2}
"""The description takes a fifth of a wide terminal (40 cells at 200 columns) even though
the line's other columns follow it and the table scrolls."""

# Line column -> (kind, lookup) for editing; other columns are read-only.
EDITABLE_LINE_COLUMNS: dict[str, tuple[str, str]] = {
    "contact_no": ("code", "contact"),
    "correspondence_type": ("option", "correspondence_type"),
    "description": ("text", ""),
    "salesperson_code": ("code", "salesperson"),
    "interaction_template_code": ("code", "interaction_template"),
    "language_code": ("code", "language"),
    "subject": ("text", ""),
    "evaluation": ("option", "evaluation"),
    "cost_lcy": ("decimal", ""),
    "duration_min": ("int", ""),
    "line_note": ("text", ""),
}

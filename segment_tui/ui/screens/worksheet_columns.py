"""The worksheet's line columns: every column of a segment line (caption, width and format
from the shared table), which take a wide terminal's spare width, and which can be edited
(with the kind of value and its lookup)."""

from __future__ import annotations

from segment_tui.services.segments.columns import LINE_COLUMNS as LINE_TABLE
from segment_tui.ui.sources import columns_of

LINE_COLUMNS = columns_of(
    LINE_TABLE.pick(
        "contact_no", "correspondence_type", "contact_company_name", "contact_name",
        "description", "salesperson_code", "interaction_template_code", "language_code",
        "subject", "evaluation", "cost_lcy", "duration_min", "document", "line_note",
        "added_by_action", "line_no",
    )
)  # fmt: skip
"""The line's columns the worksheet shows, in its order (``services/segments/columns.py``)."""

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

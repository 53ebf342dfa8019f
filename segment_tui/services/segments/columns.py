"""The columns of segments and their lines, for every front end (``services/columns.py``):
the worksheet's lines and ``segment show``, the Segments list and ``segment list``."""

from __future__ import annotations

from typing import Any

from segment_tui.services.columns import (
    ColumnTable,
    FieldColumn,
    amount,
    date,
    option,
    quantity,
)


def criteria_action(value: Any) -> str:
    """The criteria action that added a line, as ``#3``; blank for a line added by hand."""
    if not value:
        return ""
    return f"#{value}"


LINE_COLUMNS = ColumnTable(
    "segment line",
    FieldColumn("contact_no", "Contact No.", 11),
    FieldColumn("correspondence_type", "Corr. Type", 10, format=option),
    FieldColumn("contact_company_name", "Company Name", 20),
    FieldColumn("contact_name", "Contact Name", 18),
    FieldColumn("description", "Description", 20),
    FieldColumn("salesperson_code", "Salesp.", 7),
    FieldColumn("interaction_template_code", "Template", 8),
    FieldColumn("language_code", "Lang.", 5),
    FieldColumn("subject", "Subject", 16),
    FieldColumn("evaluation", "Evaluation", 10, format=option),
    FieldColumn("cost_lcy", "Cost (LCY)", 10, "right", amount),
    FieldColumn("duration_min", "Duration", 8, "right", quantity),
    FieldColumn("document", "Document", 9),
    FieldColumn("line_note", "Line Note", 24),
    FieldColumn("added_by_action", "Added by", 8, "right", criteria_action),
    FieldColumn("line_no", "Line No.", 8, "right"),
)
"""A segment line (BC's Segment Subform), in the worksheet's order."""

SEGMENT_COLUMNS = ColumnTable(
    "segment",
    FieldColumn("no", "No.", 10),
    FieldColumn("description", "Description", 25),
    FieldColumn("campaign_no", "Campaign", 9),
    FieldColumn("salesperson_code", "Salesp.", 7),
    FieldColumn("date", "Date", 10, format=date),
    FieldColumn("no_of_lines", "Lines", 7, format=quantity),
)
"""A segment header in the list of segments (BC's Segment List)."""

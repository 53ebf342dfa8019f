"""The columns of interaction log entries, campaign entries and interaction statistics,
for every front end (``services/columns.py``): the Interaction Log Entries and
``interactions list``, Campaign Entries and ``campaigns entries``, Interaction Statistics
and ``interactions stats``."""

from __future__ import annotations

from segment_tui.services.columns import (
    ColumnTable,
    FieldColumn,
    amount,
    captions,
    checkmark,
    date,
    option,
    quantity,
)
from segment_tui.services.interactions.letters import DELIVERED, DOCUMENT

LETTER_CAPTIONS = {DELIVERED: "Delivered", DOCUMENT: "Document", "": ""}
"""An entry's letter (:func:`segment_tui.services.interactions.letters.letter_state`)
as the Letter column reads it."""

ENTRY_COLUMNS = ColumnTable(
    "interaction log entry",
    FieldColumn("canceled", "Canc.", 5, format=checkmark),
    FieldColumn("delivery_status", "Delivery", 11, format=option),
    FieldColumn("delivery_error", "Delivery Error", 22),
    FieldColumn("date", "Date", 10, format=date),
    FieldColumn("contact_no", "Contact No.", 11),
    FieldColumn("contact_name", "Contact Name", 20),
    FieldColumn("description", "Description", 20),
    FieldColumn("interaction_template_code", "Template", 8),
    FieldColumn("evaluation", "Evaluation", 13, format=option),
    FieldColumn("correspondence_type", "Corr. Type", 10, format=option),
    FieldColumn("letter", "Letter", 9, format=captions(LETTER_CAPTIONS)),
    FieldColumn("contact_company_name", "Contact Company Name", 20),
    FieldColumn("cost_lcy", "Cost (LCY)", 10, "right", amount),
    FieldColumn("duration_min", "Duration", 8, "right", quantity),
    FieldColumn("salesperson_code", "Salesp.", 7),
    FieldColumn("campaign_no", "Campaign", 8),
    FieldColumn("attempt_failed", "Failed", 6, format=checkmark),
    FieldColumn("entry_no", "Entry No.", 9, "right"),
)
"""An interaction log entry (BC's Interaction Log Entries), delivery first after
Canceled so a failure is seen at 80 columns."""

CAMPAIGN_ENTRY_COLUMNS = ColumnTable(
    "campaign entry",
    FieldColumn("canceled", "Canc.", 5, format=checkmark),
    FieldColumn("entry_no", "Entry", 5, "right"),
    FieldColumn("campaign_no", "Campaign", 8),
    FieldColumn("date", "Date", 10, format=date),
    FieldColumn("description", "Description", 10),
    FieldColumn("segment_no", "Segment"),
    FieldColumn("register_no", "Logged", 6, "right"),
    FieldColumn("no_of_interactions", "Inter.", 6, "right", quantity),
    FieldColumn("cost_lcy", "Cost (LCY)", 10, "right", amount),
    FieldColumn("duration_min", "Dur.", 5, "right", quantity),
    FieldColumn("salesperson_code", "Salesp.", 7),
)
"""A campaign entry (BC's Campaign Entries) with its No. of Interactions, Cost and
Duration."""

_FIGURES = (
    FieldColumn("no_of_interactions", "Inter.", 6, "right", quantity),
    FieldColumn("cost_lcy", "Cost (LCY)", 10, "right", amount),
    FieldColumn("duration_min", "Dur.", 6, "right", quantity),
    FieldColumn("date_of_last_interaction", "Last Date", 10, format=date),
)
"""BC's statistics FlowFields, the same for templates, groups and contacts."""

STATISTICS_COLUMNS = {
    "template": ColumnTable(
        "interaction template statistics",
        FieldColumn("code", "Template", 10),
        FieldColumn("description", "Description", 20),
        *_FIGURES,
    ),
    "group": ColumnTable(
        "interaction group statistics",
        FieldColumn("code", "Group", 10),
        FieldColumn("description", "Description", 20),
        *_FIGURES,
    ),
    "contact": ColumnTable(
        "contact statistics",
        FieldColumn("contact_no", "Contact", 8),
        FieldColumn("name", "Name", 11),
        *_FIGURES,
        FieldColumn("last_date_attempted", "Attempted", 10, format=date),
    ),
}
"""Interaction statistics per template, group or contact (each fits 80 columns)."""

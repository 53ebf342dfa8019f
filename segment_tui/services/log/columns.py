"""The columns of logged segments, for every front end (``services/columns.py``): the
Logged Segments screen and ``logged list``."""

from __future__ import annotations

from segment_tui.services.columns import ColumnTable, FieldColumn, checkmark, date, quantity

LOGGED_COLUMNS = ColumnTable(
    "logged segment",
    FieldColumn("canceled", "Canc.", 5, format=checkmark),
    FieldColumn("entry_no", "Entry", 5, "right"),
    FieldColumn("segment_no", "Segment", 8),
    FieldColumn("delivery_summary", "Delivery", 19),
    FieldColumn("description", "Description", 13),
    FieldColumn("no_of_interactions", "Inter.", 6, "right", quantity),
    FieldColumn("no_of_campaign_entries", "Camp.", 5, "right", quantity),
    FieldColumn("creation_date", "Created", 10, format=date),
    FieldColumn("user_id", "User ID", 8),
    FieldColumn("letters", "Letters", 0, "right", quantity),
)
"""A logged segment (BC's Logged Segments), with the delivery state early enough to be
seen at 80 columns and the number of letters its entries keep."""

"""The columns of the Segment - Contacts report (BC report 5063) as its PDF prints them,
declared as every table of the product is (``services/columns.py``); the PDF keeps its
widths in points (``services/printouts/reports.py``). The report's CSV names its
columns by field (``segment_no``, ``contact_no``, …), as every CSV and JSON does."""

from __future__ import annotations

from segment_tui.services.columns import ColumnTable, FieldColumn, amount, quantity

REPORT_COLUMNS = ColumnTable(
    "Segment - Contacts report",
    FieldColumn("no", "No."),
    FieldColumn("address", "Name and address"),
    FieldColumn("salesperson_code", "Salesperson Code"),
    FieldColumn("no_of_interactions", "No. of Interactions", align="right", format=quantity),
    FieldColumn("cost_lcy", "Cost (LCY)", align="right", format=amount),
)
"""A contact of the segment: BC's captions, the figures right-aligned."""

"""The columns of the templates' Word documents (``template list``), as every table of
the product declares them (``services/columns.py``)."""

from __future__ import annotations

from segment_tui.services.columns import ColumnTable, FieldColumn

TEMPLATE_DOCUMENT_COLUMNS = ColumnTable(
    "template document",
    FieldColumn("interaction_template_code", "Template"),
    FieldColumn("language_code", "Language"),
    FieldColumn("description", "Description"),
    FieldColumn("file_name", "File"),
)
"""A Word document of an interaction template in one language (BC's Interaction
Template Languages)."""
